"""What every verb of the ``jixiao`` command shares: exit status, parser, messages."""

from __future__ import annotations

import argparse
import sys

from rich.console import Console

from jixiao.documents.result import ImportResult

EXIT_OK, EXIT_WARNINGS, EXIT_UNUSABLE = 0, 1, 2


class Parser(argparse.ArgumentParser):
    """argparse that exits with status 2 and a Chinese hint on usage errors."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNUSABLE, f"jixiao: 用法错误：{message}\n")


def print_warnings(result: ImportResult, err: Console) -> None:
    """Each warning and note of an import on its own line, with its file and line."""
    for w in result.warnings:
        tag = "[yellow]警告[/]" if w.level == "warning" else "[cyan]提示[/]"
        err.print(f"{tag} {w}", highlight=False, soft_wrap=True)


def print_error(err: Console, exc: object) -> None:
    """An error that stops one input, on one line."""
    err.print(f"[red]错误[/] {exc}", highlight=False, soft_wrap=True)
