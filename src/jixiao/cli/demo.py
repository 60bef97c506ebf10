"""``jixiao demo``: a fresh demo database on SQLite, the demo data, then the web application."""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

from rich.console import Console

from jixiao.cli.common import EXIT_OK, EXIT_UNUSABLE, epilog, exit_codes


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``demo`` verb."""
    p = sub.add_parser(
        "demo",
        help="建立演示数据库并启动网站（SQLite）",
        description="每次从头建立演示数据库（SQLite），载入演示文档和演示账号，然后启动网站。",
        epilog=epilog(
            "--from 文件夹中可放任何 jixiao 能读取的文件（文本、JSON、XLSX、DOCX、PDF）。",
            exit_codes("0  正常结束", "2  文件夹不存在，或用法错误"),
        ),
    )
    p.add_argument("--from", dest="source", type=Path, metavar="DIR", help="从该文件夹载入文档（默认：examples）")
    p.add_argument(
        "--addr",
        default="127.0.0.1:8000",
        help="服务地址（默认 127.0.0.1:8000；0.0.0.0:端口 则接受任何主机名的访问）",
    )
    p.add_argument("--data-dir", type=Path, default=Path("var/demo"), help="演示数据库所在文件夹（每次重建）")
    p.add_argument("--no-serve", action="store_true", help="只建立数据，不启动服务")
    p.set_defaults(handler=run)


def demo_hosts(addr: str) -> list[str]:
    """The host names the demo answers to: this machine's, the one it listens on, any when it listens on all."""
    host = addr.rpartition(":")[0] if ":" in addr else ""
    hosts = ["localhost", "127.0.0.1", "[::1]"]
    if host in ("0.0.0.0", "[::]", "::"):
        hosts.append("*")  # listening on every interface: reached by whatever name the network gives it
    elif host and host not in hosts:
        hosts.append(host)
    return hosts


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Rebuild the demo database from scratch and hand over to Django's ``demo`` command."""
    if args.source is not None and not args.source.is_dir():
        err.print(f"[red]{args.source}: 文件夹不存在[/]", highlight=False)
        return EXIT_UNUSABLE
    data_dir = args.data_dir.resolve()
    if data_dir.exists():
        shutil.rmtree(data_dir)  # a demo always starts from an empty database
    data_dir.mkdir(parents=True, mode=0o700)  # its database and uploads are nobody else's (web/private.py)
    os.environ["JIXIAO_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)  # the demo is SQLite, whatever the environment says
    # Served as production serves (issue 11): no debug pages, which show the URL map and settings to
    # anyone who mistypes an address; static files still come from WhiteNoise.
    os.environ["JIXIAO_DEBUG"] = "0"
    os.environ["JIXIAO_ALLOWED_HOSTS"] = ",".join(demo_hosts(args.addr))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    from django.core.management import execute_from_command_line

    argv = ["jixiao", "demo", "--addr", args.addr]
    if args.source is not None:
        argv += ["--from", str(args.source.resolve())]
    if args.no_serve:
        argv.append("--no-serve")
    execute_from_command_line(argv)
    return EXIT_OK
