"""Scoring a project or a document by a rule pack, with an explanation for every score.

For each indicator the engine gives a *suggested* score (what the pack's
formula gives) beside the *recorded* one (what the form prints), the rule
and the numbers used, and whether the two differ beyond the pack's
tolerance. For each project it recomputes the execution score from the raw
amounts, the total from the recorded scores and from the suggested ones,
and the grade of each. Nothing here judges: :mod:`jixiao.core.review` turns
differences into findings.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from jixiao.core.model import Document, Indicator, Project
from jixiao.core.scoring.assess import Assessment, assess, show_amount, show_number
from jixiao.core.scoring.formulas import (
    HUNDRED,
    ONE,
    execution_share,
    grade_for,
    indicator_share,
    quantize,
    rate_interval,
    rate_matches,
    round_score,
)
from jixiao.core.scoring.packs import RulePack, load_pack
from jixiao.core.scoring.results import DocumentScore, ExecutionScore, IndicatorScore, ProjectScore

__all__ = [
    "DocumentScore",
    "ExecutionScore",
    "IndicatorScore",
    "ProjectScore",
    "describe_rounding",
    "is_satisfaction",
    "resolve_pack",
    "score_document",
    "score_execution",
    "score_indicator",
    "score_project",
]

PackLike = RulePack | str | None
_ROUNDING_WORDS = {"ROUND_HALF_UP": "四舍五入", "ROUND_UP": "向上取整", "ROUND_DOWN": "截断"}
_PLACES_WORDS = {0: "到整数", 1: "一位小数", 2: "两位", 3: "三位", 4: "四位"}


def describe_rounding(pack: RulePack) -> str:
    """The pack's rounding in words: ``四舍五入保留两位``."""
    places = _PLACES_WORDS.get(pack.places, f"{pack.places} 位")
    return f"{_ROUNDING_WORDS.get(pack.rounding, pack.rounding)}保留{places}"


def resolve_pack(pack: PackLike) -> RulePack:
    """A :class:`RulePack` from a pack, a pack name or ``None`` (the default pack)."""
    return pack if isinstance(pack, RulePack) else load_pack(pack)


def is_satisfaction(indicator: Indicator) -> bool:
    """True for a 满意度 indicator (by its level-1 or level-2 label)."""
    return "满意" in indicator.level1 or "满意" in (indicator.level2 or "")


def _cite(pack: RulePack, key: str) -> str:
    """``（依据：财预〔2020〕10号 第十八条）`` for the pack rule ``key``."""
    for basis in pack.bases:
        if basis.key == key:
            article = f" {basis.article}" if basis.article else ""
            return f"（依据：{pack.source.document}{article}，规则包 {pack.name}）"
    return f"（规则包 {pack.name}）"


def _raw(value: Decimal) -> str:
    """An unrounded intermediate result: four decimals and an ellipsis when there are more."""
    short = quantize(value, Decimal("0.0001"), rounding="ROUND_DOWN")
    return show_number(short) + ("…" if short != value else "")


def _quantity_formula(a: Assessment, weight: Decimal, share: Decimal, pack: RulePack) -> str:
    """The arithmetic of a formula score, with the numbers used."""
    w = show_number(weight)
    # Show the reader the division itself where the rule is one; otherwise the share the pack's formula gave.
    if pack.indicator_score == "proportional" and a.numbers is not None:
        actual, target = (show_number(n) for n in a.numbers)
        if a.rule == "reverse" and pack.reverse_completion == "target/actual":
            return f"{w} × {target} ÷ {actual} = {_raw(weight * share)}"
        if a.rule in ("positive", "equal"):
            return f"{w} × {actual} ÷ {target} = {_raw(weight * share)}"
    return f"{w} × {show_number(quantize(share * HUNDRED, Decimal('0.0001')))}% = {_raw(weight * share)}"


def score_indicator(indicator: Indicator, index: int, pack: RulePack) -> IndicatorScore:
    """Score one indicator by ``pack``: suggested score, explanation and whether the recorded one differs."""
    similarity = pack.phrase_similarity if pack.same_phrase_is_met else None
    # assess() depends only on the two texts and two pack settings, so its cache serves every pack and weight.
    a = assess(indicator.target, indicator.actual, pack.reverse_completion, similarity)
    weight, recorded = indicator.weight, indicator.score
    tol = pack.score_tolerance
    if not a.scorable:
        return IndicatorScore(
            index, indicator.name, weight, recorded, None, False, a.reason, "none", a.detail, None, None, None, False, a
        )
    if weight is None:
        # Transfer-payment forms print no weights: the completion is still known and the review uses it.
        reason = "表中没有分值，只判断达成情况"
        return IndicatorScore(
            index,
            indicator.name,
            None,
            recorded,
            None,
            False,
            reason,
            a.rule,
            f"{a.detail}；{reason}",
            a.tier,
            a.completion,
            None,
            False,
            a,
        )
    if a.tier is not None:
        low_pct, high_pct = pack.tier_band(a.tier)
        # The suggestion is the top of the band; any recorded score inside the closed band is accepted.
        low, suggested = round_score(weight * low_pct / HUNDRED, pack), round_score(weight * high_pct / HUNDRED, pack)
        band = (low, suggested)
        rule = f"{pack.name}:qualitative.{a.tier.value}"
        text = (
            f"{a.detail}：该档得分在分值的 {show_number(low_pct)}%–{show_number(high_pct)}% 之间"
            f"（{show_number(low)}–{show_number(suggested)} 分），建议取上限 {suggested} 分"
            + _cite(pack, "qualitative")
        )
    else:
        completion = a.completion if a.completion is not None else ONE
        satisfaction = is_satisfaction(indicator)
        share = indicator_share(completion, pack, satisfaction)
        suggested = round_score(weight * share, pack)
        band = (suggested, suggested)
        key = "satisfaction" if satisfaction and pack.satisfaction_formula == "bands" else "indicator"
        if a.rule == "deadline":
            key = "indicator.deadline"
        rule = f"{pack.name}:{key}.{a.rule}" if a.rule != "deadline" else f"{pack.name}:{key}"
        if share == ONE:
            text = f"{a.detail}；得满分 {suggested} 分" + _cite(pack, key)
        elif a.rule == "deadline":
            # a missed deadline has no ratio to show: the pack's rule is met or not
            text = f"{a.detail}；时限指标只分按时与逾期，得 {suggested} 分" + _cite(pack, key)
        else:
            text = (
                f"{a.detail}；{_quantity_formula(a, weight, share, pack)}，{describe_rounding(pack)}得 {suggested} 分"
            )
            text += _cite(pack, key)
    # A missing recorded score is a required-field finding elsewhere, not a difference from the rule.
    differs = recorded is not None and not (band[0] - tol <= recorded <= band[1] + tol)
    return IndicatorScore(
        index,
        indicator.name,
        weight,
        recorded,
        suggested,
        True,
        None,
        rule,
        text,
        a.tier,
        a.completion,
        band,
        differs,
        a,
    )


def score_execution(project: Project, pack: RulePack) -> ExecutionScore | None:
    """The execution score of a self-evaluation from its amounts; None when the form has no such row."""
    row = project.execution
    if row is None:
        return None
    # The printed 分值 wins: weights are fixed when targets are approved and may differ from the pack's default.
    weight = row.weight if row.weight is not None else pack.execution_weight
    # Some forms print only the 当年财政拨款 row with amounts; it is the budget when there is no total row.
    funds = project.funds.total or project.funds.current_appropriation
    executed = funds.executed if funds else None
    adjusted = funds.adjusted if funds else None
    printed = row.rate_pct if row.rate_pct is not None else (funds.rate_pct if funds else None)
    rule = f"{pack.name}:execution.{pack.execution_formula}"
    if executed is None or adjusted is None or adjusted <= 0:
        if printed is None:
            reason = "表中没有全年预算数和全年执行数，也没有执行率，无法计算预算执行率得分"
            return ExecutionScore(
                weight, row.score, None, executed, adjusted, None, None, None, None, None, False, reason, rule, reason
            )
        # Without amounts the printed rate is all there is; say so in the explanation.
        rate = printed / HUNDRED
        suggested = round_score(weight * execution_share(rate, pack), pack)
        text = f"表中没有可用的全年预算数和全年执行数，按印出的执行率 {printed}% 计算：得 {suggested} 分" + _cite(
            pack, "execution"
        )
        accepted = (suggested - pack.execution_score_tolerance, suggested + pack.execution_score_tolerance)
        return ExecutionScore(
            weight,
            row.score,
            printed,
            executed,
            adjusted,
            rate,
            None,
            None,
            suggested,
            accepted,
            True,
            None,
            rule + ".printed-rate",
            text,
        )
    rate = executed / adjusted
    low, high = rate_interval(executed, adjusted)
    consistent = None if printed is None else rate_matches(printed, low, high, pack.rate_rounding)
    share = execution_share(rate, pack)
    suggested = round_score(weight * share, pack)
    tol = pack.execution_score_tolerance
    # The amounts' own printed precision widens what a correct form may show; the pack tolerance on top.
    accepted = (
        round_score(weight * execution_share(low, pack), pack) - tol,
        round_score(weight * execution_share(high, pack), pack) + tol,
    )
    w, e, d = show_number(weight), show_amount(executed), show_amount(adjusted)
    if pack.execution_formula == "bands":
        arithmetic = f"执行率 = {e} ÷ {d} = {_raw(rate * HUNDRED)}%，按分档得分值的 {show_number(share * HUNDRED)}%"
        text = f"{arithmetic}，即 {suggested} 分"
    elif rate > ONE:
        arithmetic = f"执行率 = {e} ÷ {d} = {_raw(rate * HUNDRED)}%，超过 100%，以分值 {w} 分为上限"
        text = arithmetic
    else:
        arithmetic = f"{w} × {e} ÷ {d} = {_raw(weight * rate)}"
        text = f"{arithmetic}，{describe_rounding(pack)}得 {suggested} 分"
    return ExecutionScore(
        weight,
        row.score,
        printed,
        executed,
        adjusted,
        rate,
        (low, high),
        consistent,
        suggested,
        accepted,
        True,
        None,
        rule,
        text + _cite(pack, "execution"),
        arithmetic,
    )


def score_project(project: Project, pack: PackLike = None) -> ProjectScore:
    """Score every indicator, the execution row, the totals and the grades of one project."""
    rp = resolve_pack(pack)
    indicators = tuple(score_indicator(ind, i, rp) for i, ind in enumerate(project.indicators))
    execution = score_execution(project, rp)
    recorded = [s.recorded for s in indicators if s.recorded is not None]
    exec_recorded = execution.recorded if execution else None
    total_recorded = None
    if recorded or exec_recorded is not None:
        total_recorded = sum(recorded, Decimal(0)) + (exec_recorded or Decimal(0))
    # A suggested total must stay comparable to the printed one: unscored indicators keep their recorded score.
    unscored = sum(1 for s in indicators if s.suggested is None)
    total_suggested = None
    if indicators and any(s.suggested is not None for s in indicators):
        parts = [s.suggested if s.suggested is not None else (s.recorded or Decimal(0)) for s in indicators]
        exec_part = execution.suggested if execution and execution.suggested is not None else (exec_recorded or 0)
        total_suggested = sum(parts, Decimal(0)) + exec_part
    # The grade a form should print follows its printed total; without one, the sum of its scores.
    shown_total = project.total_score if project.total_score is not None else total_recorded
    return ProjectScore(
        project.name,
        project.unit,
        rp.name,
        indicators,
        execution,
        project.total_score,
        total_recorded,
        total_suggested,
        unscored,
        project.grade,
        grade_for(shown_total, rp) if shown_total is not None else None,
        grade_for(total_suggested, rp) if total_suggested is not None else None,
    )


def score_document(
    document: Document, pack: PackLike = None, project_packs: Mapping[str, str] | None = None
) -> DocumentScore:
    """Score every project of a document; ``project_packs`` maps a project name to the pack it names."""
    default = resolve_pack(pack)
    projects = tuple(
        score_project(p, load_pack(project_packs[p.name]) if project_packs and p.name in project_packs else default)
        for p in document.projects
    )
    return DocumentScore(document.kind, document.year, default.name, projects)
