"""The department-wide rules (部门整体支出绩效): a rule pack's ``[department]`` table over the national default.

A pack may carry a ``[department]`` table; the keys it leaves out come from
``department-default.toml`` beside this module, as the monitoring and
results rules do. The rules say which level-1 classes a department's
indicator tree uses (产出/效益/满意度 by default; a province may use
履职效能/管理效率/社会效应), how the 100 points split between the
execution rate and the indicators, and how far a department's typed
项目支出 may differ from its projects' roll-up.
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

__all__ = ["DepartmentRules", "class_of", "national_default", "read_department"]

_TEXTS = ("document", "title", "classes_basis", "weights_basis", "funds_basis", "rollup_basis")
_NUMBERS = ("execution_weight", "indicators_weight", "rollup_tolerance_pct")
_KEYS = frozenset((*_TEXTS, *_NUMBERS, "classes"))

Fail = Callable[[str, str], JixiaoError]


@dataclass(frozen=True)
class DepartmentRules:
    """The department-wide rules of a pack: level-1 classes, the point split, the roll-up tolerance."""

    document: str
    title: str
    classes: tuple[str, ...]
    execution_weight: Decimal
    indicators_weight: Decimal
    rollup_tolerance_pct: Decimal
    # (key, formula, basis): the rows the rule pack lists in docs/rules.md
    bases: tuple[tuple[str, str, str], ...]

    @property
    def total_weight(self) -> Decimal:
        """The whole form's points: execution plus indicators (100 by default)."""
        return self.execution_weight + self.indicators_weight


@functools.cache
def _default_table() -> dict[str, Any]:
    """The national default ``[department]`` table, read once."""
    text = resources.files("jixiao.core.scoring").joinpath("department-default.toml").read_text(encoding="utf-8")
    table: dict[str, Any] = tomllib.loads(text, parse_float=Decimal)["department"]
    return table


def read_department(raw: object, fail: Fail) -> DepartmentRules:
    """The department-wide rules of a pack: its ``[department]`` table (``None`` when absent) over the default.

    An unknown key is refused: a misspelt key would otherwise leave the default in force without a word.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise fail("department", "一个表（[department]）")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise fail(f"department.{unknown[0]}", f"已知的键之一（{'、'.join(sorted(_KEYS))}）")
    table = {**_default_table(), **raw}
    for key in _TEXTS:
        if not isinstance(table.get(key), str) or not table[key].strip():
            raise fail(f"department.{key}", "非空文字")
    numbers: dict[str, Decimal] = {}
    for key in _NUMBERS:
        value = table.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or not 0 <= value <= 100:
            raise fail(f"department.{key}", "0 到 100 之间的数字")
        numbers[key] = Decimal(value)
    if numbers["execution_weight"] + numbers["indicators_weight"] <= 0:
        raise fail("department.indicators_weight", "与 execution_weight 之和大于 0 的分值")
    classes = table.get("classes")
    if (
        not isinstance(classes, list)
        or len(classes) < 2
        or not all(isinstance(c, str) and c.strip() for c in classes)
        or len(set(classes)) != len(classes)
    ):
        raise fail("department.classes", '至少两个、互不相同的一级指标类别（如 ["产出", "效益", "满意度"]）')
    return DepartmentRules(
        document=table["document"],
        title=table["title"],
        classes=tuple(classes),
        execution_weight=numbers["execution_weight"],
        indicators_weight=numbers["indicators_weight"],
        rollup_tolerance_pct=numbers["rollup_tolerance_pct"],
        bases=(
            ("department.classes", " / ".join(classes), table["classes_basis"]),
            (
                "department.weights",
                f"{numbers['execution_weight'] + numbers['indicators_weight']} = "
                f"{numbers['execution_weight']} + {numbers['indicators_weight']}",
                table["weights_basis"],
            ),
            ("department.funds", "按收入性质之和 = 按支出性质之和 = 年度资金总额", table["funds_basis"]),
            ("department.rollup", f"容差 {numbers['rollup_tolerance_pct']}%", table["rollup_basis"]),
        ),
    )


def class_of(label: str, classes: tuple[str, ...]) -> str | None:
    """The pack class a level-1 label belongs to: the first class its text contains (None if none)."""
    text = "".join(label.split())
    # the longest class first: "社会效应" must not be taken for a shorter class it contains
    for cls in sorted(classes, key=len, reverse=True):
        if cls in text:
            return cls
    return None


def national_default() -> DepartmentRules:
    """The department-wide rules a pack without a ``[department]`` table gets."""

    def fail(path: str, expected: str) -> JixiaoError:  # the shipped default is tested; this never runs
        return JixiaoError(f"department-default.toml 的 {path} 应为{expected}")

    return read_department(None, fail)
