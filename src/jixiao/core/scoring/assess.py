"""How far an actual value (实际完成值) meets its target (指标值), before any weight is applied.

:func:`assess` reads both cells through the target grammar and returns an
:class:`Assessment`: met or not, the completion ratio, the qualitative tier,
or why the pair cannot be scored. It depends only on the two texts and two
pack settings, so it is cached: real forms repeat the same targets and
actuals thousands of times.

A value the grammar cannot read, an actual in another unit, a phrase that
says something other than the target: all are *not scorable* with a reason
in Chinese, never a guess.
"""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from difflib import SequenceMatcher

from jixiao.core.scoring.formulas import HUNDRED, ONE, ZERO, positive_completion, quantize, reverse_completion
from jixiao.core.targets import (
    Compound,
    Family,
    FreeText,
    Operator,
    Qualitative,
    Quantity,
    TargetValue,
    Tier,
    When,
    parse_target,
)

__all__ = ["Assessment", "assess", "read_value", "same_unit", "show_amount", "show_number", "show_quantity"]

# Units that name the same measure; anything else must match exactly (工作日 is not 天).
_UNIT_SYNONYMS = {"个工作日": "工作日", "日": "天", "自然日": "天", "个月": "月", "％": "%", "百分比": "%"}
_INEQUALITIES = (Operator.GE, Operator.GT, Operator.LE, Operator.LT)
_PHRASE_PUNCTUATION = str.maketrans("", "", "，,。.、；;：:！!？?“”\"'‘’（）()《》<> ")


@functools.lru_cache(maxsize=1 << 18)
def read_value(text: str | None) -> TargetValue:
    """:func:`~jixiao.core.targets.parse_target`, cached: the same cell text is parsed once."""
    return parse_target(text)


@dataclass(frozen=True, slots=True)
class Assessment:
    """The comparison of one target with one actual value, independent of weight and pack formula.

    ``completion`` is 1 when the target is exactly met; for positive
    indicators it may exceed 1 (``exceeded_by`` is then completion − 1).
    ``rule`` names the comparison used: ``positive``, ``reverse``,
    ``equal``, ``zero-target``, ``compound``, ``tier``, ``same-phrase`` or
    ``deadline`` (a date against a 时限 target: met or not, nothing between).
    """

    scorable: bool
    rule: str
    detail: str
    reason: str | None = None
    completion: Decimal | None = None
    met: bool | None = None
    tier: Tier | None = None
    exceeded_by: Decimal | None = None
    equal_exceeded: bool = False
    actual_is_inequality: bool = False
    unit_conflict: tuple[str, str] | None = None
    numbers: tuple[Decimal, Decimal] | None = None


def show_number(value: Decimal) -> str:
    """A number as a person writes it: ``300`` for ``300.00``, ``0.5`` for ``0.50``, with thousands commas."""
    return f"{value.normalize():,f}"


def show_amount(value: Decimal) -> str:
    """An amount of money with its printed digits and thousands commas: ``1,295.71``, ``16.30``."""
    return f"{value:,f}"


def show_quantity(q: Quantity) -> str:
    """``≥300(人次)`` style text of a quantity, without printed trailing zeros."""
    op = q.operator.value if q.operator else ""
    unit = q.unit or ""
    return f"{op}{show_number(q.number)}{unit}"


def _pct(ratio: Decimal) -> str:
    """A ratio as a percentage with two decimals: ``18.67%``."""
    return f"{quantize(ratio * HUNDRED, Decimal('0.01'))}%"


def same_unit(a: str | None, b: str | None) -> bool:
    """True when two units measure the same thing, or one of them is not printed."""
    if not a or not b:
        return True
    return _UNIT_SYNONYMS.get(a, a) == _UNIT_SYNONYMS.get(b, b)


def _not_scorable(reason: str, unit_conflict: tuple[str, str] | None = None) -> Assessment:
    """A comparison that cannot give a score, with the reason as its detail."""
    return Assessment(False, "none", reason, reason, unit_conflict=unit_conflict)


def _compare(target: Quantity, actual: Quantity, method: str) -> Assessment:
    """One quantity against one quantity; units must agree."""
    if not same_unit(target.unit, actual.unit):
        reason = f"实际完成值的单位“{actual.unit}”与指标值的单位“{target.unit}”不同，无法比较"
        return _not_scorable(reason, unit_conflict=(target.unit or "", actual.unit or ""))
    t, a = target.number, actual.number
    # An actual printed as ">=85%" is a promise, not a measurement: it is read at its number and flagged later.
    inequality = actual.operator in _INEQUALITIES
    shown = f"指标值 {show_quantity(target)}，实际完成 {show_quantity(actual)}"
    if inequality:
        shown += f"（实际完成值带比较符号，按 {show_number(a)} 计）"
    op = target.operator
    reverse = op in (Operator.LE, Operator.LT)
    if t <= 0:
        # A zero (or negative) target has no ratio: met or not, nothing in between.
        if op is Operator.EQ or op is None:
            met = a == t
        elif op is Operator.GT:
            met = a > t
        elif op is Operator.LT:
            met = a < t
        elif reverse:
            met = a <= t
        else:
            met = a >= t
        text = f"{shown}；指标值为 {show_number(t)}，只分达成与未达成：{'达成' if met else '未达成'}"
        return Assessment(
            True, "zero-target", text, completion=ONE if met else ZERO, met=met, actual_is_inequality=inequality
        )
    if reverse:
        completion = reverse_completion(a, t, method)
        met = a <= t if op is Operator.LE else a < t
        if a <= t:
            text = f"{shown}；反向指标，实际值未超过指标值，达成"
        elif method == "target/actual":
            text = f"{shown}；反向指标，完成比例 = {show_number(t)} ÷ {show_number(a)} = {_pct(completion)}"
        else:
            formula = f"(2 × {show_number(t)} − {show_number(a)}) ÷ {show_number(t)}"
            text = f"{shown}；反向指标，完成比例 = {formula} = {_pct(completion)}"
        return Assessment(
            True, "reverse", text, completion=completion, met=met, actual_is_inequality=inequality, numbers=(a, t)
        )
    completion = positive_completion(a, t)
    # ">" met only above the number; the ratio still scores it, as the rule has no separate formula for ">".
    met = a > t if op is Operator.GT else a >= t
    rule = "equal" if op is Operator.EQ else "positive"
    exceeded = completion - ONE if completion > ONE else None
    if completion >= ONE:
        text = f"{shown}；完成比例 = {show_number(a)} ÷ {show_number(t)} = {_pct(completion)}，达成"
    else:
        text = f"{shown}；完成比例 = {show_number(a)} ÷ {show_number(t)} = {_pct(completion)}"
    return Assessment(
        True,
        rule,
        text,
        completion=completion,
        met=met,
        exceeded_by=exceeded,
        equal_exceeded=op is Operator.EQ and a > t,
        actual_is_inequality=inequality,
        numbers=(a, t),
    )


def _compound(target: Compound, actual: TargetValue, method: str) -> Assessment:
    """A compound target: every part must hold; the weakest part decides the completion."""
    labels = [p.label for p in target.parts]
    # A range (80%-90%) is the grammar's compound of 下限 and 上限: one actual is checked against both ends.
    if isinstance(actual, Quantity) and labels == ["下限", "上限"]:
        pairs = [(p.label, p.quantity, actual) for p in target.parts]
    elif isinstance(actual, Compound):
        found = {p.label: p.quantity for p in actual.parts}
        missing = [label for label in labels if label not in found]
        if missing:
            return _not_scorable(f"实际完成值缺少指标值中的“{'、'.join(missing)}”部分，无法逐项比较")
        pairs = [(p.label, p.quantity, found[p.label]) for p in target.parts]
    else:
        return _not_scorable("指标值由几部分组成，实际完成值不是同样分项填写的，无法逐项比较")
    parts = []
    for label, t, a in pairs:
        one = _compare(t, a, method)
        if not one.scorable or one.completion is None:
            return _not_scorable(f"“{label}”部分：{one.reason}", unit_conflict=one.unit_conflict)
        parts.append((label, one))
    completion = min(one.completion for _, one in parts if one.completion is not None)
    met = all(one.met for _, one in parts)
    text = (
        "；".join(f"{label}：{one.detail}" for label, one in parts) + f"；按最低的一项计，完成比例 {_pct(completion)}"
    )
    inequality = any(one.actual_is_inequality for _, one in parts)
    return Assessment(True, "compound", text, completion=completion, met=met, actual_is_inequality=inequality)


# A year for dates that name none: a leap year, so that 2月29日 is a day like any other.
_ANY_YEAR = 2000


def _show_day(day: date, year_named: bool) -> str:
    """A day as a person writes it: ``2026年10月31日``, or ``10月31日`` when no year was named."""
    return (f"{day.year}年" if year_named else "") + f"{day.month}月{day.day}日"


def _span(w: When, year: int | None) -> tuple[date, date]:
    """The first and the last day a calendar point covers (a whole month, a whole year, or one day)."""
    y = year if year is not None else _ANY_YEAR
    if w.month is None:
        return date(y, 1, 1), date(y, 12, 31)
    if w.day is None:
        return date(y, w.month, 1), date(y, w.month, calendar.monthrange(y, w.month)[1])
    return date(y, w.month, w.day), date(y, w.month, w.day)


def _deadline(t: Qualitative, a: Qualitative) -> Assessment:
    """A 时限 target against an actual value that names a date: met when done by the last day the target allows."""
    tw, aw = t.when, a.when
    assert tw is not None  # only called for a dated target
    if aw is None:
        return _not_scorable(
            f"指标值是时限（{t.phrase}），实际完成值“{a.phrase}”没有写明完成日期，无法判断是否按时完成"
        )
    for side, w, phrase in (("指标值", tw, t.phrase), ("实际完成值", aw, a.phrase)):
        if w.ambiguous:
            return _not_scorable(f"{side}“{phrase}”只写了月份和“前”，不能判断是该月1日前还是月底前")
    # A date without a year belongs to the same year as the other side's (the form's budget year).
    target_year, actual_year = tw.year or aw.year, aw.year or tw.year
    deadline = _span(tw, target_year)[1]
    first, last = _span(aw, actual_year)
    if aw.by:  # "9月底前完成": done at some time up to that point
        first = date.min
    limit = _show_day(deadline, target_year is not None)
    shown = f"指标值“{t.phrase}”即不晚于{limit}，实际完成值“{a.phrase}”"
    if last <= deadline:
        met = True
    elif first > deadline:
        met = False
    else:
        what = "只给出了一个期限" if aw.by else f"只写到{'年份' if aw.month is None else '月份'}"
        return _not_scorable(f"实际完成值“{a.phrase}”{what}，无法判断是否在{limit}（含）以前完成")
    verdict = "按时完成，达成" if met else "晚于期限，未达成"
    return Assessment(True, "deadline", f"{shown}：{verdict}", completion=ONE if met else ZERO, met=met)


def _phrase_key(text: str) -> str:
    return text.translate(_PHRASE_PUNCTUATION)


def _similar(a: str, b: str, threshold: Decimal) -> bool:
    """True when ``b`` contains ``a`` or the two differ in few characters (ratio ≥ threshold)."""
    if a in b:
        return True
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    # ratio = 2M / (len a + len b), compared in integers and Decimal so no float decides
    return 2 * matched >= threshold * (len(a) + len(b))


@functools.lru_cache(maxsize=1 << 18)
def assess(
    target: str | None, actual: str | None, method: str = "target/actual", similarity: Decimal | None = Decimal("0.75")
) -> Assessment:
    """Compare an actual value with its target; ``method`` is the pack's reverse completion.

    ``similarity`` is the pack's threshold for an actual phrase to count as
    the target phrase (identical, containing it, or this similar); ``None``
    when the pack does not accept phrases as met at all.
    """
    t = read_value(target)
    a = read_value(actual)
    if isinstance(a, FreeText):
        # Empty and placeholder cells ("—", "/") are a missing value, not an unreadable one: different findings.
        if actual is None or a.reason == "指标值为空" or a.reason.startswith("指标值只有占位符"):
            return _not_scorable("未填写实际完成值")
        return _not_scorable(f"实际完成值无法识别：{a.reason}")
    if isinstance(a, Qualitative) and a.tier is not None:
        # The evaluator's tier decides for any kind of target: the form asks for exactly this judgement.
        return Assessment(
            True, "tier", f"实际完成值为“{a.phrase}”，按{a.tier.label}档计分", tier=a.tier, met=a.tier is Tier.MET
        )
    if isinstance(t, FreeText):
        return _not_scorable(f"指标值无法识别：{t.reason}")
    if isinstance(t, Quantity):
        if isinstance(a, Quantity):
            return _compare(t, a, method)
        return _not_scorable(f"指标值是数值（{show_quantity(t)}），实际完成值“{a.text}”不是可比较的数值")
    if isinstance(t, Compound):
        return _compound(t, a, method)
    if t.when is not None and isinstance(a, Qualitative) and a.when is not None:
        # two dates: compared as dates, never as look-alike phrases (10月底前 and 11月底前 differ by a month)
        return _deadline(t, a)
    if isinstance(a, Qualitative):
        # Forms often repeat the target phrase as the actual (建立健全 → 建立健全, typos included): that says "met".
        tk, ak = _phrase_key(t.phrase), _phrase_key(a.phrase)
        if similarity is not None and (tk == ak or _similar(tk, ak, similarity)):
            return Assessment(
                True,
                "same-phrase",
                f"实际完成值“{a.phrase}”与指标值“{t.phrase}”表述一致，视为达成",
                tier=Tier.MET,
                met=True,
            )
        if t.family is Family.SCALE:
            return _not_scorable(f"指标值是评分等级（{t.phrase}），实际完成值“{a.phrase}”不是达成等级的表述")
        if t.when is not None:
            return _deadline(t, a)
        return _not_scorable(f"实际完成值“{a.phrase}”与指标值“{t.phrase}”表述不同，无法判断达成程度")
    return _not_scorable(f"指标值是文字表述（{t.phrase}），实际完成值是数值，无法判断达成程度")
