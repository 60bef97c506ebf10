"""``manage.py grant_app_role ROLE``: the application's PostgreSQL role reads, writes, and only appends to the log."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from jixiao.web.audit import protection


class Command(BaseCommand):
    help = (
        "以执行迁移的角色（表的所有者）运行：授予应用所用的数据库角色读写各表的权限，"
        "对审计日志只许读取和追加。每次 migrate 之后再运行一次。仅用于 PostgreSQL。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="应用连接数据库所用的角色（不拥有任何表）")
        parser.add_argument("--schema", default="public", help="表所在的模式（默认 public）")
        parser.add_argument("--print", action="store_true", dest="print_only", help="只打印 SQL 语句，不执行")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "grant_app_role 只用于 PostgreSQL；SQLite 没有数据库角色（其限制见 docs/deployment.md）。"
            )
        role = options["role"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s)", [role])
            current, exists = cursor.fetchone()
        if not exists:
            raise CommandError(f"数据库中没有角色 {role}：请先用 createuser 建立。")
        if role == current:
            raise CommandError(f"{role} 正是当前连接所用的角色：请以执行迁移的角色运行本命令，为另一个角色授权。")
        statements = protection.grant_statements(role, options["schema"])
        if options["print_only"]:
            for sql in statements:
                self.stdout.write(sql + ";")
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        self.stdout.write(f"已为角色 {role} 授权：读写各表，审计日志只许读取和追加。")
