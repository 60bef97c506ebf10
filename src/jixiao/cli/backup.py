"""``jixiao backup`` and ``jixiao restore``: the installation's database and uploaded files, handed to Django.

Both act on the installation the environment names, as the web application
does (``JIXIAO_DATA_DIR``, ``DATABASE_URL``); the work is done by the
management commands of the same names (``jixiao.web.backups``).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from rich.console import Console

from jixiao.cli.common import EXIT_OK

WHERE = "作用于环境变量 JIXIAO_DATA_DIR 和 DATABASE_URL 所指的安装（与网站相同）。"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``backup`` and ``restore`` verbs."""
    p = sub.add_parser(
        "backup",
        help="备份数据库和上传文件（附 SHA-256 清单）",
        description="把数据库和全部上传文件备份到所给文件夹下的新文件夹，附每个文件的 SHA-256 清单。"
        + WHERE
        + "退出状态：0 完成；1 完成但有上传文件缺失，或不能备份。",
    )
    p.add_argument("folder", type=Path, help="存放备份的文件夹")
    p.set_defaults(handler=run_backup)
    r = sub.add_parser(
        "restore",
        help="从备份恢复数据库和上传文件，并核对",
        description="从 jixiao backup 所建的文件夹恢复数据库和上传文件，恢复后核对行数和摘要。"
        + WHERE
        + "退出状态：0 完成且核对无误；1 未恢复或核对不符。",
    )
    r.add_argument("folder", type=Path, help="备份文件夹（其中有 manifest.json）")
    r.add_argument("--replace", action="store_true", help="替换目标中已有的数据（先停止网站和后台任务）")
    r.set_defaults(handler=run_restore)


def _django(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jixiao", *argv])  # a CommandError exits with status 1 and its message
    return EXIT_OK


def run_backup(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Hand over to ``manage.py backup``."""
    return _django(["backup", str(args.folder)])


def run_restore(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Hand over to ``manage.py restore``."""
    return _django(["restore", str(args.folder), *(["--replace"] if args.replace else [])])
