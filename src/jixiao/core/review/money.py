"""Checks on the money: the funding rows add up, each printed rate fits its amounts, the execution score.

Amounts are compared at their printed precision: a form in 万元 to two
places can be off by half a cent of a 万元 per figure, and a printed rate
may be rounded half-up, up or truncated (the pack lists which), so only a
disagreement beyond what the printing itself explains becomes a finding.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.model import FUND_ROW_LABELS, FundRow, Project
from jixiao.core.review.context import Reporter
from jixiao.core.scoring.assess import show_amount, show_number
from jixiao.core.scoring.engine import ExecutionScore, describe_rounding
from jixiao.core.scoring.formulas import (
    HUNDRED,
    half_unit,
    quantize,
    rate_interval,
    rate_matches,
    round_score,
    round_to,
)

__all__ = ["check_execution", "check_funds", "check_rates"]

_COLUMNS = (
    ("initial", "年初预算数"),
    ("adjusted", "全年预算数"),
    ("executed", "全年执行数"),
    ("requested", "年度资金申请总额"),
    ("forecast", "全年预计执行数"),
)
_SHORT = {
    "current_appropriation": "当年财政拨款",
    "carryover": "上年结转资金",
    "other": "其他资金",
    "central": "中央财政资金",
    "local": "地方资金",
}


def _parts(project: Project) -> list[tuple[str, FundRow]]:
    """The component rows that should add up to the total: central/local/other or appropriation/carryover/other."""
    f = project.funds
    # Transfer forms split by source (central/local), others by kind of money; never both in one sum.
    keys = ("central", "local", "other") if (f.central or f.local) else ("current_appropriation", "carryover", "other")
    return [(k, row) for k in keys if (row := getattr(f, k)) is not None]


def check_funds(r: Reporter, project: Project) -> None:
    """The funding rows add up to the total, column by column, within the printed precision."""
    total = project.funds.total
    parts = _parts(project)
    if total is None or not parts:
        return
    unit = project.money_unit or "元"
    for column, label in _COLUMNS:
        whole = getattr(total, column)
        values = [getattr(row, column) for _, row in parts]
        # A printed row without this column leaves the sum unknown: nothing to check.
        if whole is None or any(v is None for v in values):
            continue
        amounts: list[Decimal] = [v for v in values if v is not None]
        added = sum(amounts, Decimal(0))
        # Every printed amount may be off by half its last digit; the sum may be off by all of them together.
        slack = half_unit(whole) + sum((half_unit(v) for v in amounts), Decimal(0))
        if abs(added - whole) > slack:
            terms = " + ".join(f"{_SHORT[k]} {show_amount(v)}" for (k, _), v in zip(parts, amounts, strict=True))
            r.add(
                "funds-do-not-add-up",
                project,
                f"{label}：年度资金总额填报 {show_amount(whole)} {unit}，但 {terms} = {show_amount(added)} {unit}，"
                f"相差 {show_amount(whole - added)} {unit}。",
                field=f"funds.total.{column}",
                expected=added,
                found=whole,
            )


def _explain_rate(printed: Decimal, executed: Decimal, adjusted: Decimal) -> str:
    """What the amounts give, in the printed precision, for a rate message."""
    exponent = printed.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    pct = executed / adjusted * HUNDRED
    half = round_to(pct, places, "ROUND_HALF_UP")
    raw = quantize(pct, Decimal("0.0001"), rounding="ROUND_DOWN")
    return f"{show_amount(executed)} ÷ {show_amount(adjusted)} = {raw}…%，保留 {places} 位小数应为 {half}%"


def _check_rate(
    r: Reporter,
    project: Project,
    key: str,
    printed: Decimal | None,
    row: FundRow | None,
    code: str = "execution-rate-mismatch",
) -> None:
    # A zero budget has no rate (0/0); forms print 0.00 or nothing there, and both are fine.
    if printed is None or row is None or row.executed is None or row.adjusted is None or row.adjusted <= 0:
        return
    low, high = rate_interval(row.executed, row.adjusted)
    if not rate_matches(printed, low, high, r.pack.rate_rounding):
        label = FUND_ROW_LABELS.get(key, "预算执行率")
        field = "execution.rate_pct" if key == "execution" else f"funds.{key}.rate_pct"
        expected = round_to(
            row.executed / row.adjusted * HUNDRED, max(0, -int(printed.as_tuple().exponent)), "ROUND_HALF_UP"
        )
        r.add(
            code,
            project,
            f"{label}的执行率填报 {printed}%，与金额不符：{_explain_rate(printed, row.executed, row.adjusted)}"
            f"（四舍五入、向上取整或截断都得不到 {printed}%）。",
            field=field,
            expected=f"{expected}%",
            found=f"{printed}%",
        )


def check_rates(r: Reporter, project: Project, code: str = "execution-rate-mismatch") -> None:
    """Each funding row's printed 执行率 against its amounts; ``code`` names the finding (monitoring has its own)."""
    for key, row in project.funds.rows():
        _check_rate(r, project, key, row.rate_pct, row, code)


def check_execution(r: Reporter, project: Project, score: ExecutionScore | None) -> None:
    """Each printed 执行率 against its amounts, the execution score against the rule, a rate above 100%."""
    funds = project.funds
    check_rates(r, project)
    if project.execution is not None and project.execution.rate_pct is not None:
        total = funds.total or funds.current_appropriation
        # The scoring row usually repeats the total row's rate; check it only when it says something else.
        if total is None or total.rate_pct != project.execution.rate_pct:
            _check_rate(r, project, "execution", project.execution.rate_pct, total)
    if score is None:
        return
    if score.rate is not None and score.rate > 1 and score.executed is not None and score.adjusted is not None:
        unit = project.money_unit or "元"
        r.add(
            "execution-over-100",
            project,
            f"全年执行数 {show_amount(score.executed)} {unit} 大于全年预算数 {show_amount(score.adjusted)} {unit}，"
            f"执行率 {quantize(score.rate * HUNDRED, Decimal('0.01'))}%，请核实；"
            f"预算执行率得分以分值 {show_number(score.weight)} 分为上限。",
            field="funds.total.executed",
            found=score.executed,
        )
    if score.differs and score.suggested is not None and score.recorded is not None and score.accepted is not None:
        low, high = score.accepted
        extra = "" if low == high else f"；按金额的显示精度，{low}–{high} 分都可接受"
        if score.printed_rate_pct is not None:
            by_rate = round_score(score.weight * score.printed_rate_pct / HUNDRED, r.pack)
            if by_rate == score.recorded and score.printed_rate_pct / HUNDRED != score.rate:
                # the 2022 template multiplies the rounded-up printed rate: say so, the unit will recognise it
                extra += (
                    f"；表中得分与按印出的执行率 {score.printed_rate_pct}% 计算的结果一致，但印出的执行率是取整后的数"
                )
        r.add(
            "execution-score-mismatch",
            project,
            f"预算执行率得分应为 {score.suggested} 分（{score.arithmetic}，{describe_rounding(r.pack)}{extra}），"
            f"表中填报 {score.recorded} 分。",
            field="execution.score",
            expected=score.suggested,
            found=score.recorded,
        )
