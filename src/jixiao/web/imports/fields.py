"""The values of a read document that a reviewer may correct before loading: their names, kinds and places.

A value is named by its JSON path in the document (``projects[0].indicators[2].target``), the same
path the reader's record uses (``reading.fields``), so a flagged value and its correction meet. Each
path has a kind that says how typed text becomes the value and what the record forms would refuse:
money to the fen, weights within the rule pack, scores within their weight, dates, the form's lists.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError

from jixiao.core.model import (
    FUND_ROW_LABELS,
    GRADES,
    MONEY_UNITS,
    Document,
    Execution,
    FundRow,
    Funds,
    Indicator,
    Project,
)
from jixiao.core.scoring import RulePack
from jixiao.core.scoring.assess import show_number
from jixiao.web.cycle.forms import LEVEL1_CHOICES
from jixiao.web.cycle.intake import document_problems
from jixiao.web.cycle.services import check_weight
from jixiao.web.numbers import form_decimal

_PATH = re.compile(
    r"projects\[(\d{1,4})\]\.(?:"
    r"(?P<project>name|department|unit|central_department|nature|category|start_date|end_date|money_unit"
    r"|goal|overall_goal|outcome|total_score|grade)"
    r"|funds\.(?P<row>[a-z_]+)\.(?P<column>initial|adjusted|executed|requested|rate_pct)"
    r"|execution\.(?P<execution>weight|rate_pct|score)"
    r"|indicators\[(?P<indicator>\d{1,4})\]\.(?P<field>level1|level2|name|target|actual|weight|score|deviation))"
)

PROJECT_LABELS = {
    "name": "项目名称",
    "department": "主管部门",
    "unit": "实施单位",
    "central_department": "中央主管部门",
    "nature": "项目性质",
    "category": "项目类别",
    "start_date": "计划开始日期",
    "end_date": "计划完成日期",
    "money_unit": "金额单位",
    "goal": "年度绩效目标",
    "overall_goal": "总体目标",
    "outcome": "总体目标完成情况",
    "total_score": "总分",
    "grade": "评价等级",
}
COLUMN_LABELS = {
    "initial": "年初预算数",
    "adjusted": "全年预算数",
    "executed": "全年执行数",
    "requested": "申请数",
    "rate_pct": "执行率(%)",
}
EXECUTION_LABELS = {"weight": "预算执行率分值", "rate_pct": "预算执行率(%)", "score": "预算执行率得分"}
INDICATOR_LABELS = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "target": "指标值",
    "actual": "实际完成值",
    "weight": "分值",
    "score": "得分",
    "deviation": "偏差原因分析及改进措施",
}
# the columns an unplaced line may be put into, in the order the forms print them
ROW_COLUMNS = ("name", "target", "actual", "weight", "score", "deviation")
# what a form cannot be without: the loader finds the unit by these names
REQUIRED = {"indicator": ("name",), "project": ("name", "department")}
_LEVEL1 = tuple(v for v, _ in LEVEL1_CHOICES)


@dataclass(frozen=True)
class Field:
    """One correctable value: its project, its place in that project, and what kind of value it is."""

    path: str
    project: int
    indicator: int | None
    key: str  # the attribute: "target", "executed", "name"…
    row: str = ""  # the funding row, for money
    group: str = ""  # "project", "funds", "execution" or "indicator"

    @property
    def kind(self) -> str:
        """``money``, ``rate``, ``weight``, ``score``, ``date``, ``choice`` or ``text``."""
        if self.group == "funds":
            return "rate" if self.key == "rate_pct" else "money"
        if self.group == "execution":
            return {"weight": "weight", "score": "score"}.get(self.key, "rate")
        if self.key in ("weight", "score"):
            return self.key
        if self.key == "total_score":
            return "total"
        if self.key in ("start_date", "end_date"):
            return "date"
        if self.key in ("money_unit", "grade", "level1"):
            return "choice"
        return "text"

    def label(self, document: Document) -> str:
        """Where the value is, in words: 「项目」第3项指标「名称」的指标值."""
        project = document.projects[self.project]
        named = f"「{project.name or project.department or ''}」"
        if self.group == "funds":
            return f"{named}{FUND_ROW_LABELS.get(self.row, self.row)}的{COLUMN_LABELS[self.key]}"
        if self.group == "execution":
            return f"{named}{EXECUTION_LABELS[self.key]}"
        if self.group == "indicator":
            assert self.indicator is not None
            name = project.indicators[self.indicator].name
            return f"{named}第{self.indicator + 1}项指标「{name}」的{INDICATOR_LABELS[self.key]}"
        return f"{named}{PROJECT_LABELS[self.key]}"


def field_at(document: Document, path: str) -> Field | None:
    """The correctable value at ``path`` of ``document``, or None when there is none there."""
    m = _PATH.fullmatch(path)
    if m is None:
        return None
    n = int(m.group(1))
    if n >= len(document.projects):
        return None
    project = document.projects[n]
    if m.group("project"):
        return Field(path, n, None, m.group("project"), group="project")
    if m.group("row"):
        if m.group("row") not in FUND_ROW_LABELS:
            return None
        return Field(path, n, None, m.group("column"), row=m.group("row"), group="funds")
    if m.group("execution"):
        return Field(path, n, None, m.group("execution"), group="execution")
    i = int(m.group("indicator"))
    if i >= len(project.indicators):
        return None
    return Field(path, n, i, m.group("field"), group="indicator")


def value_at(document: Document, f: Field) -> str:
    """The value as the document holds it, as text ("" when it was not printed)."""
    project = document.projects[f.project]
    if f.group == "funds":
        row = getattr(project.funds, f.row)
        value = getattr(row, f.key) if row is not None else None
    elif f.group == "execution":
        value = getattr(project.execution, f.key) if project.execution is not None else None
    elif f.group == "indicator":
        assert f.indicator is not None
        value = getattr(project.indicators[f.indicator], f.key)
    else:
        value = getattr(project, f.key)
    return "" if value is None else str(value)


def _number(text: str, what: str, low: Decimal | None = Decimal(0)) -> Decimal:
    value = form_decimal(text, 18 if what == "金额" else 7, 2)
    if value is None:
        raise ValidationError(f"{what}「{text[:20]}」不是可以保存的数字（最多两位小数，如 1234.56）。")
    if low is not None and value < low:
        raise ValidationError(f"{what}不能为负数。")
    return value


def _total(document: Document, f: Field, typed: str, pack: RulePack) -> Decimal:
    total = _number(typed, "总分")
    if total > pack.total_weight:
        raise ValidationError(f"总分 {show_number(total)} 超过满分 {show_number(pack.total_weight)} 分。")
    return total


def _weight(document: Document, f: Field, typed: str, pack: RulePack) -> Decimal:
    weight = _number(typed, "分值")
    if f.group == "indicator":
        check_weight(weight, pack)
    elif weight > pack.total_weight:
        raise ValidationError(f"分值 {show_number(weight)} 超过满分 {show_number(pack.total_weight)} 分。")
    return weight


def _score(document: Document, f: Field, typed: str, pack: RulePack) -> Decimal:
    score = _number(typed, "得分")
    project = document.projects[f.project]
    row = project.indicators[f.indicator] if f.indicator is not None else project.execution
    weight = getattr(row, "weight", None)
    if weight is not None and score > weight:
        raise ValidationError(f"得分 {show_number(score)} 超过该项分值 {show_number(weight)} 分。")
    return score


def _date(document: Document, f: Field, typed: str, pack: RulePack) -> str:
    try:
        return date.fromisoformat(typed).isoformat() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", typed) else _no_date()
    except ValueError:
        return _no_date()


def _choice(document: Document, f: Field, typed: str, pack: RulePack) -> str:
    allowed = {"money_unit": MONEY_UNITS, "grade": GRADES, "level1": _LEVEL1}[f.key]
    if typed not in allowed:
        raise ValidationError(f"应为 {'、'.join(allowed)} 之一。")
    return typed


# How each kind of value is read and checked (text is kept as typed).
_PARSERS: dict[str, Callable[[Document, Field, str, RulePack], object]] = {
    "money": lambda document, f, typed, pack: _number(typed, "金额"),
    "rate": lambda document, f, typed, pack: _number(typed, "百分比"),
    "total": _total,
    "weight": _weight,
    "score": _score,
    "date": _date,
    "choice": _choice,
}


def parse(document: Document, f: Field, text: str, pack: RulePack) -> object:
    """The typed ``text`` as the value at ``f``, checked as the record forms check it; ValidationError if not."""
    typed = text.strip()
    if not typed:
        if f.key in REQUIRED.get(f.group, ()):
            raise ValidationError("该项不能为空。")
        return None if f.kind != "text" else ""
    parser = _PARSERS.get(f.kind)
    return parser(document, f, typed, pack) if parser is not None else typed


def convert(f: Field, text: str) -> object:
    """A correction's stored text as its value again (it was checked by :func:`parse` when it was made)."""
    typed = text.strip()
    if not typed:
        return "" if f.kind == "text" else None
    if f.kind in ("money", "rate", "total", "weight", "score"):
        return Decimal(typed)
    return typed


def _no_date() -> str:
    raise ValidationError("日期应写作 年-月-日，如 2025-03-01。")


# The records a correction changes a value of.
Part = TypeVar("Part", Project, Funds, FundRow, Execution, Indicator)


def _set(part: Part, key: str, value: object) -> Part:
    # the field is named at run time (the correction's path): parse() has checked the value for it
    changes: dict[str, Any] = {key: value}
    return replace(part, **changes)


def apply(document: Document, f: Field, value: object) -> Document:
    """A copy of ``document`` with ``value`` at ``f``."""
    project = document.projects[f.project]
    if f.group == "funds":
        row = getattr(project.funds, f.row) or FundRow()
        project = replace(project, funds=_set(project.funds, f.row, _set(row, f.key, value)))
    elif f.group == "execution":
        project = replace(project, execution=_set(project.execution or Execution(), f.key, value))
    elif f.group == "indicator":
        assert f.indicator is not None
        rows = list(project.indicators)
        indicator: Indicator = rows[f.indicator]
        rows[f.indicator] = _set(indicator, f.key, value)
        project = replace(project, indicators=tuple(rows))
    else:
        project = _set(project, f.key, value)
    projects = list(document.projects)
    projects[f.project] = project
    return replace(document, projects=tuple(projects))


def corrected(document: Document, f: Field, text: str, pack: RulePack) -> Document:
    """``document`` with ``text`` at ``f``, refused (ValidationError) as a record form or the loader would."""
    changed = apply(document, f, parse(document, f, text, pack))
    # what the records cannot hold (lengths, digits, control characters): the loader's own check
    problems = [p for p in document_problems(changed) if p.path == f"$.{f.path}"]
    if problems:
        raise ValidationError(problems[0].message + "。")
    return changed
