"""``manage.py restore FOLDER`` (``jixiao restore``): put a backup back, then prove rows and files are the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.web.backups.manifest import BackupError
from jixiao.web.backups.services import restore


class Command(BaseCommand):
    help = (
        "从 jixiao backup 所建的备份文件夹恢复数据库和上传文件。"
        "先按清单核对备份中每个文件的 SHA-256，损坏则不做任何改动；"
        "目标中已有数据时须加 --replace（先停止网站和后台任务）。"
        "恢复后核对每个表的行数、每个文件的摘要和审计日志的摘要链。"
        "PostgreSQL 用 pg_restore（须在 PATH 中），以执行迁移的角色运行。成功退出 0，否则退出 1 并说明原因。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="备份文件夹（其中有 manifest.json）")
        parser.add_argument("--replace", action="store_true", help="替换目标中已有的数据库内容和上传文件")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = restore(options["folder"], replace=options["replace"])
        except (BackupError, OSError) as exc:
            raise CommandError(f"恢复失败：{exc}") from exc
        m = outcome.manifest
        for problem in outcome.problems:
            self.stderr.write(f"不一致：{problem}")
        if outcome.problems:
            raise CommandError(f"已恢复，但有 {len(outcome.problems)} 处与备份清单不符，见上。")
        self.stdout.write(f"已恢复 {outcome.folder}（备份于 {m.created_at}）。")
        self.stdout.write(f"  核对无误：{len(m.tables)} 个表共 {sum(m.tables.values())} 行，{len(m.files)} 个上传文件")
        if m.audit_head:
            self.stdout.write(f"  审计日志的摘要链完整，备份时的最后一条（第 {m.audit_head[0]} 条）仍在原处")
        for note in outcome.notes:
            self.stdout.write(f"注意：{note}")
