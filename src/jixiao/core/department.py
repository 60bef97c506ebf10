"""Department-wide performance (部门整体支出绩效): the score by the pack's classes and the roll-up of projects.

:func:`score_department` scores a department-wide self-evaluation as a
project is scored (docs/domain.md §4: execution score plus the recorded
indicator scores, the grade by the pack's bands) with the pack's
``[department]`` point split, and adds each level-1 class's points.

:func:`rollup` sums a department's project records (plain data: each
project's money unit and budget figures, :class:`ProjectMoney`) into the
项目支出 they make, and compares that with what the department typed on its
form: every difference beyond the printed precision (and the pack's
tolerance) is a finding with both numbers and the difference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.model import FundRow, Project
from jixiao.core.review.context import Reporter
from jixiao.core.review.department import department_pack, subject
from jixiao.core.review.findings import Finding
from jixiao.core.scoring.assess import show_amount
from jixiao.core.scoring.department import class_of
from jixiao.core.scoring.engine import PackLike, resolve_pack, score_project
from jixiao.core.scoring.formulas import HUNDRED, half_unit, quantize
from jixiao.core.scoring.results import ProjectScore

__all__ = ["ClassPoints", "DepartmentScore", "ProjectMoney", "Rollup", "money_of", "rollup", "score_department"]

# How many yuan one unit of each printed money unit is: sums are made in yuan, exactly.
_YUAN = {"元": Decimal(1), "万元": Decimal(10000)}
_COLUMNS = (("initial", "年初预算数"), ("adjusted", "全年预算数"), ("executed", "全年执行数"))


@dataclass(frozen=True)
class ClassPoints:
    """One level-1 class of the department's indicator tree: its points available and awarded."""

    name: str
    weight: Decimal
    recorded: Decimal
    suggested: Decimal | None
    indicators: int


@dataclass(frozen=True)
class DepartmentScore:
    """A department-wide form's score: the project-style score with the department's split, per class."""

    score: ProjectScore
    classes: tuple[ClassPoints, ...]
    unclassed: tuple[int, ...]  # indices of indicators whose level-1 label is none of the pack's classes


def score_department(project: Project, pack: PackLike = None) -> DepartmentScore:
    """Score a department-wide self-evaluation by ``pack`` (its ``[department]`` split), with class subtotals."""
    rp = department_pack(resolve_pack(pack))
    score = score_project(project, rp)
    classes = rp.department.classes
    totals: dict[str, list[Decimal]] = {c: [Decimal(0), Decimal(0), Decimal(0), Decimal(0)] for c in classes}
    suggested_known = {c: True for c in classes}
    unclassed: list[int] = []
    for ind, s in zip(project.indicators, score.indicators, strict=True):
        cls = class_of(ind.level1, classes) if ind.level1 else None
        if cls is None:
            unclassed.append(s.index)
            continue
        t = totals[cls]
        t[0] += ind.weight or 0
        t[1] += ind.score or 0
        if s.suggested is None:
            suggested_known[cls] = False
        else:
            t[2] += s.suggested
        t[3] += 1
    return DepartmentScore(
        score=score,
        classes=tuple(
            ClassPoints(c, t[0], t[1], t[2] if suggested_known[c] else None, int(t[3]))
            for c, t in totals.items()
            if t[3]
        ),
        unclassed=tuple(unclassed),
    )


@dataclass(frozen=True)
class ProjectMoney:
    """What the roll-up needs of one project record: its name, money unit and budget figures."""

    name: str
    money_unit: str | None
    initial: Decimal | None = None
    adjusted: Decimal | None = None
    executed: Decimal | None = None


def money_of(project: Project) -> ProjectMoney:
    """The roll-up figures of a project form: its 年度资金总额 row (a declaration's 申请数 as its initial budget)."""
    row = project.funds.total or FundRow()
    initial = row.initial if row.initial is not None else row.requested
    return ProjectMoney(project.name, project.money_unit, initial, row.adjusted, row.executed)


@dataclass(frozen=True)
class Rollup:
    """The projects' sum in the department's money unit, its execution rate, and the differences found."""

    projects: int
    money_unit: str
    funds: FundRow  # initial, adjusted, executed summed (None where some project lacks the figure)
    findings: tuple[Finding, ...]


def _cents(value: Decimal) -> Decimal:
    """A figure to two places, half up, for messages and the summed rate."""
    return quantize(value, Decimal("0.01"), "ROUND_HALF_UP")


def _yuan(unit: str | None) -> Decimal:
    return _YUAN.get(unit or "元", Decimal(1))


def rollup(
    department: Project,
    projects: Sequence[ProjectMoney],
    pack: PackLike = None,
    *,
    source: str | None = None,
    year: int | None = None,
) -> Rollup:
    """Sum ``projects`` into the 项目支出 they make and compare it with ``department``'s typed 项目支出.

    Sums are exact (Decimal, converted through yuan into the department's unit). A column is summed only
    when every project has it. A difference beyond the printed precision of the department's figure plus
    the pack's ``department.rollup_tolerance_pct`` is a ``department-rollup-differs`` finding; a typed
    project execution rate that the summed amounts cannot give is ``department-rollup-rate-differs``.
    """
    rp = resolve_pack(pack)
    unit = department.money_unit or "元"
    factor = _yuan(unit)
    sums: dict[str, Decimal | None] = {}
    for column, _ in _COLUMNS:
        values = [getattr(p, column) for p in projects]
        if not projects or any(v is None for v in values):
            sums[column] = None
            continue
        yuan = sum(
            (v * _yuan(p.money_unit) for p, v in zip(projects, values, strict=True) if v is not None), Decimal(0)
        )
        sums[column] = yuan / factor
    rate = None
    if sums["executed"] is not None and sums["adjusted"]:
        rate = _cents(sums["executed"] / sums["adjusted"] * HUNDRED)
    funds = FundRow(initial=sums["initial"], adjusted=sums["adjusted"], executed=sums["executed"], rate_pct=rate)
    found: list[Finding] = []
    r = Reporter(rp, source, year, found)
    typed = department.department_funds.project if department.department_funds else None
    if typed is not None:
        _compare(r, department, typed, funds, len(projects), unit)
    return Rollup(len(projects), unit, funds, tuple(found))


def _compare(r: Reporter, department: Project, typed: FundRow, summed: FundRow, count: int, unit: str) -> None:
    tolerance = r.pack.department.rollup_tolerance_pct
    for column, label in _COLUMNS:
        mine, theirs = getattr(typed, column), getattr(summed, column)
        if mine is None or theirs is None:
            continue
        # the typed figure may be off by half its last printed digit; the pack may allow a share on top
        slack = half_unit(mine) + abs(theirs) * tolerance / HUNDRED
        if abs(mine - theirs) <= slack:
            continue
        shown = _cents(theirs)
        r.add(
            "department-rollup-differs",
            department,
            f"{subject(department)}填报的项目支出{label}为 {show_amount(mine)} {unit}，"
            f"本系统中该部门 {count} 个项目的{label}合计 {show_amount(shown)} {unit}，"
            f"相差 {show_amount(_cents(mine - theirs))} {unit}。",
            field=f"funds_by_nature.project.{column}",
            expected=shown,
            found=mine,
        )
    if typed.rate_pct is not None and summed.executed is not None and summed.adjusted:
        exact = summed.executed / summed.adjusted * HUNDRED
        if abs(typed.rate_pct - exact) > half_unit(typed.rate_pct):
            shown = _cents(exact)
            r.add(
                "department-rollup-rate-differs",
                department,
                f"{subject(department)}填报的项目支出执行率为 {typed.rate_pct}%，按各项目汇总的执行数 "
                f"{show_amount(_cents(summed.executed))} ÷ 预算数 "
                f"{show_amount(_cents(summed.adjusted))} {unit} 应为 {shown}%。",
                field="funds_by_nature.project.rate_pct",
                expected=f"{shown}%",
                found=f"{typed.rate_pct}%",
            )
