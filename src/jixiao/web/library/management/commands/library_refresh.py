"""``manage.py library_refresh``: mine every record jixiao holds into the stored indicator library."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jixiao.web.audit.services import Context
from jixiao.web.library.refresh import refresh_library


class Command(BaseCommand):
    help = "从系统中的全部申报表和自评表更新指标库（保留人工维护的内容）"

    def handle(self, *args: Any, **options: Any) -> None:
        run = refresh_library(Context.system())
        self.stdout.write(self.style.SUCCESS(f"指标库已更新：{run.message}"))
