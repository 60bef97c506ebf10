"""``manage.py sweep_imports``: end interrupted import jobs and remove what killed processes left behind."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jixiao.web.imports.sweep import GRACE, sweep


class Command(BaseCommand):
    help = (
        "结束被中断的导入任务（读取中或导入中而处理进程已终止），并清除被中断的上传留下的文件："
        "没有记录引用的已存文件、未完成的上传。建议在任务进程启动时运行，并每小时运行一次。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--grace-minutes",
            type=float,
            default=GRACE.total_seconds() / 60,
            help="只清除早于这么多分钟的文件（正在上传的文件不受影响；默认 %(default)s）",
        )
        parser.add_argument(
            "--abandoned-days",
            type=float,
            default=None,
            help="同时结束超过这么多天仍未确认导入的任务，并清除其上传的文件（默认不清除）",
        )

    def handle(self, *args: Any, grace_minutes: float, abandoned_days: float | None, **options: Any) -> None:
        abandoned = timedelta(days=abandoned_days) if abandoned_days is not None else None
        swept = sweep(grace=timedelta(minutes=grace_minutes), abandoned=abandoned)
        self.stdout.write(
            f"中断的导入任务 {len(swept.interrupted)} 个已标记为未导入"
            + (f"（{'、'.join(map(str, swept.interrupted))}）" if swept.interrupted else "")
            + f"；长期未确认的任务 {len(swept.abandoned)} 个已结束；"
            f"清除无记录引用的文件 {len(swept.orphan_files) + swept.unused_sources} 个、"
            f"未完成的上传 {swept.partial_uploads} 个、已结束任务的锁文件 {swept.locks} 个；"
            f"中断的执行数导入 {len(swept.execution_interrupted)} 个已标记为未导入，"
            f"清除超过保留期限的执行数上传 {swept.execution_uploads} 批。"
        )
