"""``manage.py remind``: remind the staff of every overdue record, at most once a day each (run it daily)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.web.audit.services import Context
from jixiao.web.notices.services.notices import send_reminders


class Command(BaseCommand):
    help = "向逾期未提交记录的填报单位发送提醒（站内通知和邮件）；同一记录每天最多提醒一次，可重复运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按哪一天判断逾期（YYYY-MM-DD，默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options.get("date"):
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date {options['date']}：日期应写作 YYYY-MM-DD，如 2026-04-01。") from None
        given = send_reminders(Context.system(), day)
        self.stdout.write(f"已发出 {given} 条逾期提醒。")
