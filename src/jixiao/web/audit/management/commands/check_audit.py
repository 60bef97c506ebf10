"""``manage.py check_audit``: is the audit log whole, and can the application's role change it?"""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.web.audit import chain, protection

ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


class Command(BaseCommand):
    help = (
        "核对审计日志：先封存尚未入链的事件，再从第一条起重算每条事件的摘要，指出第一条被改动、删除或缺失的事件；"
        "在 PostgreSQL 上还核对应用所用数据库角色的权限。发现问题时退出状态为 1。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor",
            metavar="序号:摘要",
            help="先前记下的一条事件（如备份清单中的 audit_head），核对它仍在日志中且未变：日志末尾没有被删除",
        )
        parser.add_argument("--chain-only", action="store_true", help="只核对摘要链，不核对数据库角色的权限")

    def handle(self, *args: Any, **options: Any) -> None:
        anchor = None
        if options["anchor"]:
            match = ANCHOR.match(options["anchor"].strip())
            if match is None:
                raise CommandError("--anchor 的格式应为「序号:摘要」，摘要是 64 位十六进制数字。")
            anchor = (int(match.group(1)), match.group(2))
        sealed = chain.seal_now()
        if sealed:
            self.stdout.write(f"已封存 {sealed} 条尚未入链的审计事件。")
        result = chain.verify(anchor)
        problems = [] if options["chain_only"] else protection.problems()
        if result.ok:
            if result.head is None:
                self.stdout.write("审计日志中还没有事件。")
            else:
                seq, digest = result.head
                self.stdout.write(f"审计日志的摘要链完整：共 {result.checked} 条事件。")
                self.stdout.write(f"最后一条：{seq}:{digest}")
                self.stdout.write(f"请记下上一行；以后用 --anchor {seq}:{digest} 可核对此前的日志没有被截短或重写。")
        for problem in problems:
            self.stderr.write(f"权限问题：{problem}")
        if not result.ok:
            raise CommandError(f"审计日志已被篡改：{result.problem}")
        if problems:
            raise CommandError(f"数据库角色的权限有 {len(problems)} 处问题，见上。")
