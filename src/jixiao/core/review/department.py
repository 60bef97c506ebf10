"""Checks of a department-wide form (部门整体支出绩效): its two splits of the money and its indicator classes.

The rest of a department-wide form is checked as a project's is (targets,
execution rate, score ranges, totals, grade), with the pack's
``[department]`` point split in place of the project one
(:func:`department_pack`). Amounts are compared at their printed
precision, as :mod:`jixiao.core.review.money` compares a project's.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from jixiao.core.model import DEPARTMENT_FUND_LABELS, FundRow, Project
from jixiao.core.review.context import Reporter
from jixiao.core.scoring.assess import show_amount
from jixiao.core.scoring.department import class_of
from jixiao.core.scoring.formulas import half_unit
from jixiao.core.scoring.packs import RulePack

__all__ = ["check_department", "department_pack", "subject"]

_COLUMNS = (("initial", "年初预算数"), ("adjusted", "全年预算数"), ("executed", "全年执行数"), ("requested", "申请数"))
_SPLITS = (
    ("source", "按收入性质", "department-sources-do-not-add-up"),
    ("nature", "按支出性质", "department-natures-do-not-add-up"),
)


def department_pack(pack: RulePack) -> RulePack:
    """``pack`` with its ``[department]`` point split in place of the project one.

    The department's level-1 classes are its own (checked here), so the project split of 产出/效益/满意度
    points is not applied to them.
    """
    d = pack.department
    return replace(
        pack,
        total_weight=d.total_weight,
        execution_weight=d.execution_weight,
        indicator_weight=d.indicators_weight,
        level1_check="off",
    )


def subject(project: Project) -> str:
    """How a finding names a department-wide form: ``部门“零陵区林业局”``."""
    return f"部门“{project.department or '（未填写部门）'}”"


def check_department(r: Reporter, project: Project) -> None:
    """Both splits of the money against the total, and every indicator's level-1 label against the pack's classes."""
    _check_splits(r, project)
    _check_classes(r, project)


def _check_splits(r: Reporter, project: Project) -> None:
    total = project.funds.total
    split = project.department_funds
    if total is None or split is None:
        return
    unit = project.money_unit or "元"
    for which, label, code in _SPLITS:
        parts = split.by_source() if which == "source" else split.by_nature()
        # a split with one row printed cannot be told from one whose other rows were left blank or lost
        if len(parts) < 2:
            continue
        for column, column_label in _COLUMNS:
            whole = getattr(total, column)
            values = [getattr(row, column) for _, row in parts]
            # a printed row without this column leaves the sum unknown: nothing to check
            if whole is None or any(v is None for v in values):
                continue
            amounts: list[Decimal] = [v for v in values if v is not None]
            added = sum(amounts, Decimal(0))
            slack = half_unit(whole) + sum((half_unit(v) for v in amounts), Decimal(0))
            if abs(added - whole) <= slack:
                continue
            terms = " + ".join(
                f"{DEPARTMENT_FUND_LABELS[k]} {show_amount(v)}" for (k, _), v in zip(parts, amounts, strict=True)
            )
            r.add(
                code,
                project,
                f"{subject(project)}{label}分的{column_label}：{terms} = {show_amount(added)} {unit}，"
                f"但年度资金总额填报 {show_amount(whole)} {unit}，相差 {show_amount(whole - added)} {unit}。",
                field=f"funds_by_{which}.{column}",
                expected=whole,
                found=added,
            )


def _check_classes(r: Reporter, project: Project) -> None:
    classes = r.pack.department.classes
    seen: set[str] = set()
    for index, ind in enumerate(project.indicators):
        if not ind.level1:
            continue  # a form without a level-1 column: nothing to classify
        cls = class_of(ind.level1, classes)
        if cls is None:
            r.add(
                "department-class-unknown",
                project,
                f"{subject(project)}的指标“{ind.name}”属于一级指标“{ind.level1}”，"
                f"不是规则包 {r.pack.name} 规定的部门整体绩效指标类别（{'、'.join(classes)}）之一。",
                indicator=ind,
                index=index,
                field="level1",
                expected="、".join(classes),
                found=ind.level1,
            )
        else:
            seen.add(cls)
    labelled = any(ind.level1 for ind in project.indicators)
    missing = [c for c in classes if c not in seen]
    if labelled and missing:
        r.add(
            "department-class-missing",
            project,
            f"{subject(project)}的指标体系中没有{'、'.join(missing)}类指标"
            f"（规则包 {r.pack.name} 的部门整体绩效指标类别为 {'、'.join(classes)}）。",
            field="indicators",
            expected="、".join(classes),
            found="、".join(c for c in classes if c in seen) or None,
        )


def row_text(row: FundRow) -> str:
    """A fund row's printed figures in words, for messages: ``年初 4,753.66、执行 3,824.26``."""
    parts = [(row.initial, "年初"), (row.adjusted, "全年"), (row.executed, "执行")]
    return "、".join(f"{word} {show_amount(v)}" for v, word in parts if v is not None)
