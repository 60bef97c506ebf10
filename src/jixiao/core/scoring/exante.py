"""Ex-ante assessment (事前绩效评估): a rule pack's ``[exante]`` table, the scoring sheet's totals and the conclusion.

A pack may carry an ``[exante]`` table; the keys it leaves out (or the whole
table) come from the national default, ``exante-default.toml`` beside this
module (中发〔2018〕34号 asks for ex-ante assessment of new policies and
projects; 国发〔2021〕5号 for cost-benefit analysis in it; the dimensions and
the conclusion bands follow a provincial 事前绩效评估管理办法). A pack that
writes ``dimensions`` replaces the whole table of dimensions.

Everything else here is pure: :func:`expert_total` checks one expert's sheet
and adds it up, :func:`panel_total` averages the experts, :func:`conclude`
maps a total to 予以支持 / 调整完善后予以支持 / 不予支持, :func:`needs_assessment`
is the approval gate's question.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from importlib import resources
from typing import Any

from jixiao.core.errors import JixiaoError

__all__ = [
    "Conclusion",
    "Dimension",
    "ExanteRules",
    "Question",
    "SheetError",
    "conclude",
    "expert_total",
    "is_new",
    "national_default",
    "needs_assessment",
    "panel_total",
    "read_exante",
    "to_yuan",
]

_TEXTS = ("document", "title", "dimensions_basis", "conclusion_basis", "gate_basis")
_KEYS = frozenset((*_TEXTS, "support_min", "adjust_min", "gate_amount_yuan", "new_natures", "dimensions"))
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
# the money units a declaration may be kept in, as multiples of one yuan
_UNITS = {"元": Decimal(1), "万元": Decimal(10000)}

Fail = Callable[[str, str], JixiaoError]


class SheetError(JixiaoError):
    """An expert's scoring sheet that cannot be counted; the message names the question."""


class Conclusion(StrEnum):
    """The three conclusions of an ex-ante assessment."""

    SUPPORT = "support"
    ADJUST = "adjust"
    REJECT = "reject"

    @property
    def label(self) -> str:
        """The conclusion as the report prints it."""
        return _CONCLUSION_LABELS[self]


_CONCLUSION_LABELS = {
    Conclusion.SUPPORT: "予以支持",
    Conclusion.ADJUST: "调整完善后予以支持",
    Conclusion.REJECT: "不予支持",
}


@dataclass(frozen=True)
class Question:
    """One point of the scoring sheet (评估要点) with its full marks."""

    key: str
    text: str
    weight: Decimal


@dataclass(frozen=True)
class Dimension:
    """One of the five dimensions (立项必要性 …) with its points; ``weight`` is the sum of theirs."""

    key: str
    name: str
    weight: Decimal
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class ExanteRules:
    """The ex-ante rules of a pack: the sheet, the conclusion bands and the approval gate."""

    document: str
    title: str
    dimensions: tuple[Dimension, ...]
    # a total at or above support_min is 予以支持; at or above adjust_min 调整完善后予以支持; below, 不予支持
    support_min: Decimal
    adjust_min: Decimal
    # the gate: a new declaration whose requested total reaches this many yuan needs a supporting assessment
    gate_amount_yuan: Decimal
    new_natures: tuple[str, ...]
    # (key, formula, basis): the rows the rule pack lists in docs/rules.md
    bases: tuple[tuple[str, str, str], ...]

    @property
    def total_weight(self) -> Decimal:
        """Full marks of the sheet (100 in the default)."""
        return sum((d.weight for d in self.dimensions), Decimal(0))

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every point of the sheet, in order."""
        return tuple(q for d in self.dimensions for q in d.questions)


@functools.cache
def _default_table() -> dict[str, Any]:
    """The national default ``[exante]`` table, read once."""
    text = resources.files("jixiao.core.scoring").joinpath("exante-default.toml").read_text(encoding="utf-8")
    table: dict[str, Any] = tomllib.loads(text, parse_float=Decimal)["exante"]
    return table


def _number(value: object, path: str, fail: Fail, *, top: Decimal | None = None) -> Decimal:
    # zero and negative marks are refused: a point worth nothing would only confuse the sheet
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or value <= 0:
        raise fail(path, "大于 0 的数字")
    if top is not None and value > top:
        raise fail(path, f"不超过 {top} 的数字")
    return Decimal(value)


def _text(table: Mapping[str, Any], key: str, path: str, fail: Fail) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise fail(path, "非空文字")
    return value


def _question(raw: object, path: str, fail: Fail) -> Question:
    if not isinstance(raw, dict):
        raise fail(path, "一个表（key、text、weight）")
    return Question(
        key=_text(raw, "key", f"{path}.key", fail),
        text=_text(raw, "text", f"{path}.text", fail),
        weight=_number(raw.get("weight"), f"{path}.weight", fail),
    )


def _dimension(raw: object, path: str, fail: Fail) -> Dimension:
    if not isinstance(raw, dict):
        raise fail(path, "一个表（key、name、weight、questions）")
    weight = _number(raw.get("weight"), f"{path}.weight", fail)
    questions_raw = raw.get("questions")
    if not isinstance(questions_raw, list) or not questions_raw:
        raise fail(f"{path}.questions", "至少一个评估要点的列表")
    questions = tuple(_question(q, f"{path}.questions[{i}]", fail) for i, q in enumerate(questions_raw))
    # the points must make the dimension, or an expert's full marks would not be the sheet's
    if sum((q.weight for q in questions), Decimal(0)) != weight:
        raise fail(f"{path}.questions", f"分值合计等于该维度的分值 {weight}")
    return Dimension(
        _text(raw, "key", f"{path}.key", fail), _text(raw, "name", f"{path}.name", fail), weight, questions
    )


def read_exante(raw: object, fail: Fail) -> ExanteRules:
    """The ex-ante rules of a pack: its ``[exante]`` table (``None`` when absent) over the national default.

    ``fail(path, expected)`` builds the error for a bad key; an unknown key is refused, since a misspelt
    threshold would otherwise leave the default in force without a word.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise fail("exante", "一个表（[exante]）")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise fail(f"exante.{unknown[0]}", f"已知的键之一（{'、'.join(sorted(_KEYS))}）")
    table = {**_default_table(), **raw}
    texts = {key: _text(table, key, f"exante.{key}", fail) for key in _TEXTS}
    dims_raw = table.get("dimensions")
    if not isinstance(dims_raw, list) or not dims_raw:
        raise fail("exante.dimensions", "至少一个评估维度的列表（[[exante.dimensions]]）")
    dimensions = tuple(_dimension(d, f"exante.dimensions[{i}]", fail) for i, d in enumerate(dims_raw))
    keys = [q.key for d in dimensions for q in d.questions] + [d.key for d in dimensions]
    if len(set(keys)) != len(keys):
        raise fail("exante.dimensions", "各维度和评估要点的 key 互不相同")
    total = sum((d.weight for d in dimensions), Decimal(0))
    if total != _HUNDRED:
        raise fail("exante.dimensions", f"各维度分值合计 100（现为 {total}）")
    support = _number(table.get("support_min"), "exante.support_min", fail, top=total)
    adjust = _number(table.get("adjust_min"), "exante.adjust_min", fail, top=total)
    if adjust >= support:
        raise fail("exante.adjust_min", f"小于 support_min（{support}）的数字")
    amount = _number(table.get("gate_amount_yuan"), "exante.gate_amount_yuan", fail)
    natures = table.get("new_natures")
    if not isinstance(natures, list) or not natures or not all(isinstance(v, str) and v.strip() for v in natures):
        raise fail("exante.new_natures", '文字的列表（如 ["新增"]）')
    sheet = "、".join(f"{d.name} {d.weight}" for d in dimensions)
    return ExanteRules(
        document=texts["document"],
        title=texts["title"],
        dimensions=dimensions,
        support_min=support,
        adjust_min=adjust,
        gate_amount_yuan=amount,
        new_natures=tuple(natures),
        bases=(
            ("exante.dimensions", sheet, texts["dimensions_basis"]),
            (
                "exante.conclusion",
                f"≥{support} 予以支持 / ≥{adjust} 调整完善后予以支持 / <{adjust} 不予支持",
                texts["conclusion_basis"],
            ),
            (
                "exante.gate",
                f"项目性质含 {'、'.join(natures)} 且申请总额 ≥ {amount} 元",
                texts["gate_basis"],
            ),
        ),
    )


def national_default() -> ExanteRules:
    """The ex-ante rules a pack without an ``[exante]`` table gets."""

    def fail(path: str, expected: str) -> JixiaoError:  # the shipped default is tested; this never runs
        return JixiaoError(f"exante-default.toml 的 {path} 应为{expected}")

    return read_exante(None, fail)


def expert_total(rules: ExanteRules, scores: Mapping[str, object]) -> Decimal:
    """One expert's total: every point scored between 0 and its full marks, to the hundredth; else :class:`SheetError`.

    ``scores`` maps a point's key to its score (a ``Decimal``, or the text a form sent). Every problem is
    named with its dimension and point, all at once.
    """
    problems: list[str] = []
    total = Decimal(0)
    known = {q.key for q in rules.questions}
    for key in sorted(set(scores) - known):
        problems.append(f"评分表中没有评估要点 {key}。")
    for dim in rules.dimensions:
        for q in dim.questions:
            place = f"「{dim.name}」的“{q.text}”"
            raw = scores.get(q.key)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                problems.append(f"{place}未打分。")
                continue
            try:
                value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
            except InvalidOperation:
                problems.append(f"{place}的得分“{raw}”不是数字。")
                continue
            if not value.is_finite() or not 0 <= value <= q.weight:
                problems.append(f"{place}的得分应在 0 到 {q.weight} 分之间（填了 {raw}）。")
            elif value != value.quantize(_CENT):
                problems.append(f"{place}的得分最多两位小数（填了 {raw}）。")
            else:
                total += value
    if problems:
        raise SheetError("；".join(problems))
    return total


def panel_total(totals: Sequence[Decimal]) -> Decimal:
    """The assessment's total: the experts' totals averaged, to 0.01 (ROUND_HALF_UP)."""
    if not totals:
        raise SheetError("还没有专家提交评分，不能计算评估总分。")
    return (sum(totals, Decimal(0)) / len(totals)).quantize(_CENT, rounding=ROUND_HALF_UP)


def conclude(rules: ExanteRules, total: Decimal) -> Conclusion:
    """The conclusion of a total: ``support_min`` and above 予以支持, ``adjust_min`` and above 调整完善后予以支持."""
    if not 0 <= total <= rules.total_weight:
        raise SheetError(f"评估总分 {total} 不在 0 到 {rules.total_weight} 分之间。")
    if total >= rules.support_min:
        return Conclusion.SUPPORT
    if total >= rules.adjust_min:
        return Conclusion.ADJUST
    return Conclusion.REJECT


def is_new(rules: ExanteRules, nature: str | None) -> bool:
    """Whether a declaration of this 项目性质 is new (新增 …) for the gate."""
    return bool(nature) and any(word in (nature or "") for word in rules.new_natures)


def to_yuan(amount: Decimal | None, unit: str) -> Decimal | None:
    """An amount in yuan (a declaration may be kept in 万元); None when there is no amount or the unit is unknown."""
    factor = _UNITS.get(unit)
    return None if amount is None or factor is None else amount * factor


def needs_assessment(rules: ExanteRules, nature: str | None, amount: Decimal | None, unit: str) -> bool:
    """The gate's question: is this a new declaration whose requested total reaches the configured amount?"""
    yuan = to_yuan(amount, unit)
    return is_new(rules, nature) and yuan is not None and yuan >= rules.gate_amount_yuan
