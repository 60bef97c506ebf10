"""argparse in Chinese: its own texts (usage, headings, usage errors) through its translation hook.

argparse looks every text of its own up with ``gettext`` at the moment it needs it: the
headings when a parser is built, ``usage:`` when help is printed, the error texts when a
command line is wrong. Python ships no Chinese catalog, and setting a process-wide gettext
domain would change other programs' texts too, so :func:`chinese` swaps argparse's two lookup
functions for this catalog while the ``jixiao`` command builds and parses its arguments, and
puts them back afterwards. A text missing here (a new Python version's) stays in English; the
tests drive every usage error the command can meet and fail on any English left.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

CATALOG = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有命令 %(parser_name)r（可用的命令：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开 '%(filename)s'：%(error)s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "这个选项不接受值，%r 是多余的",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "unexpected option string: %s": "意外的选项：%s",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的 %(type)s 值",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择 %(value)r（可选：%(choices)s）",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "subcommands": "命令",
}


def translate(message: str) -> str:
    """The Chinese of one of argparse's texts (the text itself when it has none)."""
    return CATALOG.get(message, message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    """The Chinese of a text that has a plural form (Chinese has none)."""
    return CATALOG.get(singular if n == 1 else plural, singular if n == 1 else plural)


@contextmanager
def chinese() -> Iterator[None]:
    """argparse speaks Chinese inside the ``with`` block; its own lookups are restored after it."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = translate, translate_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
