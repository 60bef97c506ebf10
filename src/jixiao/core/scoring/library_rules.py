"""How far from the indicator library's usual targets a target may be (财预〔2021〕101号): a pack's ``[library]``.

A pack may carry a ``[library]`` table; the keys it leaves out (or the whole table) come from the
national default, ``library-default.toml`` beside this module. :func:`read_library` validates the
merged table and raises through the pack reader's ``fail``. The check itself is
:func:`jixiao.core.review.library.check_library`; the library's ranges reach it as plain data.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any

from jixiao.core.errors import JixiaoError

__all__ = ["LibraryRules", "national_default", "read_library"]

_TEXTS = ("document", "title", "far_basis")
_KEYS = frozenset((*_TEXTS, "far_ratio", "min_targets"))

Fail = Callable[[str, str], JixiaoError]


@dataclass(frozen=True)
class LibraryRules:
    """A target is far from the library when beyond ``far_ratio`` × Q3 or below Q1 ÷ ``far_ratio``."""

    document: str
    title: str
    far_ratio: Decimal
    min_targets: int
    # (key, formula, basis): the row the rule pack lists in docs/rules.md
    bases: tuple[tuple[str, str, str], ...]


@functools.cache
def _default_table() -> dict[str, Any]:
    """The national default ``[library]`` table, read once."""
    text = resources.files("jixiao.core.scoring").joinpath("library-default.toml").read_text(encoding="utf-8")
    table: dict[str, Any] = tomllib.loads(text, parse_float=Decimal)["library"]
    return table


def read_library(raw: object, fail: Fail) -> LibraryRules:
    """The library rule of a pack: its ``[library]`` table (``None`` when absent) over the national default.

    An unknown key is refused: a misspelt threshold would otherwise leave the default in force silently.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise fail("library", "一个表（[library]）")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise fail(f"library.{unknown[0]}", f"已知的键之一（{'、'.join(sorted(_KEYS))}）")
    table = {**_default_table(), **raw}
    texts = {}
    for key in _TEXTS:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            raise fail(f"library.{key}", "非空文字")
        texts[key] = value
    ratio = table.get("far_ratio")
    # a ratio of 1 or less would flag every target beyond the quartiles, which are ordinary by definition
    if isinstance(ratio, bool) or not isinstance(ratio, (int, Decimal)) or not 1 < ratio <= 1000:
        raise fail("library.far_ratio", "大于 1、不超过 1000 的数字（倍数）")
    least = table.get("min_targets")
    if isinstance(least, bool) or not isinstance(least, int) or not 2 <= least <= 10000:
        raise fail("library.min_targets", "2 到 10000 的整数（个指标值）")
    formula = f"指标值 > Q3 × {ratio}，或 < Q1 ÷ {ratio}（Q1 > 0）；同单位指标值 ≥ {least} 个"
    return LibraryRules(
        document=texts["document"],
        title=texts["title"],
        far_ratio=Decimal(ratio),
        min_targets=least,
        bases=(("library.far_ratio", formula, texts["far_basis"]),),
    )


def national_default() -> LibraryRules:
    """The library rule a pack without a ``[library]`` table gets."""

    def fail(path: str, expected: str) -> JixiaoError:  # the shipped default is tested; this never runs
        return JixiaoError(f"library-default.toml 的 {path} 应为{expected}")

    return read_library(None, fail)
