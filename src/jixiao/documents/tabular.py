"""From raw cells (XLSX, DOCX, PDF) to a document, through the one text pipeline.

The layout knowledge of the forms lives in one place, the text reader
(:func:`jixiao.documents.reader.read_text`). A sheet, a Word table or a PDF table is turned into
the tab-separated lines that reader already reads (one line per row, one tab per column, merged
cells as empty cells), and the reader's line numbers are mapped back to where they came from:
every warning gets its sheet and cell (or page), and :func:`locate` finds the cell of every value
of the document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from jixiao.core.errors import Location, SourceError
from jixiao.core.model import Document, Project
from jixiao.documents.cells import Part, RawCell, RawRow
from jixiao.documents.forms import is_project_start
from jixiao.documents.reader import read_text
from jixiao.documents.reading.reader import read_stream_text
from jixiao.documents.result import ImportResult, ImportWarning, Progress, ProjectSource, no_progress
from jixiao.documents.rows import make_rows, number
from jixiao.documents.text import SourceLine, TextSource
from jixiao.documents.vocab import fund_column, fund_row_key, squeeze, table_column

_SPACES = re.compile(r"[ \t\u3000\xa0]+")


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def cell_line_text(text: str) -> str:
    """One cell's text for a tab-separated line: its line breaks joined, runs of spaces single."""
    pieces = [p.strip() for p in text.replace("\r", "\n").split("\n") if p.strip()]
    out = ""
    for piece in pieces:
        # A break between two Latin words was a space; between Chinese characters, or inside a
        # number (「≥4」 over 「0%」), it was only a wrap (the PDF exporter's linebreak rule, reversed).
        if out and _latin(out[-1]) and _latin(piece[0]):
            out += " "
        out += piece
    return _SPACES.sub(" ", out).strip()


def _line(row: RawRow) -> str:
    texts = ["" if c is None else cell_line_text(c.text) for c in row.cells]
    while texts and not texts[-1]:
        texts.pop()
    return "\t".join(texts)


# A department-wide form names no project: its first row names the department (部门（单位）名称).
_DEPARTMENT_START = re.compile(r"^\s*(?:部门|单位)\s*[(（]\s*单位\s*[)）]\s*名称|^\s*(?:预算)?部门名称")


def _has_form(part: Part) -> bool:
    lines = tuple(SourceLine(n, _line(r)) for n, r in enumerate(part.rows, start=1))
    return any(is_project_start(r) or _DEPARTMENT_START.match(r.text) for r in make_rows(lines))


def has_form(parts: list[Part]) -> bool:
    """True when some part holds a form (a 项目名称 row); a Word file of pictures has none."""
    return any(_has_form(p) for p in parts)


def read_parts(
    parts: list[Part], name: str, layout: str, separate: bool = False, progress: Progress = no_progress
) -> ImportResult:
    """Read the forms in ``parts`` (sheets, pages, a document body) as one text.

    With ``separate`` (the sheets of a workbook, each a form of its own), a part with no form in it
    (a 汇总表, a cover sheet) is passed over with a note. Pages are never separate: a form runs on
    over the page break.
    """
    with_form = [p for p in parts if _has_form(p)] if separate else parts
    kept = with_form or parts  # no form anywhere: let the reader say so in its own words
    skipped = [p.name for p in parts if p not in kept]
    lines: list[SourceLine] = []
    origin: dict[int, RawRow] = {}
    # one text for all parts: a form that runs over a page break must be read as one form
    for part in kept:
        if lines:
            lines.append(SourceLine(len(lines) + 1, ""))  # a sheet or page ends like a page break
        for row in part.rows:
            n = len(lines) + 1
            lines.append(SourceLine(n, _line(row)))
            origin[n] = row
    if not lines:
        lines.append(SourceLine(1, ""))
    result = _read(TextSource(name=name, encoding="", lines=tuple(lines)), progress)
    warnings = [_relocate(w, origin, name) for w in result.warnings]
    for part_name in skipped:
        warnings.append(
            ImportWarning(
                Location(file=name, sheet=part_name), "这部分不是绩效表（如汇总表、封面），未作为项目读取", level="note"
            )
        )
    return replace(
        result,
        warnings=tuple(warnings),
        layout=layout,
        locations=locate(result.document, result.projects, origin),
    )


def _read(source: TextSource, progress: Progress) -> ImportResult:
    """The layout reader's reading of the cells; the stream reader's where that finds no indicator.

    The layout readers read the tidy project forms cell for cell. A form they find nothing in (a
    department-wide one, which names no project) is read by the stream reader, as a text file is; the
    layout reader's error stands when the stream reader finds nothing either.
    """
    try:
        result: ImportResult | None = read_text(source, progress)
    except SourceError:
        result = None
    if result is not None and result.document.indicator_count:
        return result
    try:
        stream = read_stream_text(source)
    except SourceError:
        stream = None
    if stream is not None and stream.document.indicator_count:
        return stream
    return result if result is not None else read_text(source, progress)


_LINE_RANGE = re.compile(r"第(\d+)至(\d+)行")


def _place(location: Location) -> str:
    """A short name of a place without the file: ``工作表 汇总表 单元格 A3``, ``第2页``, ``第5段``."""
    return str(replace(location, file=None))


def _relocate(warning: ImportWarning, origin: dict[int, RawRow], name: str) -> ImportWarning:
    """A warning about a text line, pointed at the sheet and cell (or page) the line came from.

    The reader's messages may name a range of its own lines (``第3至40行``); those become the places
    the lines came from, since a spreadsheet or a PDF has no such lines.
    """

    def places(m: re.Match[str]) -> str:
        first, last = origin.get(int(m.group(1))), origin.get(int(m.group(2)))
        if first is None or last is None:
            return m.group(0)
        return f"{_place(first.location)}至{_place(last.location)}"

    warning = replace(warning, message=_LINE_RANGE.sub(places, warning.message))
    row = origin.get(warning.location.line or -1)
    if row is None:
        return replace(warning, location=Location(file=name))
    wanted = squeeze(warning.text)
    place = row.location
    for cell in row.filled:
        s = squeeze(cell.text)
        if s and (s in wanted or wanted in s):
            place = cell.location
            break
    return replace(warning, location=place)


# -- where each value sits ---------------------------------------------------------

_Found = tuple[int, int, RawCell]  # line, column, cell


class _Region:
    """The cells of one project's form, for finding where its values were printed."""

    def __init__(self, origin: dict[int, RawRow], source: ProjectSource) -> None:
        self.lines = [n for n in range(source.first_line, source.last_line + 1) if n in origin]
        self.origin = origin
        self.cells: list[_Found] = [
            (n, k, c) for n in self.lines for k, c in enumerate(origin[n].cells) if c is not None and c.text.strip()
        ]

    def text(self, value: str | None, lines: list[int] | None = None) -> Location | None:
        if not value:
            return None
        wanted = squeeze(value)
        pool = [f for f in self.cells if lines is None or f[0] in lines]
        for _, _, cell in pool:
            if squeeze(cell.text) == wanted:
                return cell.location
        # a value joined from several cells (a wrapped name) is found by its first part
        for _, _, cell in pool:
            s = squeeze(cell.text)
            if len(s) >= 2 and (s in wanted or wanted in s):
                return cell.location
        return None

    def figure(self, value: Decimal | None, lines: list[int], column: int | None = None) -> Location | None:
        if value is None:
            return None
        pool = [f for f in self.cells if f[0] in lines and number(f[2].text) == value]
        # equal figures in one row (0.00 budget and 0.00 executed) are told apart by the heading's column
        exact = [f for f in pool if f[1] == column]
        chosen = (exact or pool)[:1]
        return chosen[0][2].location if chosen else None

    def columns(self, field_of: Callable[[str], str | None]) -> dict[str, int]:
        """Field -> column position, from the heading row that names at least two of them."""
        for n in self.lines:
            found: dict[str, int] = {}
            for k, c in enumerate(self.origin[n].cells):
                named = field_of(c.text) if c is not None else None
                if named is not None:
                    found.setdefault(named, k)
            if len(found) >= 2:
                return found
        return {}

    def fund_line(self, key: str) -> int | None:
        for n in self.lines:
            keys = [fund_row_key(c.text) for c in self.origin[n].cells if c is not None]
            if keys and key in keys:
                return n
        return None


_IDENTITY = (
    "name",
    "department",
    "unit",
    "central_department",
    "nature",
    "category",
    "start_date",
    "end_date",
    "as_of",
)


# Complexity over 15, kept: one place per field of a project (identity, money, goals, indicators): a flat list of
# lookups, not nested logic.
def _locate_project(i: int, p: Project, region: _Region, source: ProjectSource, out: dict[str, Location]) -> None:  # noqa: C901
    base = f"projects[{i}]"

    def put(path: str, where: Location | None) -> None:
        if where is not None:
            out[f"{base}.{path}"] = where

    for attr in _IDENTITY:
        put(attr, region.text(getattr(p, attr)))
    for attr in ("goal", "overall_goal", "outcome"):
        put(attr, region.text(getattr(p, attr)))
    if p.money_unit:
        put(
            "money_unit", next((c.location for _, _, c in region.cells if f"({p.money_unit})" in squeeze(c.text)), None)
        )
    fund_cols = region.columns(fund_column)
    for key, row in p.funds.rows():
        line = region.fund_line(key)
        if line is None:
            continue
        for attr in ("initial", "adjusted", "executed", "requested", "rate_pct", "forecast"):
            put(f"funds.{key}.{attr}", region.figure(getattr(row, attr), [line], fund_cols.get(attr)))
        if key == "total" and p.execution is not None:
            for attr in ("weight", "rate_pct", "score"):
                put(f"execution.{attr}", region.figure(getattr(p.execution, attr), [line], fund_cols.get(attr)))
    for k, r in enumerate(p.fund_management or ()):
        item = region.text(r.item)
        line = next((n for n, _, c in region.cells if c.location == item), None)
        put(f"fund_management[{k}].item", item)
        scope = [line] if line is not None else None
        put(f"fund_management[{k}].description", region.text(r.description, scope))
        put(f"fund_management[{k}].remedy", region.text(r.remedy, scope))
    table_cols = region.columns(table_column)
    for k, ind in enumerate(p.indicators):
        if k >= len(source.indicator_lines):
            break
        line = source.indicator_lines[k]
        above = [n for n in region.lines if n <= line]
        path = f"indicators[{k}]"
        for attr in ("name", "target", "actual", "deviation", "forecast", "likelihood", "remedy"):
            put(f"{path}.{attr}", region.text(getattr(ind, attr), [line]))
        if ind.cause:
            put(f"{path}.cause", region.text("、".join(ind.cause), [line]))
        for attr in ("weight", "score"):
            put(f"{path}.{attr}", region.figure(getattr(ind, attr), [line], table_cols.get(attr)))
        # a merged label prints on the first row of its span: the nearest one above
        for attr in ("level1", "level2"):
            value = getattr(ind, attr)
            if value:
                hits = [f for f in region.cells if f[0] in above and squeeze(f[2].text) == squeeze(value)]
                put(f"{path}.{attr}", hits[-1][2].location if hits else None)
    after = [n for n in region.lines if not source.indicator_lines or n > max(source.indicator_lines)]
    put("total_score", region.figure(p.total_score, after, table_cols.get("score")))
    put("grade", region.text(p.grade, after))


def locate(doc: Document, sources: tuple[ProjectSource, ...], origin: dict[int, RawRow]) -> dict[str, Location]:
    """Where each value of ``doc`` was printed, by JSON path (``projects[0].indicators[2].target``)."""
    out: dict[str, Location] = {}
    for i, (p, source) in enumerate(zip(doc.projects, sources, strict=False)):
        _locate_project(i, p, _Region(origin, source), source, out)
    return out
