"""Checks on targets (docs/domain.md §5, "On a declaration"): they apply to every form that prints targets.

A declaration is reviewed for completeness and for targets a reviewer can
later check: present, readable, neither trivial nor vague, in a unit that
fits the name, not a rate above 100%, cost as a ceiling, no duplicates,
and an indicator tree with 产出 (数量, 质量) and 效益. The money rows are
checked in :mod:`jixiao.core.review.money`.
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.core.model import Indicator, Kind, Project
from jixiao.core.review.context import (
    COUNT_UNITS,
    MONEY_UNITS,
    Reporter,
    is_count_name,
    is_growth_name,
    is_rate_name,
    level1_class,
    level2_class,
    name_key,
    who,
)
from jixiao.core.scoring.assess import read_value, show_quantity
from jixiao.core.targets import Compound, Family, FreeText, Operator, Qualitative, Quantity

__all__ = ["check_structure", "check_target", "check_targets"]

_PLACEHOLDER_REASONS = ("指标值为空", "指标值只有占位符")
# 不增加, 无下降: a negated change is a bound a reviewer can check against last year, not a vague wish.
_NEGATIONS = ("不", "无", "未", "没有", "零")
_HUNDRED = 100


def _quantities(value: object) -> Iterable[Quantity]:
    """The quantities a target promises: itself, or each part of a compound."""
    if isinstance(value, Quantity):
        yield value
    elif isinstance(value, Compound):
        for part in value.parts:
            yield part.quantity


def _trivial(q: Quantity) -> bool:
    """True for a bound that every result meets: ≥0 (or less), ≤100% (or more)."""
    if q.operator in (Operator.GE, Operator.GT):
        return q.number < 0 or (q.number == 0 and q.operator is Operator.GE)
    # Only a percentage has a natural ceiling; "≤100次" is a real limit.
    if q.operator in (Operator.LE, Operator.LT) and q.unit == "%":
        return q.number > _HUNDRED or (q.number == _HUNDRED and q.operator is Operator.LE)
    return False


def _vague(value: Qualitative) -> bool:
    """A vague phrase, also behind the 定性 marker of split-cell forms; a negated change (不增加) is a bound."""
    phrase = value.phrase
    if value.family is Family.SCALE and phrase.startswith("定性") and len(phrase) > 2:
        inner = read_value(phrase[2:])
        return isinstance(inner, Qualitative) and _vague(inner)
    return value.is_vague and not phrase.startswith(_NEGATIONS)


def check_target(r: Reporter, project: Project, ind: Indicator, index: int) -> None:
    """The checks of one indicator's target: missing, unreadable, trivial, vague, over 100%, unit, cost."""
    # The same cached reading the scorer uses: a target is parsed once per distinct text.
    value = read_value(ind.target)
    shown = ind.target or ""
    if isinstance(value, FreeText):
        if ind.target is None or value.reason.startswith(_PLACEHOLDER_REASONS):
            r.add(
                "target-missing",
                project,
                f"指标“{ind.name}”没有填写指标值。",
                indicator=ind,
                index=index,
                field="target",
                found=ind.target,
            )
        else:
            r.add(
                "target-unparsable",
                project,
                f"指标“{ind.name}”的指标值“{shown}”无法核对：{value.reason}。",
                indicator=ind,
                index=index,
                field="target",
                found=shown,
            )
        return
    if isinstance(value, Qualitative):
        if _vague(value):
            r.add(
                "target-vague",
                project,
                f"指标“{ind.name}”的指标值“{value.phrase}”只说明方向，没有可以核对的目标，建议写明具体数值或标准。",
                indicator=ind,
                index=index,
                field="target",
                found=shown,
            )
        return
    name = ind.name
    quantities = list(_quantities(value))
    trivial = next((q for q in quantities if _trivial(q)), None)
    if trivial is not None:
        r.add(
            "target-trivial",
            project,
            f"指标“{name}”的指标值“{shown if isinstance(value, Quantity) else show_quantity(trivial)}”"
            "任何结果都能达到，等于没有设定目标。",
            indicator=ind,
            index=index,
            field="target",
            found=shown,
        )
    rate_name = is_rate_name(name)
    # A bare number on a rate name (=100 for 完成率) is a percentage with its sign lost, so it counts too.
    for q in quantities:
        over = q.number > _HUNDRED or (q.number == _HUNDRED and q.operator is Operator.GT)
        rate = q.unit == "%" or (q.unit is None and rate_name)
        if over and rate and q.operator not in (Operator.LE, Operator.LT) and not is_growth_name(name):
            r.add(
                "rate-target-over-100",
                project,
                f"指标“{name}”是比率，指标值“{show_quantity(q)}”超过 100%，无法达到。",
                indicator=ind,
                index=index,
                field="target",
                expected="≤100%",
                found=shown,
            )
            break
    for q in quantities:
        if rate_name and q.unit in COUNT_UNITS:
            r.add(
                "unit-mismatch",
                project,
                f"指标“{name}”是比率，指标值“{shown}”却以“{q.unit}”计量，应改为百分比或改用数量指标的名称。",
                indicator=ind,
                index=index,
                field="target",
                expected="%",
                found=q.unit,
            )
            break
        if q.unit == "%" and is_count_name(name):
            r.add(
                "unit-mismatch",
                project,
                f"指标“{name}”是数量，指标值“{shown}”却以百分比计量，应写明数量和单位，或改为“…率”。",
                indicator=ind,
                index=index,
                field="target",
                found=q.unit,
            )
            break
    if level1_class(ind.level1) != "cost" and level2_class(ind.level2) != "cost":
        return
    for q in quantities:
        # "=30元/人" is a fixed standard (a subsidy rate), not a cost that should have been capped
        if q.unit in MONEY_UNITS and q.operator in (Operator.GE, Operator.GT, None):
            r.add(
                "cost-not-reverse",
                project,
                f"成本指标“{name}”的指标值“{shown}”没有用“≤”设定上限，成本应控制在某个金额以内。",
                indicator=ind,
                index=index,
                field="target",
                expected=f"≤{q.number}{q.unit}",
                found=shown,
            )
            break


def check_structure(r: Reporter, project: Project, kind: Kind) -> bool:
    """The indicator tree and the required fields; False when there are no indicators to check further."""
    if kind.is_department:
        return _check_department_structure(r, project, kind)
    if not project.unit:
        r.add("required-field-missing", project, f"{who(project)}没有填写实施单位。", field="unit")
    if not project.goal:
        r.add("required-field-missing", project, f"{who(project)}没有填写年度总体目标。", field="goal")
    if kind is not Kind.TARGET_DECLARATION and not project.outcome:
        # on a monitoring form the same field is the goal's progress so far (总体目标 截至监控日完成情况)
        what = "总体目标截至监控日完成情况" if kind is Kind.MONITORING else "实际完成情况"
        r.add("required-field-missing", project, f"{who(project)}没有填写{what}。", field="outcome")
    if not any(not row.is_empty() for _, row in project.funds.rows()):
        r.add("required-field-missing", project, f"{who(project)}没有填写项目资金。", field="funds")
    if not project.indicators:
        r.add("no-indicators", project, f"{who(project)}没有任何绩效指标。", field="indicators")
        return False
    # Forms print other level-1 names (效果指标, 项目完成指标): classes, not labels, are compared.
    classes = {level1_class(i.level1) for i in project.indicators}
    missing = [label for cls, label in (("output", "产出指标"), ("effect", "效益指标")) if cls not in classes]
    if missing:
        r.add(
            "missing-level1",
            project,
            f"{who(project)}的指标体系中没有{'和'.join(missing)}。",
            field="indicators",
            expected="产出指标、效益指标",
        )
    if "output" in classes:
        _check_output_levels(r, project)
    _check_duplicates(r, project)
    return True


def _check_department_structure(r: Reporter, project: Project, kind: Kind) -> bool:
    """A department-wide form's required fields: its department, goals, money and indicators.

    Its level-1 classes are the pack's ``[department]`` ones, checked in :mod:`jixiao.core.review.department`.
    """
    who = f"部门“{project.department or ''}”"
    if not project.department:
        r.add("required-field-missing", project, "部门整体支出绩效表没有填写部门（单位）名称。", field="department")
    if not project.goals and not project.goal:
        r.add("required-field-missing", project, f"{who}没有填写年度总体目标。", field="goals")
    outcomes = [g.outcome for g in project.goals or ()] or [project.outcome]
    if kind is Kind.DEPARTMENT_SELF_EVALUATION and not any(outcomes):
        r.add("required-field-missing", project, f"{who}没有填写年度总体目标的实际完成情况。", field="goals")
    if not any(not row.is_empty() for _, row in project.funds.rows()):
        r.add("required-field-missing", project, f"{who}没有填写年度资金总额。", field="funds")
    if not project.indicators:
        r.add("no-indicators", project, f"{who}没有任何绩效指标。", field="indicators")
        return False
    _check_duplicates(r, project)
    return True


def _check_output_levels(r: Reporter, project: Project) -> None:
    """Quantity and quality indicators under 产出."""
    output_l2 = {level2_class(i.level2) for i in project.indicators if level1_class(i.level1) == "output"}
    if "quantity" not in output_l2:
        r.add(
            "missing-output-quantity",
            project,
            f"{who(project)}的产出指标下没有数量指标。",
            field="indicators",
        )
    if "quality" not in output_l2:
        r.add("missing-output-quality", project, f"{who(project)}的产出指标下没有质量指标。", field="indicators")


def _check_duplicates(r: Reporter, project: Project) -> None:
    """The same indicator name twice in one project."""
    seen: dict[str, tuple[int, Indicator]] = {}
    for index, ind in enumerate(project.indicators):
        # Names are compared folded (NFKC, no spaces or punctuation): extraction varies those, not the name.
        key = name_key(ind)
        if key in seen:
            first_index, first = seen[key]
            same = (
                "指标值相同"
                if (first.target or "") == (ind.target or "")
                else f"指标值分别为“{first.target}”和“{ind.target}”"
            )
            r.add(
                "duplicate-indicator",
                project,
                f"指标“{ind.name}”在本项目中出现了两次（第 {first_index + 1} 个和第 {index + 1} 个指标，"
                f"{same}），应合并或改名。",
                indicator=ind,
                index=index,
                field="name",
                found=ind.name,
            )
        else:
            seen[key] = (index, ind)


def check_targets(r: Reporter, project: Project, kind: Kind) -> None:
    """Every target check of one project."""
    if not check_structure(r, project, kind):
        return
    for index, ind in enumerate(project.indicators):
        check_target(r, project, ind, index)
