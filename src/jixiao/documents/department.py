"""A department-wide form read by any reader, settled into the department-wide model.

The readers read a 部门整体支出绩效 form as they read a project's: its
annual goals land in ``goal`` and ``outcome``, its 其他资金 row among the
project funding rows. A department's form means something else by them: it
has several 年度总体目标 (each with what was achieved), and its money is split
by source (一般公共预算, 政府性基金, 纳入专户管理的非税收入, 其他资金) and by
nature (基本支出, 项目支出). :func:`settle_department` moves what was read
into those places, keeping where each value was printed.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

from jixiao.core.model import DepartmentFunds, Goal, Project
from jixiao.documents.result import ImportResult

__all__ = ["settle_department", "split_goals"]

# 目标1: / 目标2 / 任务3、 / 1. / (1) / ①: how forms number their several annual goals
_NUMBERED = re.compile(r"(?:(?:目标|任务)\s*\d+\s*[:：、.．]?|(?<![\d.])\d+\s*[、．]|[(（]\d+[)）]|[①②③④⑤⑥⑦⑧⑨⑩])")
_TRAILING = ",，;；、 "


def split_goals(text: str | None) -> list[str]:
    """The numbered goals of a goal cell, each with its printed number (one item when unnumbered)."""
    if not text or not text.strip():
        return []
    starts = [m.start() for m in _NUMBERED.finditer(text)]
    # a number must open the text for the cell to be a numbered list; otherwise it is one goal
    if len(starts) < 2 or text[: starts[0]].strip(_TRAILING):
        return [text.strip()]
    bounds = [*starts, len(text)]
    return [text[a:b].strip().rstrip(_TRAILING) for a, b in itertools.pairwise(bounds) if text[a:b].strip()]


def _goals(project: Project) -> tuple[Goal, ...] | None:
    goals, outcomes = split_goals(project.goal), split_goals(project.outcome)
    if not goals and not outcomes:
        return None
    if len(goals) != len(outcomes) and goals and outcomes:
        # goals and outcomes not numbered alike: keep each whole rather than pair them wrongly
        goals, outcomes = [project.goal or ""], [project.outcome or ""]
    count = max(len(goals), len(outcomes))
    goals += [""] * (count - len(goals))
    return tuple(Goal(g, outcomes[n] if n < len(outcomes) else None) for n, g in enumerate(goals))


def _settle(project: Project) -> Project:
    goals = project.goals if project.goals is not None else _goals(project)
    funds, split = project.funds, project.department_funds
    if project.funds.other is not None:
        # on a department's form 其他资金 is one of the sources of its money, not a project funding row
        split = replace(split or DepartmentFunds(), other=split.other if split and split.other else funds.other)
        funds = replace(funds, other=None)
    return replace(project, goal=None, outcome=None, goals=goals, funds=funds, department_funds=split)


def _moved(path: str, project: Project, n: int) -> str:
    """The reading path of a value after the move (goal -> goals[0].goal; funds.other -> funds_by_source.other)."""
    base = f"projects[{n}]."
    if not path.startswith(base):
        return path
    rest = path[len(base) :]
    if rest in ("goal", "outcome") and project.goals and len(project.goals) == 1:
        return f"{base}goals[0].{rest}"
    if rest.startswith("funds.other."):
        return base + "funds_by_source.other." + rest[len("funds.other.") :]
    return path


def settle_department(result: ImportResult) -> ImportResult:
    """``result`` with each department-wide form's goals and money in the department-wide places.

    Other kinds are returned unchanged; settling a settled form changes nothing.
    """
    doc = result.document
    if not doc.kind.is_department:
        return result
    projects = tuple(_settle(p) for p in doc.projects)
    fields = dict(result.fields)
    for n, p in enumerate(projects):
        fields = {_moved(k, p, n): v for k, v in fields.items()}
    return replace(result, document=replace(doc, projects=projects), fields=fields)
