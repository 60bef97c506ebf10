"""The ``jixiao`` command.

File-only verbs need no database: ``import`` turns published forms into the
document JSON, ``show`` prints what was read. Exit status: 0 when every input
was read cleanly, 1 when some were read with warnings, 2 for unusable input
or wrong usage; every message names the file and the place. Each verb is a
module of this package with ``register(subparsers)`` and ``run(args, out, err)``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from rich.console import Console

from jixiao import __version__
from jixiao.cli import backup, demo, exporting, importing, library, scoring, showing
from jixiao.cli.argparse_zh import chinese
from jixiao.cli.common import EXIT_OK, EXIT_UNUSABLE, EXIT_WARNINGS, Parser, exit_codes, print_error

__all__ = ["EXIT_OK", "EXIT_UNUSABLE", "EXIT_WARNINGS", "build_parser", "main"]

VERBS = (importing, showing, scoring, library, demo, exporting, backup)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``jixiao`` command, one sub-command per verb module, in Chinese."""
    with chinese():
        parser = Parser(
            prog="jixiao",
            description="jixiao 绩效：财政项目绩效管理的开放工具。用 jixiao 命令 --help 查看每个命令的说明。",
            epilog=exit_codes(
                "0  成功",
                "1  完成了，但有警告（score 之外的命令）或有“错误”级的审核发现（check）",
                "2  有文件无法读取或无法写出，或用法错误",
            ),
        )
        parser.add_argument("--version", action="version", version=f"jixiao {__version__}", help="显示版本号并退出")
        sub = parser.add_subparsers(dest="command", parser_class=Parser, title="命令")
        sub.required = True
        for verb in VERBS:
            verb.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``jixiao`` console script."""
    parser = build_parser()
    with chinese():  # argparse looks its texts up while it parses and prints help
        args = parser.parse_args(argv)
    out = Console()
    err = Console(stderr=True)
    try:
        code: int = args.handler(args, out, err)
    except KeyboardInterrupt:
        err.print("已中断")
        return 130
    except OSError as exc:
        # the last line of defence: a file system failure the verb did not expect, said in Chinese
        print_error(err, exc)
        return EXIT_UNUSABLE
    return code


if __name__ == "__main__":
    sys.exit(main())
