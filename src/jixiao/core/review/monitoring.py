"""Checks on a monitoring form (项目支出绩效目标执行监控表): the alerts of 财预〔2019〕136号 and the form's arithmetic.

A monitoring form reports, at its as-of date, the money spent against the
year's budget and each indicator's progress against its approved target
(docs/domain.md §7). The alerts, each with its threshold in the rule pack's
``[monitoring]`` table (:class:`~jixiao.core.scoring.monitoring.MonitoringRules`):

* execution behind the time schedule (序时进度) by more than a margin;
* the full-year budget forecast short of the budget by more than a margin;
* an indicator's forecast that misses its target, by the target's own direction;
* a 截至监控日 value already beyond a ≤ (or <) target;
* a likelihood that asks for a 纠偏措施 without one.

Consistency errors (a rate that does not fit its amounts, more spent than
budgeted, a forecast below what is already spent, a cause or likelihood that
is not one of the form's options) come with them. :func:`overdue_finding`
judges a due date for the web, which alone knows when a form was submitted.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal

from jixiao.core.model import DEVIATION_CAUSES, FUND_ROW_LABELS, LIKELIHOODS, FundRow, Indicator, Project
from jixiao.core.review.context import Reporter
from jixiao.core.review.findings import REGISTRY, Finding
from jixiao.core.review.money import check_rates
from jixiao.core.scoring.assess import assess, read_value, same_unit, show_amount, show_number, show_quantity
from jixiao.core.scoring.monitoring import MonitoringRules, schedule_pct, schedule_terms
from jixiao.core.targets import Compound, FreeText, Operator, Qualitative, Quantity, TargetValue, Tier

__all__ = ["Verdict", "check_monitoring", "forecast_verdict", "overdue_finding"]

_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
_CERTAIN = LIKELIHOODS[0]  # 确定能
_UNREADABLE = "指标值无法识别"
_PLACEHOLDERS = "-—–―/\\.。…_~ \u3000"


def _day(d: date) -> str:
    """A date as the forms print it: ``2024年7月31日``."""
    return f"{d.year}年{d.month}月{d.day}日"


def _pct(value: Decimal, rounding: str = ROUND_HALF_UP) -> str:
    """A percentage to two places: ``58.33%``."""
    return f"{value.quantize(_CENT, rounding=rounding)}%"


def _blank(text: str | None) -> bool:
    """True for a cell with nothing in it: empty, white space, or only a placeholder such as ``—`` or ``/``."""
    return text is None or not text.strip().strip(_PLACEHOLDERS)


def _gap(difference: Decimal, unit: str | None) -> str:
    """How far apart two values are, in their unit; percentages differ by percentage points."""
    if unit == "%":
        return f"{show_number(difference)} 个百分点"
    return f"{show_number(difference)}{unit or ''}"


# --- the as-of date and the money ------------------------------------------------------------


def _as_of(r: Reporter, project: Project, year: int | None) -> date | None:
    """The as-of date, or None after a finding when it is missing, not a date, or outside the form's year."""
    text = project.as_of
    try:
        day = date.fromisoformat(text) if text else None
    except ValueError:
        day = None
    if day is None:
        why = f"：“{text}”不是有效日期" if text else ""
        r.add(
            "as-of-missing",
            project,
            f"项目“{project.name}”的监控表没有有效的监控截止日期（截至X月X日）{why}，无法计算序时进度。",
            field="as_of",
            expected="YYYY-MM-DD",
            found=text,
        )
        return None
    if year is not None and day.year != year:
        r.add(
            "as-of-outside-year",
            project,
            f"监控截止日期 {_day(day)} 不在本表的 {year} 年度内，无法计算序时进度。",
            field="as_of",
            expected=f"{year} 年内的日期",
            found=text,
        )
        return None
    return day


def _behind_schedule(r: Reporter, project: Project, key: str, rate: Decimal, how: str, as_of: date) -> None:
    """Alert when the execution rate lags the time schedule by more than the pack's margin (strictly)."""
    rules = r.pack.monitoring
    schedule = schedule_pct(as_of, rules.schedule)
    gap = schedule - rate
    if gap <= rules.execution_margin_pct:
        return
    elapsed, whole = schedule_terms(as_of, rules.schedule)
    counted = f"已过 {elapsed} 个整月 ÷ 12" if rules.schedule == "months" else f"第 {elapsed} 天 ÷ {whole} 天"
    margin = rules.execution_margin_pct
    r.add(
        "execution-behind-schedule",
        project,
        f"截至{_day(as_of)}预算执行率 {_pct(rate)}（{how}），序时进度 {_pct(schedule)}（{counted}），"
        f"落后 {gap.quantize(_CENT, rounding=ROUND_UP)} 个百分点，超过规则包 {r.pack.name} 允许的 "
        f"{show_number(margin)} 个百分点；请分析原因并采取纠偏措施。",
        field=f"funds.{key}.executed",
        expected=f"≥{_pct(schedule - margin, ROUND_UP)}",
        found=_pct(rate),
    )


def _budget_forecast(r: Reporter, project: Project, key: str, row: FundRow, unit: str) -> None:
    """The full-year forecast: not below what is already spent; not short of the budget by more than the margin."""
    forecast, adjusted = row.forecast, row.adjusted
    if forecast is None:
        return
    if row.executed is not None and forecast < row.executed:
        r.add(
            "budget-forecast-below-executed",
            project,
            f"全年预计执行数 {show_amount(forecast)} {unit} 小于截至监控日已执行的 "
            f"{show_amount(row.executed)} {unit}。",
            field=f"funds.{key}.forecast",
            expected=f"≥{show_amount(row.executed)}",
            found=forecast,
        )
        return
    if adjusted is None or adjusted <= 0:
        return
    short = adjusted - forecast
    share = short * _HUNDRED / adjusted
    margin = r.pack.monitoring.budget_forecast_shortfall_pct
    if share > margin:
        r.add(
            "budget-forecast-short",
            project,
            f"全年预计执行数 {show_amount(forecast)} {unit}，比年度预算数 {show_amount(adjusted)} {unit} 少 "
            f"{show_amount(short)} {unit}（{_pct(share, ROUND_UP)}），超过规则包 {r.pack.name} 允许的 "
            f"{show_number(margin)}%：预计形成结转结余，请考虑按程序调减预算。",
            field=f"funds.{key}.forecast",
            expected=f"≥{show_amount(adjusted * (_HUNDRED - margin) / _HUNDRED)}",
            found=forecast,
        )


_FIGURES = (("adjusted", "年度预算数"), ("executed", "截至监控日执行数"), ("forecast", "全年预计执行数"))


def _negative(r: Reporter, project: Project) -> bool:
    """A negative amount or rate on any funding row (an error); True when there was one."""
    found = False
    for key, row in project.funds.rows():
        for column, label in (*_FIGURES, ("rate_pct", "执行率")):
            value = getattr(row, column)
            if value is not None and value < 0:
                found = True
                r.add(
                    "monitoring-negative-amount",
                    project,
                    f"{FUND_ROW_LABELS[key]}的{label}为 {value}，不能为负数。",
                    field=f"funds.{key}.{column}",
                    expected="≥0",
                    found=value,
                )
    return found


def _check_budget(r: Reporter, project: Project, as_of: date | None) -> None:
    """The total row: its figures present, not negative and consistent, then the two budget alerts."""
    funds = project.funds
    key = "total" if funds.total is not None else "current_appropriation"
    row = funds.total or funds.current_appropriation or FundRow()
    unit = project.money_unit or "元"
    missing = [label for column, label in _FIGURES if getattr(row, column) is None]
    if missing:
        r.add(
            "monitoring-funds-missing",
            project,
            f"项目“{project.name}”的资金总额行没有填写{'、'.join(missing)}。",
            field=f"funds.{key}",
        )
    if _negative(r, project):
        return  # every comparison below would be about figures that cannot be
    check_rates(r, project, "monitoring-rate-mismatch")
    adjusted = row.adjusted
    if adjusted is not None and row.executed is not None and row.executed > adjusted:
        r.add(
            "monitoring-executed-over-budget",
            project,
            f"截至监控日执行数 {show_amount(row.executed)} {unit} 大于年度预算数 {show_amount(adjusted)} {unit}，"
            "请核对金额和金额单位。",
            field=f"funds.{key}.executed",
            expected=f"≤{show_amount(adjusted)}",
            found=row.executed,
        )
    elif as_of is not None and adjusted is not None and adjusted > 0:
        # the amounts decide; the printed rate only where an amount is missing
        if row.executed is not None:
            how = f"{show_amount(row.executed)} ÷ {show_amount(adjusted)} {unit}"
            _behind_schedule(r, project, key, row.executed * _HUNDRED / adjusted, how, as_of)
        elif row.rate_pct is not None:
            _behind_schedule(r, project, key, row.rate_pct, "表中填报的执行率", as_of)
    _budget_forecast(r, project, key, row, unit)


# --- an indicator's forecast against its target ----------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """Whether a forecast misses its target: ``misses`` None when it cannot be told (``detail`` says why).

    ``by_value`` is True when the forecast value itself decided, False when only the likelihood did.
    """

    misses: bool | None
    detail: str
    by_value: bool = True


_MET = Verdict(False, "全年预计完成值能达到指标值")


_GE, _GT, _LE, _LT, _EQ = Operator.GE, Operator.GT, Operator.LE, Operator.LT, Operator.EQ  # looked up once: hot


def _compare(t: Quantity, f: Quantity, equal: str) -> Verdict:
    """One quantity forecast against one quantity target, by the target's direction."""
    if not same_unit(t.unit, f.unit):
        return Verdict(None, f"全年预计完成值的单位“{f.unit}”与指标值的单位“{t.unit}”不同")
    a, n = f.number, t.number
    op = t.operator or _GE  # a bare number is "reach this at least" (docs/domain.md §3)
    if op is _GE:
        misses = a < n
    elif op is _GT:
        misses = a <= n
    elif op is _LE:
        misses = a > n
    elif op is _LT:
        misses = a >= n
    else:
        misses = a != n if equal == "differs" else a < n
    if not misses:
        return _MET  # most forecasts meet their targets: no sentence is built for them
    shown = f"指标值 {show_quantity(t)}，全年预计完成值 {show_quantity(f)}"
    if a == n:
        return Verdict(True, f"{shown}，等于指标值，而指标值要求{'高于' if op is _GT else '低于'}此数")
    relation = "低于" if a < n else "高于"
    return Verdict(True, f"{shown}，{relation}指标值 {_gap(abs(a - n), t.unit or f.unit)}")


def _pairs(t: Compound, f: TargetValue) -> list[tuple[str, Quantity, Quantity]] | None:
    """The (label, target part, forecast part) pairs of a compound target, or None when they do not pair up."""
    labels = [p.label for p in t.parts]
    if isinstance(f, Quantity) and labels == ["下限", "上限"]:  # a range: one value against both ends
        return [(p.label, p.quantity, f) for p in t.parts]
    if isinstance(f, Compound):
        found = {p.label: p.quantity for p in f.parts}
        if all(label in found for label in labels):
            return [(p.label, p.quantity, found[p.label]) for p in t.parts]
    return None


def _numeric(t: Quantity | Compound, f: TargetValue, forecast: str, equal: str) -> Verdict:
    """A quantitative target: the forecast must be a comparable value (or a tier)."""
    if isinstance(f, Qualitative) and f.tier is Tier.MET:
        return Verdict(False, f"全年预计完成值为“{f.phrase}”")
    if isinstance(t, Quantity):
        if isinstance(f, Quantity):
            return _compare(t, f, equal)
        return Verdict(None, f"指标值是数值（{show_quantity(t)}），全年预计完成值“{forecast}”不是可比较的数值")
    pairs = _pairs(t, f)
    if pairs is None:
        return Verdict(None, "指标值由几部分组成，全年预计完成值没有按同样的几部分填写")
    verdicts = [(label, _compare(tp, fp, equal)) for label, tp, fp in pairs]
    unknown = next(((label, v) for label, v in verdicts if v.misses is None), None)
    if unknown is not None:
        return Verdict(None, f"“{unknown[0]}”部分：{unknown[1].detail}")
    missed = [f"“{label}”部分：{v.detail}" for label, v in verdicts if v.misses]
    return Verdict(bool(missed), "；".join(missed) or "各部分均能达到")


@functools.lru_cache(maxsize=16)
def _unmet_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for the pack's unmet words, first listed first (one scan per forecast, not one per word)."""
    return re.compile("|".join(re.escape(w) for w in words))


def forecast_verdict(
    target: str | None, forecast: str | None, likelihood: str | None, rules: MonitoringRules
) -> Verdict:
    """Does the full-year forecast miss the target? By the target's own direction (docs/domain.md §7).

    Any forecast that reads 部分达成/未达成 or holds one of ``rules.unmet_words`` misses. A quantity
    target compares numbers (≥ below, > not above, ≤ above, < not below, = different or, by the pack,
    below). A qualitative target misses by a date later than its deadline, or by a likelihood in
    ``rules.unmet_likelihoods``. An unreadable target is left to the target checks (misses None).
    """
    t, f = read_value(target), read_value(forecast)
    text = forecast or ""
    if isinstance(t, FreeText):
        return Verdict(None, _UNREADABLE)
    if isinstance(f, Qualitative) and f.tier in (Tier.PARTIAL, Tier.UNMET):
        return Verdict(True, f"全年预计完成值为“{f.phrase}”")
    word = _unmet_pattern(rules.unmet_words).search(text)
    if word is not None:
        return Verdict(True, f"全年预计完成值“{text}”写明不能完成（含“{word.group()}”）")
    if isinstance(t, (Quantity, Compound)):
        return _numeric(t, f, text, rules.equal_forecast)
    if isinstance(f, Qualitative) and f.tier is Tier.MET:
        return Verdict(False, f"全年预计完成值为“{f.phrase}”")
    if t.when is not None and isinstance(f, Qualitative) and f.when is not None:
        dated = assess(target, forecast)
        if dated.rule == "deadline" and dated.met is not None:
            return Verdict(not dated.met, dated.detail.replace("实际完成值", "全年预计完成值"))
    if likelihood in rules.unmet_likelihoods:
        return Verdict(True, f"指标值“{t.phrase}”，完成目标可能性为“{likelihood}”", by_value=False)
    return Verdict(False, f"指标值“{t.phrase}”，全年预计完成值“{text}”")


def _ceilings(t: TargetValue, a: TargetValue) -> list[tuple[Quantity, Quantity]]:
    """The (≤ or < bound, value so far) pairs of a target and its 截至监控日 value."""
    if isinstance(t, Quantity) and isinstance(a, Quantity):
        pairs = [(t, a)]
    elif isinstance(t, Compound):
        pairs = [(tp, ap) for _, tp, ap in _pairs(t, a) or []]
    else:
        return []
    return [(tq, aq) for tq, aq in pairs if tq.operator in (Operator.LE, Operator.LT) and same_unit(tq.unit, aq.unit)]


def _check_ceiling(r: Reporter, project: Project, ind: Indicator, index: int) -> None:
    """A value so far already beyond a ≤ (or <) target."""
    for bound, so_far in _ceilings(read_value(ind.target), read_value(ind.actual)):
        beyond = so_far.number > bound.number if bound.operator is Operator.LE else so_far.number >= bound.number
        if beyond:
            excess = so_far.number - bound.number
            over = f"超出 {_gap(excess, bound.unit or so_far.unit)}" if excess else "已到上限而指标值要求低于此数"
            r.add(
                "actual-beyond-ceiling",
                project,
                f"指标“{ind.name}”的指标值为 {show_quantity(bound)}，截至监控日完成值已是 {show_quantity(so_far)}，"
                f"{over}；请分析原因并采取纠偏措施。",
                indicator=ind,
                index=index,
                field="actual",
                expected=show_quantity(bound),
                found=ind.actual,
            )
            return


def _check_options(r: Reporter, project: Project, ind: Indicator, index: int) -> str | None:
    """The cause types and the likelihood are the form's options; returns the likelihood when it is one."""
    for cause in ind.cause or ():
        if cause not in DEVIATION_CAUSES:
            r.add(
                "unknown-deviation-cause",
                project,
                f"指标“{ind.name}”的偏差原因类型“{cause}”不是规定选项（{'、'.join(DEVIATION_CAUSES)}）。",
                indicator=ind,
                index=index,
                field="cause",
                expected="/".join(DEVIATION_CAUSES),
                found=cause,
            )
    if ind.likelihood is None:
        r.add(
            "likelihood-missing",
            project,
            f"指标“{ind.name}”没有选择完成目标可能性（{'、'.join(LIKELIHOODS)}）。",
            indicator=ind,
            index=index,
            field="likelihood",
        )
        return None
    if ind.likelihood not in LIKELIHOODS:
        r.add(
            "unknown-likelihood",
            project,
            f"指标“{ind.name}”的完成目标可能性“{ind.likelihood}”不是规定选项（{'、'.join(LIKELIHOODS)}）。",
            indicator=ind,
            index=index,
            field="likelihood",
            expected="/".join(LIKELIHOODS),
            found=ind.likelihood,
        )
        return None
    return ind.likelihood


def _check_forecast(r: Reporter, project: Project, ind: Indicator, index: int, likelihood: str | None) -> bool:
    """The forecast against the target and against the likelihood; True when it misses the target."""
    rules = r.pack.monitoring
    if _blank(ind.forecast):
        r.add(
            "forecast-missing",
            project,
            f"指标“{ind.name}”没有填写全年预计完成值。",
            indicator=ind,
            index=index,
            field="forecast",
        )
        return False
    verdict = forecast_verdict(ind.target, ind.forecast, likelihood, rules)
    # an unreadable target has its own finding already (target-unparsable, target-missing)
    if verdict.misses is None and verdict.detail == _UNREADABLE:
        return False
    if verdict.misses is not False:
        code = "forecast-misses-target" if verdict.misses else "forecast-not-comparable"
        message = (
            f"指标“{ind.name}”预计不能完成：{verdict.detail}。"
            if verdict.misses
            else f"指标“{ind.name}”：{verdict.detail}，无法判断能否完成。"
        )
        r.add(
            code,
            project,
            message,
            indicator=ind,
            index=index,
            field="forecast",
            expected=ind.target,
            found=ind.forecast,
        )
    if verdict.misses is None:
        return False
    contradicts = verdict.by_value and (
        (verdict.misses and likelihood == _CERTAIN) or (not verdict.misses and likelihood in rules.unmet_likelihoods)
    )
    if contradicts:
        why = verdict.detail if verdict.misses else f"全年预计完成值“{ind.forecast}”能达到指标值“{ind.target}”"
        r.add(
            "likelihood-contradicts-forecast",
            project,
            f"指标“{ind.name}”的完成目标可能性为“{likelihood}”，与全年预计完成值不符（{why}）。",
            indicator=ind,
            index=index,
            field="likelihood",
            found=likelihood,
        )
    return verdict.misses


def _check_indicator(r: Reporter, project: Project, ind: Indicator, index: int) -> None:
    """Every alert and consistency check of one indicator row of the form."""
    likelihood = _check_options(r, project, ind, index)
    if _blank(ind.actual):
        r.add(
            "progress-missing",
            project,
            f"指标“{ind.name}”没有填写截至监控日完成值。",
            indicator=ind,
            index=index,
            field="actual",
        )
    misses = _check_forecast(r, project, ind, index, likelihood)
    _check_ceiling(r, project, ind, index)
    if likelihood in r.pack.monitoring.remedy_likelihoods and _blank(ind.remedy):
        r.add(
            "remedy-missing",
            project,
            f"指标“{ind.name}”的完成目标可能性为“{likelihood}”，没有填写纠偏措施。",
            indicator=ind,
            index=index,
            field="remedy",
            found=likelihood,
        )
    troubled = misses or (likelihood is not None and likelihood != _CERTAIN)
    if troubled and not ind.cause and _blank(ind.deviation):
        why = "预计不能完成" if misses else f"完成目标可能性为“{likelihood}”"
        r.add(
            "monitoring-cause-missing",
            project,
            f"指标“{ind.name}”{why}，没有选择偏差原因类型，也没有填写偏差原因分析。",
            indicator=ind,
            index=index,
            field="cause",
        )


def check_monitoring(r: Reporter, project: Project, year: int | None) -> None:
    """Every monitoring check of one project of a monitoring form of ``year``."""
    as_of = _as_of(r, project, year)
    _check_budget(r, project, as_of)
    for index, ind in enumerate(project.indicators):
        _check_indicator(r, project, ind, index)


def overdue_finding(
    project: str,
    unit: str | None,
    due: date,
    today: date,
    submitted: date | None,
    *,
    year: int | None = None,
    source: str | None = None,
) -> Finding | None:
    """The finding of a monitoring form judged against its due date, or None when it is not late.

    The due day itself is in time. Not submitted and ``today`` past ``due``: ``monitoring-not-submitted``;
    submitted after ``due``: ``monitoring-submitted-late``. ``today`` is the caller's (the web's) date.
    """
    if submitted is None:
        if today <= due:
            return None
        code = "monitoring-not-submitted"
        message = (
            f"项目“{project}”的监控表应于{_day(due)}前报送，至{_day(today)}仍未报送，已逾期 {(today - due).days} 天。"
        )
    elif submitted > due:
        code = "monitoring-submitted-late"
        message = (
            f"项目“{project}”的监控表应于{_day(due)}前报送，{_day(submitted)}才报送，逾期 {(submitted - due).days} 天。"
        )
    else:
        return None
    return Finding(
        code,
        REGISTRY[code].severity,
        project,
        unit,
        None,
        None,
        "submitted",
        message,
        due.isoformat(),
        None if submitted is None else submitted.isoformat(),
        source,
        year,
    )
