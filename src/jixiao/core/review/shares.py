"""Checks that the figures a total is made of are possible under the rule pack.

A self-evaluation totals 100 points because its parts are fixed: the
execution row takes the pack's ``weights.execution`` (10) and the indicators
share ``weights.indicators`` (90). Indicator weights that sum to 100 make a
total of 110 possible, and a printed 109.09 with grade 优 would then look
plausible; so the split is checked on the declaration (where weights are
set) and again on the self-evaluation (where they are scored), and a total
above the pack's maximum is reported wherever it appears.

How strictly each rule holds is pack data (``[shares]``): ``split`` for the
execution/indicator split and ``level1`` for the default level-1 split
(产出 50 / 效益 30 / 满意度 10), which real forms depart from widely.
:data:`IMPOSSIBLE` names the findings that, as errors, stop a record from
moving on.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.model import Project
from jixiao.core.review.context import Reporter, level1_class
from jixiao.core.review.findings import Finding, Severity
from jixiao.core.scoring.assess import show_number
from jixiao.core.scoring.engine import ProjectScore

__all__ = ["IMPOSSIBLE", "blocking", "check_shares", "check_total"]

# Findings of figures that cannot be: as errors they keep a record from being submitted, approved or published.
IMPOSSIBLE = frozenset(
    {
        "weight-out-of-range",
        "indicator-share-mismatch",
        "weights-do-not-add-up",
        "level1-share-differs",
        "score-out-of-range",
        "total-over-maximum",
        # a monitoring form's money that cannot be, and answers the form does not offer
        "monitoring-negative-amount",
        "monitoring-executed-over-budget",
        "budget-forecast-below-executed",
        "unknown-deviation-cause",
        "unknown-likelihood",
    }
)
_CLASS_NAMES = {"cost": "成本指标", "output": "产出指标", "effect": "效益指标", "satisfaction": "满意度指标"}


def blocking(findings: list[Finding]) -> list[Finding]:
    """The findings that keep a record from moving on: errors about figures that cannot be."""
    return [f for f in findings if f.code in IMPOSSIBLE and f.severity is Severity.ERROR]


def _severity(setting: str) -> Severity:
    """The severity a pack's ``[shares]`` setting gives a finding ("error", "warning" or "info")."""
    return Severity(setting)


def check_shares(r: Reporter, project: Project, scored: bool) -> None:
    """Each weight in range, the indicators' sum (and the execution row's weight) as the pack splits the total.

    ``scored`` is True for a self-evaluation, whose execution row has a weight of its own.
    """
    pack = r.pack
    indicators = project.indicators
    for index, ind in enumerate(indicators):
        if ind.weight is not None and not Decimal(0) < ind.weight <= pack.indicator_weight:
            r.add(
                "weight-out-of-range",
                project,
                f"指标“{ind.name}”的分值 {show_number(ind.weight)} 分不可能成立：每个指标的分值应大于 0、"
                f"不超过全部指标的分值 {show_number(pack.indicator_weight)} 分。",
                indicator=ind,
                index=index,
                field="weight",
                expected=f"0–{show_number(pack.indicator_weight)}",
                found=ind.weight,
            )
    weights = [i.weight for i in indicators]
    # Sums are judged only over a complete tree: a missing weight is a required-field finding of its own.
    if not indicators or any(w is None for w in weights):
        return
    summed = sum((w for w in weights if w is not None), Decimal(0))
    split = _severity(pack.split_check)
    execution = project.execution.weight if scored and project.execution else None
    if execution is not None:
        execution = Decimal(execution)  # a record not read back from its table may still hold an int
    if execution is not None and summed + execution != pack.total_weight:
        r.add(
            "weights-do-not-add-up",
            project,
            f"各指标分值 {show_number(summed)} 分与预算执行率分值 {show_number(execution)} 分之和为 "
            f"{show_number(summed + execution)} 分，不等于总分 {show_number(pack.total_weight)} 分"
            f"（规则包 {pack.name}：预算执行率 {show_number(pack.execution_weight)} 分、"
            f"指标 {show_number(pack.indicator_weight)} 分）。",
            field="indicators.weight",
            expected=pack.total_weight,
            found=summed + execution,
            severity=split,
        )
        return
    if execution is not None and execution != pack.execution_weight:
        r.add(
            "indicator-share-mismatch",
            project,
            f"预算执行率分值为 {show_number(execution)} 分、指标分值合计 {show_number(summed)} 分；"
            f"规则包 {pack.name} 规定预算执行率 {show_number(pack.execution_weight)} 分、"
            f"指标 {show_number(pack.indicator_weight)} 分。",
            field="execution.weight",
            expected=pack.execution_weight,
            found=execution,
            severity=split,
        )
        return
    if summed != pack.indicator_weight:
        r.add(
            "indicator-share-mismatch",
            project,
            f"各指标分值合计为 {show_number(summed)} 分，应为 {show_number(pack.indicator_weight)} 分"
            f"（总分 {show_number(pack.total_weight)} 分中预算执行率占 {show_number(pack.execution_weight)} 分，"
            f"规则包 {pack.name}）。",
            field="indicators.weight",
            expected=pack.indicator_weight,
            found=summed,
            severity=split,
        )
        return
    _check_level1(r, project)


def _check_level1(r: Reporter, project: Project) -> None:
    """Each standard level-1 class's points against the pack's default split, as strictly as the pack says."""
    pack = r.pack
    if pack.level1_check == "off":
        return
    sums: dict[str, Decimal] = {}
    for ind in project.indicators:
        cls = level1_class(ind.level1)
        if cls is not None and ind.weight is not None:
            sums[cls] = sums.get(cls, Decimal(0)) + ind.weight
    split = pack.level1_split(with_cost="cost" in sums)
    expected = {level1_class(name) or name: points for name, points in split}
    off = [(cls, sums.get(cls, Decimal(0)), points) for cls, points in expected.items() if sums.get(cls, 0) != points]
    if not off:
        return
    parts = "；".join(
        f"{_CLASS_NAMES.get(cls, cls)} {show_number(found)} 分（规则包为 {show_number(points)} 分）"
        for cls, found, points in off
    )
    r.add(
        "level1-share-differs",
        project,
        f"一级指标的分值与规则包 {pack.name} 的分配不同：{parts}。",
        field="indicators.weight",
        expected="、".join(f"{name} {show_number(points)}" for name, points in split),
        found="、".join(f"{_CLASS_NAMES.get(cls, cls)} {show_number(v)}" for cls, v in sums.items()),
        severity=_severity(pack.level1_check),
    )


def check_total(r: Reporter, project: Project, score: ProjectScore) -> None:
    """A printed total, a sum of the recorded scores, or an execution score beyond what the pack allows."""
    pack = r.pack
    execution = project.execution
    score_, weight = (execution.score, execution.weight) if execution is not None else (None, None)
    if score_ is not None and weight is not None and not Decimal(0) <= score_ <= weight:
        r.add(
            "score-out-of-range",
            project,
            f"预算执行率得分 {score_} 分超出了 0 到分值 {show_number(weight)} 分的范围。",
            field="execution.score",
            expected=f"0–{show_number(weight)}",
            found=score_,
        )
    for label, total in (("填报的总分", project.total_score), ("各项得分之和", score.total_recorded)):
        if total is not None and total > pack.total_weight:
            r.add(
                "total-over-maximum",
                project,
                f"{label} {show_number(total)} 分超过了满分 {show_number(pack.total_weight)} 分"
                f"（规则包 {pack.name}），这样的总分和等级不可能成立。",
                field="total_score",
                expected=f"≤{show_number(pack.total_weight)}",
                found=total,
            )
            return  # one finding: the printed total and the sum say the same thing
