"""What every verb of the ``jixiao`` command shares: exit status, parser, help texts, messages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from jixiao.core.errors import JixiaoError, Location
from jixiao.documents.limits import MAX_BYTES, MAX_JSON_BYTES, megabytes
from jixiao.documents.oserrors import describe
from jixiao.documents.result import ImportResult

EXIT_OK, EXIT_WARNINGS, EXIT_UNUSABLE = 0, 1, 2

READS = (
    "读取：文本提取结果（.txt .md .text .markdown；UTF-8、UTF-16、GB18030/GBK 编码）、"
    "jixiao 文档 JSON（.json）、Excel（.xlsx）、Word（.docx）、带文字层的 PDF（.pdf），"
    "以及 jixiao export --to csv 写出的开放数据包（datapackage.json 或其文件夹）。"
    "文件夹递归读取其中所有这些文件（隐藏文件和 README 除外）。"
    f"每个文件不超过 {megabytes(MAX_BYTES)}，文档 JSON 不超过 {megabytes(MAX_JSON_BYTES)}。"
)


def exit_codes(*lines: str) -> str:
    """The ``退出状态`` paragraph of a verb's help: one line per status."""
    return "退出状态：\n" + "\n".join(f"  {line}" for line in lines)


def epilog(*parts: str) -> str:
    """A verb's help after its options: what it reads, then its exit statuses, as paragraphs."""
    return "\n\n".join(parts)


class Parser(argparse.ArgumentParser):
    """argparse that exits with status 2 and a Chinese message on usage errors, and keeps help paragraphs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNUSABLE, f"{self.prog}：用法错误：{message}\n（用 {self.prog} --help 查看说明）\n")


def make_out_dir(path: Path, err: Console) -> bool:
    """Create the output folder; False (with the reason in Chinese) when it cannot be made."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        err.print(f"[red]错误[/] 无法建立输出文件夹 {escape(str(path))}：{describe(exc)}", highlight=False)
        return False
    return True


def write_error(target: Path, exc: OSError) -> JixiaoError:
    """An output that could not be written, as an error naming the file (reported like an unreadable input)."""
    return JixiaoError(f"无法写出：{describe(exc)}", Location(file=str(target)))


def print_warnings(result: ImportResult, err: Console) -> None:
    """Each warning and note of an import on its own line, with its file and line."""
    for w in result.warnings:
        tag = "[yellow]警告[/]" if w.level == "warning" else "[cyan]提示[/]"
        err.print(f"{tag} {escape(str(w))}", highlight=False, soft_wrap=True)


def error_text(exc: object) -> str:
    """An error as one line: its place and message, or the message alone when it has no place."""
    if isinstance(exc, JixiaoError) and str(exc.location) == "(未知位置)":
        # a wrong option or pack name is not somewhere in a file: no place to name
        return exc.message
    if isinstance(exc, OSError):
        where = f"{exc.filename}：" if exc.filename else ""
        return where + describe(exc)
    return str(exc)


def print_error(err: Console, exc: object) -> None:
    """An error that stops one input, on one line."""
    err.print(f"[red]错误[/] {escape(error_text(exc))}", highlight=False, soft_wrap=True)
