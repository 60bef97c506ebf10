"""``manage.py backup FOLDER`` (``jixiao backup``): the database and every uploaded file, with a manifest of hashes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.web.backups.manifest import BackupError
from jixiao.web.backups.services import backup


class Command(BaseCommand):
    help = (
        "备份数据库和全部上传文件到所给文件夹下的一个新文件夹（jixiao-backup-日期-时间），附每个文件的 SHA-256 清单。"
        "SQLite 用在线备份接口，PostgreSQL 用 pg_dump（须在 PATH 中）。网站可以照常运行。"
        "成功退出 0；有上传文件缺失或损坏时备份照常完成、退出 1；不能备份时退出 1 并说明原因。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="存放备份的文件夹（不存在则新建，权限 0700）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = backup(options["folder"])
        except (BackupError, OSError) as exc:
            raise CommandError(f"备份失败，没有留下不完整的备份：{exc}") from exc
        m = outcome.manifest
        self.stdout.write(f"备份已完成：{outcome.folder}")
        self.stdout.write(f"  数据库（{m.vendor}）：{len(m.tables)} 个表，共 {sum(m.tables.values())} 行")
        self.stdout.write(f"  上传文件：{len(m.files)} 个，共 {sum(f.size for f in m.files)} 字节")
        if m.audit_head:
            self.stdout.write(f"  审计日志最后一条：{m.audit_head[0]}:{m.audit_head[1]}")
        for problem in outcome.problems:
            self.stderr.write(f"未能备份：{problem}")
        if outcome.problems:
            raise CommandError(f"备份已完成，但有 {len(outcome.problems)} 个上传文件缺失或损坏，见上。")
