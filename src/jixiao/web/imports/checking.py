"""What a file's check page shows: the reading in its official layout, what to check and why, the scan's boxes.

A value is to be checked when the reader chose it by the form's arithmetic or inferred it (its
``reading.fields`` entry), or when OCR read it with low confidence (``reading.recognised``); a
corrected value is shown as corrected. The page is built from the stored reading and the standing
corrections alone: nothing is read from the file again (the scan's page image has a view of its own).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from jixiao.core.model import Document
from jixiao.core.scoring import RulePack
from jixiao.documents.ocr.confidence import LOW
from jixiao.documents.reading.provenance import CONFIDENCE_LABELS, READ
from jixiao.exporters.report import build_report
from jixiao.web.cycle.sheets import NoteColumn, official_table
from jixiao.web.imports import fields
from jixiao.web.imports.corrections import pack_of
from jixiao.web.imports.models import ImportCorrection, ImportFile, ImportJob


@dataclass
class Value:
    """One value of the reading as the page lists it: where it is, what it is, and why to check it."""

    path: str
    label: str
    value: str
    why: list[str] = field(default_factory=list)
    where: str = ""
    page: int | None = None
    box: tuple[float, float, float, float] | None = None
    correction: ImportCorrection | None = None

    @property
    def rect(self) -> SafeString:
        """The box as SVG rectangle attributes (positions are attributes, not styles: the CSP allows them)."""
        if self.box is None:
            return SafeString("")
        x0, top, x1, bottom = self.box
        return format_html('x="{}" y="{}" width="{}" height="{}"', x0, top, max(x1 - x0, 1), max(bottom - top, 1))

    @property
    def uncertain(self) -> bool:
        """True when a person should check it (a correction settles it)."""
        return bool(self.why) and self.correction is None


@dataclass
class ProjectCheck:
    """One project of the file: its form, its values to check, and the rows an unplaced line may go to."""

    number: int
    name: str
    sheet: SafeString
    form: Any  # the exporters' Form: its title, subtitle and notes
    values: list[Value]
    rows: list[tuple[str, str]]  # ("project:indicator", "第3项 名称")
    outside: bool

    @property
    def options(self) -> SafeString:
        """The options of the 更正其他值 select, written here: a template loop costs more than the form itself."""
        return format_html_join(
            "", '<option value="{}">{}：{}</option>', ((v.path, v.label, _short(v.value)) for v in self.values)
        )

    @property
    def to_check(self) -> list[Value]:
        """The values flagged by the reader, or corrected, in form order."""
        return [v for v in self.values if v.why or v.correction is not None]


@dataclass
class Page:
    """A scanned page: its frame in points and the boxes of the values recognised on it."""

    number: int
    width: float
    height: float
    boxes: list[Value]


def _short(text: str, size: int = 30) -> str:
    return "（空）" if not text else text if len(text) <= size else text[: size - 1] + "…"


def _where(source: dict[str, Any] | None, recognised: dict[str, Any] | None) -> str:
    if recognised:
        return f"第{recognised['page']}页"
    if source and source.get("line"):
        column = f"第{source['column']}栏" if source.get("column") else ""
        return f"第{source['line']}行{column}"
    return ""


def _why(source: dict[str, Any] | None, recognised: dict[str, Any] | None) -> list[str]:
    why = []
    if source and source.get("confidence", READ) != READ:
        label = CONFIDENCE_LABELS.get(source["confidence"], source["confidence"])
        why.append(f"{label}：{source['note']}" if source.get("note") else label)
    if recognised and float(recognised.get("confidence", 1.0)) < LOW:
        why.append(
            f"识别把握 {float(recognised['confidence']):.0%}"
            f"（识别 {float(recognised['ocr']):.0%}，核对 {float(recognised['reader']):.0%}），请对照原件"
        )
    return why


def _paths(document: Document, n: int) -> list[str]:
    """Every correctable path of project ``n``, in the order the form prints them."""
    p = document.projects[n]
    base = f"projects[{n}]"
    out = [f"{base}.{k}" for k in ("name", "department", "unit", "central_department", "nature", "category")]
    out += [f"{base}.{k}" for k in ("start_date", "end_date", "money_unit")]
    for key, row in p.funds.rows():
        out += [f"{base}.funds.{key}.{c}" for c in fields.COLUMN_LABELS if getattr(row, c) is not None]
    out += [f"{base}.{k}" for k in ("overall_goal", "goal")]
    for i in range(len(p.indicators)):
        out += [f"{base}.indicators[{i}].{k}" for k in fields.INDICATOR_LABELS]
    if p.execution is not None:
        out += [f"{base}.execution.{k}" for k in fields.EXECUTION_LABELS]
    out += [f"{base}.{k}" for k in ("outcome", "total_score", "grade")]
    return out


def _anchor(path: str) -> str | None:
    """The form row a value is printed on (``indicator:2``, ``execution``, ``total``), for the notes column."""
    if ".indicators[" in path:
        return "indicator:" + path.split(".indicators[", 1)[1].split("]", 1)[0]
    if ".execution." in path:
        return "execution"
    if path.endswith(".total_score"):
        return "total"
    if path.endswith(".grade"):
        return "grade"
    return None


def _note(values: list[Value]) -> SafeString:
    """The notes cell of one form row: a button per flagged or corrected value, showing its box on click."""
    return format_html_join(
        "",
        '<button type="button" class="check-value {}" data-path="{}">{}{}</button>',
        (
            (
                "corrected" if v.correction else "unsure",
                v.path,
                v.label.rsplit("的", 1)[-1],
                f"：已更正为「{v.correction.value}」" if v.correction else "：" + "；".join(v.why),
            )
            for v in values
        ),
    )


PER_PAGE = 10  # projects drawn per check page: a file of 300 forms is checked ten at a time


def file_check(
    job: ImportJob, item: ImportFile, document: Document, corrections: list[ImportCorrection], page: int = 1
) -> Any:
    """The check page's content for ``item``: its projects (``page`` of them), unplaced lines and scanned pages.

    Every value of every project is looked at (the count of values to check is the file's), but only the
    projects of ``page`` are drawn in their official layout: that is where the time goes.
    """
    reading: dict[str, Any] = item.reading or {}
    sources: dict[str, Any] = reading.get("fields", {})
    recognised: dict[str, Any] = reading.get("recognised", {})
    by_path = {c.path: c for c in corrections}
    projects = []
    every: dict[str, Value] = {}
    count = len(document.projects)
    last = max(1, -(-count // PER_PAGE))
    page = min(max(page, 1), last)
    shown = range((page - 1) * PER_PAGE, min(page * PER_PAGE, count))
    flagged_all = 0
    packs: dict[str, RulePack] = {}
    for n, project in enumerate(document.projects):
        values = []
        for path in _paths(document, n):
            f = fields.field_at(document, path)
            if f is None:
                continue
            seen = recognised.get(path)
            v = Value(
                path,
                f.label(document),
                fields.value_at(document, f),
                _why(sources.get(path), seen),
                _where(sources.get(path), seen),
                int(seen["page"]) if seen else None,
                tuple(seen["box"]) if seen else None,
                by_path.get(path),
            )
            if v.value or v.why or v.correction or f.group in ("indicator", "project"):
                values.append(v)
                every[path] = v
        flagged_all += sum(1 for v in values if v.uncertain)
        if n not in shown:
            continue
        single = Document(kind=document.kind, year=document.year, projects=(project,))
        department = project.department or ""
        if department not in packs:  # one look-up per department, not per form
            packs[department] = pack_of(job, document, n)
        form = build_report(single, pack=packs[department]).forms[0]
        flagged: dict[str, list[Value]] = {}
        for v in values:
            anchor = _anchor(v.path)
            if anchor and (v.why or v.correction):
                flagged.setdefault(anchor, []).append(v)
        notes = NoteColumn("核对", 26, {a: _note(vs) for a, vs in flagged.items()})
        preview = item.projects[n] if n < len(item.projects) else {}
        projects.append(
            ProjectCheck(
                n,
                project.name or project.department or "",
                official_table(form, [notes]),
                form,
                values,
                [(f"{n}:{i}", f"第{i + 1}项 {ind.name}") for i, ind in enumerate(project.indicators)],
                bool(preview.get("outside")),
            )
        )
    # the scanned pages the shown projects were printed on, with the boxes of their values
    drawn = [v for p in projects for v in p.values if v.box]
    pages = []
    for frame in reading.get("pages", []):
        boxes = [v for v in drawn if v.page == frame["page"]]
        if boxes:
            pages.append(Page(int(frame["page"]), float(frame["width"]), float(frame["height"]), boxes))
    return {
        "projects": projects,
        "unplaced": reading.get("unplaced", []),
        "pages": pages,
        "columns": [(c, fields.INDICATOR_LABELS[c]) for c in fields.ROW_COLUMNS],
        "flagged": flagged_all,
        "page": page,
        "page_numbers": range(1, last + 1) if last > 1 else range(0),
        "shown": (shown.start + 1, shown.stop, count),
    }
