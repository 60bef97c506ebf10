"""``manage.py create_administrator``: the system, security or audit administrator, when a system is set up."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.core.workflow import Role
from jixiao.web.accounts import services
from jixiao.web.audit.services import Context

ROLES = {"system": Role.SYSTEM_ADMIN, "security": Role.SECURITY_ADMIN, "audit": Role.AUDIT_ADMIN}


class Command(BaseCommand):
    """Add one of the three administrators with a temporary password, shown once; audited."""

    help = "添加系统管理员、安全管理员或审计管理员（三员分立，每人一个角色）。初始密码只显示一次，首次登录须修改。"

    def add_arguments(self, parser: CommandParser) -> None:
        """The user name, which of the three, and the person's name."""
        parser.add_argument("username", help="登录用户名")
        parser.add_argument("--role", required=True, choices=sorted(ROLES), help="system、security 或 audit")
        parser.add_argument("--name", default="", help="姓名")

    def handle(self, *args: Any, **options: Any) -> None:
        """Create the administrator and print the first password."""
        role = ROLES[options["role"]]
        try:
            user, password = services.create_administrator(Context.system(), options["username"], role, options["name"])
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(
            f"已添加{role.label} {user.get_username()}，初始密码：{password}\n"
            "（只显示这一次，请当面交给本人；首次登录时必须修改。）"
        )
