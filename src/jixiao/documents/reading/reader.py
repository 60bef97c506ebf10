"""The stream reader's entry: a text source in, a document with the source of every value out."""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.core.errors import Location, SourceError
from jixiao.core.model import (
    DEPARTMENT_NATURES,
    DEPARTMENT_SOURCES,
    DepartmentFunds,
    Document,
    Execution,
    FundRow,
    Funds,
    Goal,
    Kind,
    Project,
)
from jixiao.documents.reading import grammar
from jixiao.documents.reading.blocks import ProjectDraft
from jixiao.documents.reading.cellstream import Cell, make_stream
from jixiao.documents.reading.forms import Reading, read_forms
from jixiao.documents.reading.normal import norm
from jixiao.documents.reading.provenance import FieldSource
from jixiao.documents.reading.tree import Draft
from jixiao.documents.result import ImportResult, ImportWarning, ProjectSource
from jixiao.documents.text import TextSource

_ROWS = ("total", "current_appropriation", "carryover", "other", "central", "local")
_ROW_FIELDS = ("initial", "adjusted", "executed", "requested", "rate_pct", "forecast")
_IDENTITY = (
    *("name", "department", "unit", "central_department", "nature", "category", "start_date", "end_date"),
    "as_of",
)
_PROJECT_PATHS = frozenset({*_IDENTITY, "money_unit", "goal", "overall_goal", "outcome", "total_score", "grade"})
UNPLACED = "未能归入任何字段的内容"


def _split_path(key: str) -> str:
    """The JSON path of a department-wide form's split row (funds.basic.initial -> funds_by_nature.basic.initial)."""
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == "funds" and parts[1] != "other":
        if parts[1] in DEPARTMENT_SOURCES:
            return f"funds_by_source.{parts[1]}.{parts[2]}"
        if parts[1] in DEPARTMENT_NATURES:
            return f"funds_by_nature.{parts[1]}.{parts[2]}"
    return key


def _project(draft: ProjectDraft, n: int, fields: dict[str, FieldSource]) -> Project:
    base = f"projects[{n}]"
    for key, src in draft.sources.items():
        if key in _PROJECT_PATHS or key.startswith(("funds.", "execution.")):
            fields[f"{base}.{_split_path(key)}"] = src
    funds = Funds(
        **{
            k: FundRow(**{f: v for f, v in row.items() if f in _ROW_FIELDS})
            for k, row in draft.funds.items()
            if k in _ROWS
        }
    )
    execution = Execution(**draft.execution) if draft.execution else None
    # a department-wide form's rows by source and nature (read only on those forms)
    split = {
        k: FundRow(**{f: v for f, v in row.items() if f in _ROW_FIELDS})
        for k, row in draft.funds.items()
        if k in (*DEPARTMENT_SOURCES, *DEPARTMENT_NATURES) and k != "other"
    }
    indicators = []
    for k, d in enumerate(draft.drafts):
        indicators.append(d.indicator())
        for key, src in d.sources.items():
            fields[f"{base}.indicators[{k}].{key}"] = src
    return Project(
        name=draft.fields.get("name", ""),
        department=draft.fields.get("department"),
        unit=draft.fields.get("unit"),
        central_department=draft.fields.get("central_department"),
        nature=draft.fields.get("nature"),
        category=draft.fields.get("category"),
        start_date=draft.fields.get("start_date"),
        end_date=draft.fields.get("end_date"),
        money_unit=draft.money_unit,
        funds=funds,
        execution=execution,
        goal=draft.goals.get("goal"),
        overall_goal=draft.goals.get("overall_goal"),
        outcome=draft.goals.get("outcome"),
        fund_management=None,
        indicators=tuple(indicators),
        total_score=draft.total,
        grade=draft.grade,
        as_of=draft.fields.get("as_of"),
        department_funds=DepartmentFunds(**split) if split else None,
        goals=tuple(Goal(g, o or None) for g, o in draft.goal_rows) if draft.goal_rows else None,
    )


def _warnings(reading: Reading, name: str) -> list[ImportWarning]:
    out: list[ImportWarning] = []
    by_line: dict[int, list[Cell]] = {}
    for cell in reading.unplaced:
        by_line.setdefault(cell.line, []).append(cell)
    for line, cells in sorted(by_line.items()):
        text = " ".join(c.text for c in sorted(cells, key=lambda c: c.column))
        out.append(ImportWarning(Location(file=name, line=line), UNPLACED, text))
    for line, message in reading.notes:
        out.append(ImportWarning(Location(file=name, line=line), message, level="note"))
    for line, message, text in reading.warnings:
        out.append(ImportWarning(Location(file=name, line=line), message, text))
    if reading.preamble:
        first, last = reading.preamble[0].line, reading.preamble[-1].line
        out.append(
            ImportWarning(
                Location(file=name, line=first),
                f"第{first}至{last}行在表格之前（网页导航、标题或说明文字），未作为项目读取",
                reading.preamble[0].text,
                level="note",
            )
        )
    for proj in reading.projects:
        for line, message in proj.notes:
            out.append(ImportWarning(Location(file=name, line=line), message, level="note"))
        for line, message, text in proj.problems:
            out.append(ImportWarning(Location(file=name, line=line), message, text))
    return sorted(out, key=lambda w: w.location.line or 0)


_FIGURE = re.compile(r"\d")
_FEW = 3  # cells with a digit, below which a form's figures are taken as lost


def _refuse_empty_forms(reading: Reading, name: str) -> None:
    """A form with nothing in it to read: every digit lost by the extraction, or a template never filled in."""
    first = reading.projects[0].first_line
    if not any(p.fields or p.funds or p.drafts for p in reading.projects):
        raise SourceError(
            "没有找到绩效表：文中有指标的字样，却没有项目、资金或可以读取的指标行（可能只是叙述文字）",
            Location(file=name, line=first),
        )
    cells = [c for c in reading.stream_cells if c.line >= first]
    if sum(1 for c in cells if _FIGURE.search(c.norm)) < _FEW:
        raise SourceError(
            "表中没有数字：金额、分值和指标值的数字似乎在提取时全部丢失，无法读取", Location(file=name, line=first)
        )


def _check_sums(reading: Reading) -> None:
    """The form's own arithmetic over what was read: each level-1 group's points against its printed share
    (产出指标(50分)), and the scores against 总分. A difference is said, with the line, for a person to check:
    the form may be wrong, or the reading."""
    for proj in reading.projects:
        groups: dict[tuple[str, str], list[Draft]] = {}
        for d in proj.drafts:
            if d.level1 and d.level1_weight:
                groups.setdefault((d.level1, d.level1_weight), []).append(d)
        for (label, share), drafts in groups.items():
            points = [d.weight if d.weight is not None else d.score for d in drafts]
            if all(p is not None for p in points) and len(drafts) > 1:
                total = sum(p for p in points if p is not None)
                if total != Decimal(share):
                    line = drafts[0].sources["name"].line or proj.first_line
                    note = f"{label}所印分值为{share}分，读到的各项分值之和为{total}分，请核对"
                    proj.notes.append((line, note))
        scores = [d.score for d in proj.drafts]
        if proj.total is not None and scores and all(s is not None for s in scores):
            got = sum(s for s in scores if s is not None) + proj.execution.get("score", Decimal(0))
            if abs(got - proj.total) > Decimal("0.05"):
                where = proj.sources.get("total_score")
                at = (where.line if where is not None else None) or proj.first_line
                proj.notes.append((at, f"总分{proj.total}与读到的各项得分之和{got}不符，请核对"))


def _warn_unfilled(reading: Reading) -> None:
    """A template never filled in: its indicators print no value, only units or signs; said once, by line."""
    for proj in reading.projects:
        if proj.drafts and not any(_has_value(d) for d in proj.drafts):
            line = proj.drafts[0].sources["name"].line or proj.first_line
            message = f"表格是未填写的模板：{len(proj.drafts)} 个指标都没有指标值（只印了单位或符号）"
            reading.warnings.append((line, message, ""))


def _has_value(draft: Draft) -> bool:
    """True when an indicator prints something beyond a unit or a sign: a figure, a phrase, a score."""
    if draft.actual or draft.weight is not None or draft.score is not None:
        return True
    target = norm(draft.target or "")
    bare = target.strip("≥≤=<>%")
    return bool(bare) and not grammar.is_unit(bare)


def read_stream_text(source: TextSource) -> ImportResult:
    """Read every form of a text by its cells and anchors; lines that fit nowhere become warnings."""
    stream = make_stream(source.lines)
    if not stream.cells:
        raise SourceError("文件中没有文字", Location(file=source.name, line=1))
    reading = read_forms(stream)
    if not reading.projects:
        raise SourceError(
            "没有找到绩效表：文中既没有「项目名称」等栏目，也没有「一级指标」「三级指标」等表头",
            Location(file=source.name, line=stream.cells[0].line),
        )
    _refuse_empty_forms(reading, source.name)
    _warn_unfilled(reading)
    _check_sums(reading)
    fields: dict[str, FieldSource] = {}
    projects = [_project(p, n, fields) for n, p in enumerate(reading.projects)]
    kind = reading.kind or Kind.SELF_EVALUATION
    document = Document(kind=kind, year=reading.year, projects=tuple(projects))
    sources = tuple(
        ProjectSource(
            first_line=p.first_line,
            last_line=p.last_line,
            indicator_lines=tuple(d.sources["name"].line or 0 for d in p.drafts),
        )
        for p in reading.projects
    )
    return ImportResult(
        source=source.name,
        document=document,
        warnings=tuple(_warnings(reading, source.name)),
        projects=sources,
        encoding=source.encoding,
        layout="stream",
        fields=fields,
    )
