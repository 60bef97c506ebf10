"""Checks on a self-evaluation (docs/domain.md §5, "On a self-evaluation").

They run on the scores of :mod:`jixiao.core.scoring`: the recorded scores
against their weights, the total and the grade; each recorded score against
the rule (a discretionary score is a finding, not an error); the deviation
notes the rules require; the actual values and the outcome text. A
transfer-payment form has no scores, so only the checks that need none run
on it (actual values, deviation notes for unmet indicators, the outcome).
"""

from __future__ import annotations

import re
from decimal import Decimal
from difflib import SequenceMatcher

from jixiao.core.model import Indicator, Kind, Project
from jixiao.core.review.context import Reporter, text_key, who
from jixiao.core.review.shares import check_shares, check_total
from jixiao.core.scoring.assess import show_number
from jixiao.core.scoring.engine import IndicatorScore, ProjectScore
from jixiao.core.scoring.formulas import HUNDRED, grade_for, quantize

__all__ = ["check_evaluation", "check_indicator"]

# Words that show the outcome text talks about the money at all: then a low rate is explained there.
_EXECUTION_WORDS = re.compile(
    r"执行率|结余|结转|未支出|未使用|少支出|较少支出|支出减少|减少.*支出|支出.*减少|节约|节省|调减|"
    r"预算.*(?:减少|调整)|资金使用|支付进度|支出进度|原因|疫情|撤销|机构改革|延期|延至|延后|顺延|推迟|滞后|暂停|取消|未开展"
)
_QUOTE = 40  # characters of a deviation note quoted in a message


def _pct(value: Decimal) -> str:
    return f"{quantize(value * HUNDRED, Decimal('0.01'))}%"


def _note(deviation: str | None) -> str:
    """How a message mentions the deviation note: quoted, shortened, or its absence."""
    if not deviation:
        return "表中没有说明理由"
    # Enough of the note to recognise it; the full text is on the form.
    text = deviation if len(deviation) <= _QUOTE else deviation[:_QUOTE] + "…"
    return f"偏差原因填写为“{text}”"


def _differs_message(ind: Indicator, s: IndicatorScore) -> str:
    """The sentence of a score-differs-from-formula finding."""
    assert s.recorded is not None and s.suggested is not None and s.band is not None
    core = s.explanation.split("（依据")[0]
    if s.tier is not None and s.band[0] != s.band[1]:
        rule = f"按规则应在 {s.band[0]}–{s.band[1]} 分之间（{core}）"
    else:
        rule = f"按规则应得 {s.suggested} 分（{core}）"
    diff = s.recorded - s.suggested
    direction = f"高出 {show_number(diff)} 分" if diff > 0 else f"低 {show_number(-diff)} 分"
    if s.tier is not None and s.band[0] != s.band[1]:
        direction = "高于本档上限" if s.recorded > s.band[1] else "低于本档下限"
    return f"指标“{ind.name}”{rule}，表中自评 {s.recorded} 分，{direction}；{_note(ind.deviation)}。"


def check_indicator(r: Reporter, project: Project, ind: Indicator, s: IndicatorScore, scored: bool) -> None:
    """The self-evaluation checks of one indicator; ``scored`` is False for forms without scores."""
    a = s.assessment
    index = s.index
    pack = r.pack
    # The tolerance decides when a recorded score is "lower than the weight" as for "differs from the rule".
    tol = pack.score_tolerance
    if a.reason == "未填写实际完成值":
        r.add(
            "actual-missing",
            project,
            f"指标“{ind.name}”没有填写实际完成值。",
            indicator=ind,
            index=index,
            field="actual",
            found=ind.actual,
        )
    if a.unit_conflict:
        t_unit, a_unit = a.unit_conflict
        r.add(
            "actual-unit-mismatch",
            project,
            f"指标“{ind.name}”的指标值“{ind.target}”以“{t_unit}”计量，实际完成值“{ind.actual}”却以“{a_unit}”计量，无法比较。",
            indicator=ind,
            index=index,
            field="actual",
            expected=t_unit,
            found=a_unit,
        )
    if a.actual_is_inequality:
        # Only an inequality copied verbatim is a copy; "=100%" → "100%" is a plausible measurement.
        if text_key(ind.actual) == text_key(ind.target):
            r.add(
                "actual-copies-target",
                project,
                f"指标“{ind.name}”的实际完成值“{ind.actual}”照抄了指标值，应填写实际完成的数值。",
                indicator=ind,
                index=index,
                field="actual",
                expected="实际数值",
                found=ind.actual,
            )
        else:
            r.add(
                "actual-not-a-value",
                project,
                f"指标“{ind.name}”的实际完成值“{ind.actual}”带比较符号，是一个范围，应填写实际完成的数值。",
                indicator=ind,
                index=index,
                field="actual",
                found=ind.actual,
            )
    threshold = pack.over_achievement_pct / HUNDRED
    over = a.exceeded_by is not None and a.exceeded_by >= threshold
    # Without a note the over-achievement is reported once, as the missing note (below).
    if over and a.exceeded_by is not None and ind.deviation:
        r.add(
            "over-achieved",
            project,
            f"指标“{ind.name}”的实际完成值“{ind.actual}”超过指标值“{ind.target}” {_pct(a.exceeded_by)}"
            f"（达到 {show_number(pack.over_achievement_pct)}% 即提示）：指标值可能设置偏低，来年宜据实调整；"
            f"{_note(ind.deviation)}。",
            indicator=ind,
            index=index,
            field="actual",
            expected=ind.target,
            found=ind.actual,
        )
    elif a.equal_exceeded and a.exceeded_by is not None:
        r.add(
            "equal-target-exceeded",
            project,
            f"指标“{ind.name}”的指标值为“{ind.target}”，实际完成“{ind.actual}”，"
            f"高出 {_pct(a.exceeded_by)}，按达成计分。",
            indicator=ind,
            index=index,
            field="actual",
            expected=ind.target,
            found=ind.actual,
        )
    short = False
    if scored and s.weight is not None and s.recorded is not None:
        if s.recorded < 0 or s.recorded > s.weight:
            r.add(
                "score-out-of-range",
                project,
                f"指标“{ind.name}”的得分 {s.recorded} 分超出了 0 到分值 {s.weight} 分的范围。",
                indicator=ind,
                index=index,
                field="score",
                expected=f"0–{s.weight}",
                found=s.recorded,
            )
        short = s.recorded < s.weight - tol
        if s.differs and s.suggested is not None:
            r.add(
                "score-differs-from-formula",
                project,
                _differs_message(ind, s),
                indicator=ind,
                index=index,
                field="score",
                expected=s.suggested,
                found=s.recorded,
            )
    elif a.scorable and a.met is False:
        short = True  # no score printed (transfer forms): the reading of target and actual decides
    if not ind.deviation and (short or over):
        if short:
            why = f"得分 {s.recorded} 分低于分值 {s.weight} 分" if s.recorded is not None else "未达成指标值"
        else:
            why = (
                f"超额完成 {_pct(a.exceeded_by)}（超过 {show_number(pack.over_achievement_pct)}% 须说明原因，"
                "指标值可能设置偏低）"
                if a.exceeded_by is not None
                else "大幅超额完成"
            )
        r.add(
            "deviation-missing",
            project,
            f"指标“{ind.name}”{why}（指标值“{ind.target}”，实际完成“{ind.actual}”），但没有填写偏差原因分析及改进措施。",
            indicator=ind,
            index=index,
            field="deviation",
        )


def _copies(goal: str, outcome: str) -> bool:
    """True when the outcome is the goal again: the same, the goal plus a few words, or nearly the same text."""
    g, o = text_key(goal), text_key(outcome)
    # A short goal such as 确保平稳运行 is naturally repeated in a true outcome; only longer texts are copies.
    if len(g) < 8:  # "确保平稳运行": too short to call copying
        return False
    if g == o or (g in o and len(o) - len(g) <= len(g) * 3 // 10):
        return True
    # The ratio is at most 2 × shorter ÷ total: texts of very different length cannot be 90% alike.
    if 10 * 2 * min(len(g), len(o)) < 9 * (len(g) + len(o)):
        return False
    matcher = SequenceMatcher(None, g, o, autojunk=False)
    if matcher.quick_ratio() < 0.9:  # an upper bound of the ratio, in linear time
        return False
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return 10 * 2 * matched >= 9 * (len(g) + len(o))


def _check_project(r: Reporter, project: Project, score: ProjectScore, scored: bool) -> None:
    """The project-level checks: outcome, weights, total, grade, low execution."""
    if project.goal and project.outcome and _copies(project.goal, project.outcome):
        r.add(
            "outcome-copies-goal",
            project,
            f"{who(project)}的实际完成情况与年度总体目标相同或几乎相同，没有说明实际完成了什么。",
            field="outcome",
            found=project.outcome,
        )
    if not scored:
        _check_low_execution(r, project, score)
        return
    pack = r.pack
    inds = project.indicators
    execution = score.execution
    weights = [i.weight for i in inds]
    if project.execution is None:
        r.add("required-field-missing", project, f"{who(project)}没有预算执行率的分值和得分。", field="execution")
    elif project.execution.score is None:
        r.add("required-field-missing", project, f"{who(project)}没有填写预算执行率得分。", field="execution.score")
    if project.total_score is None:
        r.add("required-field-missing", project, f"{who(project)}没有填写总分。", field="total_score")
    for field, label, values in (("weight", "分值", weights), ("score", "得分", [i.score for i in inds])):
        missing = [i.name for i, v in zip(inds, values, strict=True) if v is None]
        if missing:
            names = "、".join(missing[:5]) + ("等" if len(missing) > 5 else "")
            r.add(
                "required-field-missing",
                project,
                f"{who(project)}有 {len(missing)} 个指标没有填写{label}：{names}。",
                field=f"indicators.{field}",
            )
    # the weights against the pack's split, and a total beyond the pack's maximum (shares.py)
    check_shares(r, project, scored=True)
    check_total(r, project, score)
    complete = execution is not None and execution.recorded is not None and all(i.score is not None for i in inds)
    if project.total_score is not None and complete and score.total_recorded is not None:
        gap = project.total_score - score.total_recorded
        if gap:
            exec_score = execution.recorded if execution else None
            # Each printed score may be off by half a step from its unrounded value; so may their sum.
            slack = max(pack.score_tolerance, pack.quantum / 2 * (len(inds) + 1))
            code = "total-rounding" if abs(gap) <= slack else "total-mismatch"
            tail = "，在各项得分取整的误差范围内，可能是按未取整的得分合计所致" if code == "total-rounding" else ""
            r.add(
                code,
                project,
                f"总分填报 {project.total_score} 分，但预算执行率得分 {exec_score} 分加各指标得分之和 "
                f"{score.total_recorded - (exec_score or 0)} 分为 {score.total_recorded} 分，"
                f"相差 {show_number(gap)} 分{tail}。",
                field="total_score",
                expected=score.total_recorded,
                found=project.total_score,
            )
    basis = project.total_score if project.total_score is not None else score.total_recorded
    if project.grade and basis is not None and grade_for(basis, pack) != project.grade:
        r.add(
            "grade-mismatch",
            project,
            f"总分 {basis} 分按分档应评为“{grade_for(basis, pack)}”，表中评为“{project.grade}”。",
            field="grade",
            expected=grade_for(basis, pack),
            found=project.grade,
        )
    _check_low_execution(r, project, score)


def _execution_rate(project: Project, score: ProjectScore) -> tuple[Decimal, str] | None:
    """The execution rate in percent and how to show it: the printed rate when there is one, else the amounts'."""
    # The message quotes the rate the unit printed, so the reader finds it on the form.
    printed = project.execution.rate_pct if project.execution else None
    total = project.funds.total
    if printed is None and total is not None:
        printed = total.rate_pct
    if printed is not None:
        return printed, f"{printed}%"
    if score.execution is not None and score.execution.rate is not None:
        return score.execution.rate * HUNDRED, _pct(score.execution.rate)
    if total is not None and total.executed is not None and total.adjusted:
        return total.executed / total.adjusted * HUNDRED, _pct(total.executed / total.adjusted)
    return None


def _explained(project: Project) -> bool:
    """True when the outcome or some deviation note speaks of the money or of a delay that explains it."""
    texts = [project.outcome or "", *(i.deviation or "" for i in project.indicators)]
    return any(_EXECUTION_WORDS.search(t) for t in texts if t)


def _check_low_execution(r: Reporter, project: Project, score: ProjectScore) -> None:
    """A low execution rate needs its own explanation; with full marks everywhere it is suspicious."""
    found = _execution_rate(project, score)
    if found is None:
        return
    pct, shown = found
    pack = r.pack
    inds = project.indicators
    # Grade inflation needs both: money largely unspent and not one indicator short of its weight.
    full = bool(inds) and all(i.weight is not None and i.score is not None and i.score >= i.weight for i in inds)
    if full and pct < pack.full_marks_low_execution_pct:
        r.add(
            "full-marks-low-execution",
            project,
            f"预算执行率只有 {shown}（低于 {show_number(pack.full_marks_low_execution_pct)}%），"
            f"全部 {len(inds)} 个指标却都得满分："
            "指标值可能设置偏低，或自评偏高，请核实。",
            field="execution.rate_pct",
            found=shown,
        )
    elif pct < pack.low_execution_pct and not _explained(project):
        r.add(
            "low-execution-unexplained",
            project,
            f"预算执行率为 {shown}，低于 {show_number(pack.low_execution_pct)}%，"
            "实际完成情况和偏差原因中都没有说明执行率偏低的原因。",
            field="outcome",
            found=shown,
        )


def check_evaluation(r: Reporter, project: Project, score: ProjectScore, kind: Kind) -> None:
    """Every self-evaluation check of one project (scores only where the form prints them)."""
    # Transfer-payment forms have no 分值/得分: their checks must not ask for scores that the form never prints.
    scored = kind in (Kind.SELF_EVALUATION, Kind.DEPARTMENT_SELF_EVALUATION)
    for ind, s in zip(project.indicators, score.indicators, strict=True):
        check_indicator(r, project, ind, s, scored)
    _check_project(r, project, score, scored)
