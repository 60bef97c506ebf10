"""The copy-forward review rule (财预〔2021〕101号): a rule pack's ``[carry]`` table over the national default.

A continuing project's next declaration starts from last year's approved targets (结转). Two findings
compare each target with last year's self-evaluation: a target set below last year's actual value, and
a target left unchanged after last year's miss. How serious each is, and the text it follows, is data:
a pack's ``[carry]`` table, its missing keys taken from ``carry-default.toml`` beside this module.
:func:`read_carry` validates the merged table and raises through the pack reader's ``fail``.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from jixiao.core.errors import JixiaoError

__all__ = ["CarryRules", "national_default", "read_carry"]

SEVERITIES = ("error", "warning", "info")
_TEXTS = ("document", "title", "below_actual_basis", "unchanged_after_miss_basis")
_SEVERITY_KEYS = ("below_actual_severity", "unchanged_after_miss_severity")
_KEYS = frozenset((*_TEXTS, *_SEVERITY_KEYS))

Fail = Callable[[str, str], JixiaoError]


@dataclass(frozen=True)
class CarryRules:
    """How strict the year-over-year target checks are, with the text each follows."""

    document: str
    title: str
    below_actual_severity: str
    unchanged_after_miss_severity: str
    # (key, formula, basis): the rows the rule pack lists in docs/rules.md
    bases: tuple[tuple[str, str, str], ...]


@functools.cache
def _default_table() -> dict[str, Any]:
    """The national default ``[carry]`` table, read once."""
    text = resources.files("jixiao.core.scoring").joinpath("carry-default.toml").read_text(encoding="utf-8")
    table: dict[str, Any] = tomllib.loads(text)["carry"]
    return table


def read_carry(raw: object, fail: Fail) -> CarryRules:
    """The copy-forward rule of a pack: its ``[carry]`` table (``None`` when absent) over the national default.

    An unknown key is refused: a misspelt severity would otherwise leave the default in force unseen.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise fail("carry", "一个表（[carry]）")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise fail(f"carry.{unknown[0]}", f"已知的键之一（{'、'.join(sorted(_KEYS))}）")
    table = {**_default_table(), **raw}
    texts: dict[str, str] = {}
    for key in _TEXTS:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            raise fail(f"carry.{key}", "非空文字")
        texts[key] = value
    severities: dict[str, str] = {}
    for key in _SEVERITY_KEYS:
        value = table.get(key)
        if value not in SEVERITIES:
            raise fail(f"carry.{key}", f"以下之一：{'、'.join(SEVERITIES)}")
        severities[key] = str(value)
    return CarryRules(
        document=texts["document"],
        title=texts["title"],
        below_actual_severity=severities["below_actual_severity"],
        unchanged_after_miss_severity=severities["unchanged_after_miss_severity"],
        bases=(
            (
                "carry.below_actual",
                f"target-below-prior-actual: {severities['below_actual_severity']}",
                texts["below_actual_basis"],
            ),
            (
                "carry.unchanged_after_miss",
                f"target-unchanged-after-shortfall: {severities['unchanged_after_miss_severity']}",
                texts["unchanged_after_miss_basis"],
            ),
        ),
    )


def national_default() -> CarryRules:
    """The copy-forward rule a pack without a ``[carry]`` table gets."""

    def fail(path: str, expected: str) -> JixiaoError:  # the shipped default is tested; this never runs
        return JixiaoError(f"carry-default.toml 的 {path} 应为{expected}")

    return read_carry(None, fail)
