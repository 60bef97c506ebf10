"""Rectification (整改) proposals: which low results call for an item, as a rule pack's ``[rectification]`` says.

财预〔2020〕10号 asks that problems found by an evaluation be rectified. A pack may carry a
``[rectification]`` table; the keys it leaves out come from ``rectification-default.toml`` beside
this module. :func:`proposals` is pure: the web supplies a self-evaluation's grade and its
indicators' scores and weights, and gets back the items a reviewer may confirm (nothing is stored here).
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any

from jixiao.core.errors import JixiaoError

__all__ = ["IndicatorScore", "Proposal", "RectificationRules", "national_default", "proposals", "read_rectification"]

_TEXTS = ("document", "title", "grades_basis", "indicator_basis", "due_basis")
_KEYS = frozenset((*_TEXTS, "grades", "indicator_share_pct", "due_days"))
_HUNDRED = Decimal(100)

Fail = Callable[[str, str], JixiaoError]


@dataclass(frozen=True)
class RectificationRules:
    """When a result calls for a 整改 item: the grades, an indicator's share of its weight, the usual due days."""

    document: str
    title: str
    grades: tuple[str, ...]
    indicator_share_pct: Decimal
    due_days: int
    # (key, formula, basis): the rows the rule pack lists in docs/rules.md
    bases: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class IndicatorScore:
    """One indicator of a self-evaluation as the rule needs it: its name, recorded score and weight."""

    name: str
    score: Decimal | None
    weight: Decimal | None


@dataclass(frozen=True)
class Proposal:
    """A proposed 整改 item: what it follows (``grade`` or the indicator's name) and what to fix, with why."""

    follows: str
    task: str
    reason: str


@functools.cache
def _default_table() -> dict[str, Any]:
    """The national default ``[rectification]`` table, read once."""
    text = resources.files("jixiao.core.scoring").joinpath("rectification-default.toml").read_text(encoding="utf-8")
    table: dict[str, Any] = tomllib.loads(text, parse_float=Decimal)["rectification"]
    return table


def _text(table: dict[str, Any], key: str, fail: Fail) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise fail(f"rectification.{key}", "非空文字")
    return value


def read_rectification(raw: object, fail: Fail) -> RectificationRules:
    """The rectification rule of a pack: its ``[rectification]`` table (``None`` when absent) over the default.

    ``fail(path, expected)`` builds the error for a bad key; an unknown key is refused, since a misspelt
    threshold would otherwise leave the default in force without a word.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise fail("rectification", "一个表（[rectification]）")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise fail(f"rectification.{unknown[0]}", f"已知的键之一（{'、'.join(sorted(_KEYS))}）")
    table = {**_default_table(), **raw}
    texts = {key: _text(table, key, fail) for key in _TEXTS}
    grades = table.get("grades")
    if not isinstance(grades, list) or not all(isinstance(g, str) and g.strip() for g in grades):
        raise fail("rectification.grades", "等级名称的列表（可以为空）")
    share = table.get("indicator_share_pct")
    if isinstance(share, bool) or not isinstance(share, (int, Decimal)) or not 0 <= share <= _HUNDRED:
        raise fail("rectification.indicator_share_pct", "0 到 100 之间的数字（0 表示不按指标得分提出）")
    days = table.get("due_days")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 366:
        raise fail("rectification.due_days", "1 到 366 之间的整数（天）")
    return RectificationRules(
        document=texts["document"],
        title=texts["title"],
        grades=tuple(grades),
        indicator_share_pct=Decimal(share),
        due_days=days,
        bases=(
            ("rectification.grades", " / ".join(grades) or "不按等级提出", texts["grades_basis"]),
            ("rectification.indicator_share", f"得分 < 分值 × {share}%", texts["indicator_basis"]),
            ("rectification.due_days", f"{days} 天", texts["due_basis"]),
        ),
    )


def national_default() -> RectificationRules:
    """The rectification rule a pack without a ``[rectification]`` table gets."""

    def fail(path: str, expected: str) -> JixiaoError:  # the shipped default is tested; this never runs
        return JixiaoError(f"rectification-default.toml 的 {path} 应为{expected}")

    return read_rectification(None, fail)


def proposals(
    rules: RectificationRules, project: str, grade: str, indicators: Sequence[IndicatorScore]
) -> list[Proposal]:
    """The 整改 items ``rules`` propose for a self-evaluation: one for its grade, one per low-scored indicator.

    An indicator is low when its recorded score is below ``indicator_share_pct`` of its weight (strictly:
    exactly at the share is not low); an indicator without a score or weight proposes nothing.
    """
    out: list[Proposal] = []
    if grade and grade in rules.grades:
        out.append(
            Proposal(
                follows=grade,
                task=f"项目“{project}”自评等级为{grade}，请分析未达预期的原因，提出并落实整改措施。",
                reason=f"自评等级为{grade}（{rules.document}：等级 {'、'.join(rules.grades)} 应整改）",
            )
        )
    share = rules.indicator_share_pct
    for row in indicators:
        if not share or row.score is None or row.weight is None or row.weight <= 0:
            continue
        floor = row.weight * share / _HUNDRED
        if row.score < floor:
            out.append(
                Proposal(
                    follows=row.name,
                    task=f"指标“{row.name}”得分 {row.score} 分（分值 {row.weight} 分），请说明未完成的原因并整改。",
                    reason=f"得分 {row.score} 低于分值 {row.weight} 的 {share}%（{floor.normalize():f} 分）",
                )
            )
    return out
