"""The format-neutral report model: what each form and report shows, in what order, with the official labels.

:func:`jixiao.exporters.report.build_report` turns a :class:`~jixiao.core.model.Document` into a
:class:`Report` once; the XLSX, PDF, DOCX and CSV renderers only draw it. A form is a
:class:`Grid` of :class:`Cell` s with their spans, so every renderer prints the same labels, the
same merged cells and the same figures, and the narrative report quotes figures formatted by the
same functions as the form: the text and the attached form cannot disagree.

This module is the one the others share: the layouts, the narrative and the open-data tables fill
the model, the renderers read it, and none of them imports another (the builder joins them).

Figures stay :class:`~decimal.Decimal` to the end. A cell keeps its number, how many decimals to
print and whether it is a percentage; the printed text is derived from those with :func:`figure`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from jixiao.core.model import Document, Kind, Project


class Style(StrEnum):
    """Which official layout a document is printed in."""

    DECLARATION = "declaration"
    SELF_2022 = "2022"
    SELF_2024 = "2024"
    TRANSFER = "transfer"
    MONITORING = "monitoring"
    DEPARTMENT = "department"  # 部门整体支出绩效自评表
    DEPARTMENT_DECLARATION = "department-declaration"  # 部门整体支出绩效目标申报表


# Fund rows each layout prints, always all of them, with their printed labels (the forms and the
# narrative both print them).
SELF_FUND_ROWS = (
    ("total", "年度资金总额"),
    ("current_appropriation", "其中：当年财政拨款"),
    ("carryover", "上年结转资金"),
    ("other", "其他资金"),
)
TRANSFER_FUND_ROWS = (
    ("total", "年度资金总额："),
    ("central", "其中：中央财政资金"),
    ("local", "地方资金"),
    ("other", "其他资金"),
)


class Role(StrEnum):
    """What a cell holds, which decides how it is printed (alignment, weight, wrapping)."""

    LABEL = "label"  # a printed heading of the form (项目名称, 年初预算数): centred
    TEXT = "text"  # text a person filled in: left-aligned, wrapped, always written as text
    FIGURE = "figure"  # a number: right-aligned with a fixed number of decimals
    CODE = "code"  # a short value filled in (a grade, a date, a 指标值): centred text


@dataclass(frozen=True)
class Cell:
    """One printed cell of a form: its text, its figure if it is one, and its place and spans."""

    col: int
    text: str = ""
    role: Role = Role.TEXT
    number: Decimal | None = None
    places: int = 0
    percent: bool = False
    grouping: bool = False
    colspan: int = 1
    rowspan: int = 1
    vertical: bool = False  # printed one character under the other (the narrow side labels)

    @property
    def last_col(self) -> int:
        """The rightmost column this cell covers."""
        return self.col + self.colspan - 1


@dataclass(frozen=True)
class Grid:
    """A form's table: column widths (in characters of the body font) and rows of placed cells."""

    widths: tuple[float, ...]
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def columns(self) -> int:
        """How many columns the table has."""
        return len(self.widths)


@dataclass(frozen=True)
class Form:
    """One printed form: title, year line, table and footnotes.

    ``anchors`` name the rows a reader may want to annotate, as (name, row index in ``grid.rows``):
    ``indicators`` (the indicator table's heading), ``indicator:N`` (the project's N-th indicator,
    counting from 0 in the document's order, wherever the layout prints it), ``execution``,
    ``total`` and ``grade``. The renderers ignore them; the web's record pages put their review
    notes beside these rows.
    """

    title: str
    subtitle: str
    sheet: str
    grid: Grid
    notes: tuple[str, ...] = ()
    anchors: tuple[tuple[str, int], ...] = ()

    def rows_named(self) -> dict[int, str]:
        """Row index -> the anchor naming it."""
        return {row: name for name, row in self.anchors}


@dataclass(frozen=True)
class Block:
    """One paragraph of the narrative report; ``level`` 1 to 3 is a heading, 0 is body text."""

    text: str
    level: int = 0


@dataclass(frozen=True)
class Narrative:
    """The written report: title, paragraphs, and the heading above the attached forms."""

    title: str
    blocks: tuple[Block, ...]
    attachment: str


@dataclass(frozen=True)
class Column:
    """One column of an open-data table, with what a reader needs to use its figures."""

    name: str
    title: str
    type: str  # "string", "number", "integer" or "date" (Frictionless table schema types)
    description: str = ""
    unit: str | None = None  # 元, 万元, %, 分
    money_factor: int | None = None  # how many 元 one unit of this column is (1 or 10000)
    phase: str | None = None  # budget phase of a money column: initial, adjusted, executed, requested
    source: str | None = None  # the fund row a money column belongs to (total, central, ...)


Value = str | Decimal | int | None


@dataclass(frozen=True)
class DataTable:
    """A flat table for open data: one row per project or per indicator."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...]
    primary_key: tuple[str, ...] = ()
    foreign_key: tuple[str, str, str] | None = None  # (field, table, field)


@dataclass(frozen=True)
class Report:
    """Everything the renderers print for one document, decided once.

    The forms are built with the report; the narrative and the open-data tables when first asked
    for, since a spreadsheet export needs neither. ``maximum`` is the rule pack's total (100): a
    total above it is never printed (:func:`over_maximum`).
    """

    document: Document
    style: Style
    title: str
    summary: Form
    forms: tuple[Form, ...]
    money_unit: str | None
    maximum: Decimal | None = None

    @property
    def kind(self) -> Kind:
        """The kind of the document."""
        return self.document.kind

    @property
    def year(self) -> int | None:
        """The year printed on the forms."""
        return self.document.year

    # How the narrative and the tables are made, given by the builder (jixiao.exporters.report), so this
    # model imports none of the modules that fill it.
    make_narrative: Callable[[], Narrative] | None = field(default=None, repr=False, compare=False)
    make_tables: Callable[[], tuple[DataTable, ...]] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def narrative(self) -> Narrative:
        """The written report (绩效自评报告 or 申报说明)."""
        if self.make_narrative is None:
            raise ValueError("this report was built without its narrative")
        return self.make_narrative()

    @cached_property
    def tables(self) -> tuple[DataTable, ...]:
        """The open-data tables."""
        if self.make_tables is None:
            raise ValueError("this report was built without its open-data tables")
        return self.make_tables()


# -- figures ---------------------------------------------------------------------

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text: str | None) -> str:
    """User text as it may be printed anywhere: control characters (which XML forbids) removed."""
    if not text:
        return ""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))


def places_of(value: Decimal) -> int:
    """How many decimals a figure was printed with (``445000.00`` -> 2, ``216212`` -> 0)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def figure(value: Decimal, places: int, *, grouping: bool = False, percent: bool = False) -> str:
    """The printed text of a figure: at least ``places`` decimals, never fewer than it carries."""
    places = max(places, places_of(value))
    quantum = Decimal(1).scaleb(-places)
    shown = value.quantize(quantum) if value.is_finite() else value
    text = f"{shown:,.{places}f}" if grouping else f"{shown:.{places}f}"
    return text + "%" if percent else text


def over_maximum(p: Project, maximum: Decimal | None) -> bool:
    """True when a form's total cannot be: its weights, its printed total or its scores add up beyond ``maximum``.

    Such a form was stored before totals were checked (issue 11, item 3); a printout says so instead of
    printing a 109.09 with grade 优 out of 100.
    """
    if maximum is None or p.execution is None:
        return False
    weights = [i.weight for i in p.indicators]
    scores = [i.score for i in p.indicators if i.score is not None]
    totals = [p.total_score, sum(scores, p.execution.score or Decimal(0)) if scores else None]
    if p.execution.weight is not None and weights and all(w is not None for w in weights):
        totals.append(sum((w for w in weights if w is not None), p.execution.weight))
    return any(t is not None and t > maximum for t in totals)


def over_maximum_note(maximum: Decimal) -> str:
    """The footnote of a form whose total cannot be printed."""
    shown = f"{maximum.normalize():f}"
    return (
        f"注：本表的分值合计、自评总分或各项得分之和超过满分 {shown} 分，不可能成立，"
        "总分和评分等级不予印出，须更正后重新公开。"
    )


def chinese_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 105 -> 一百零五: ordinals in the report carry no Arabic digits.

    Every Arabic figure in a generated report comes from the document; numbering in Chinese keeps
    that checkable.
    """
    digits = "零一二三四五六七八九"
    if n <= 0:
        return digits[0]
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + digits[rest] if rest < 10 else chinese_number(rest))
        if 10 <= rest < 20:
            tail = "一" + chinese_number(rest)
        return digits[n // 100] + "百" + tail
    return "".join(digits[int(d)] for d in str(n))


def auto_style(doc: Document) -> Style:
    """The layout a document is printed in when none is asked for.

    Declarations, transfer payments and monitoring forms have one layout each. A self-evaluation is printed in the
    2024 style (万元, 成本指标 first, 评分等级) when it has any of these, else in the 2022 style.
    """
    if doc.kind is Kind.TARGET_DECLARATION:
        return Style.DECLARATION
    if doc.kind is Kind.TRANSFER_SELF_EVALUATION:
        return Style.TRANSFER
    if doc.kind is Kind.MONITORING:
        return Style.MONITORING
    if doc.kind is Kind.DEPARTMENT_SELF_EVALUATION:
        return Style.DEPARTMENT
    if doc.kind is Kind.DEPARTMENT_DECLARATION:
        return Style.DEPARTMENT_DECLARATION
    if (doc.year or 0) >= 2024:
        return Style.SELF_2024
    for p in doc.projects:
        if p.grade or p.money_unit == "万元" or any(i.level1 == "成本指标" for i in p.indicators):
            return Style.SELF_2024
    return Style.SELF_2022


# -- listings --------------------------------------------------------------------


@dataclass(frozen=True)
class ListingColumn:
    """One column of a listing: its heading, the kind of its values and its width in characters."""

    label: str
    kind: str = "text"  # text (wrapped), money (#,##0.00) or any other kind of figure (0.00)
    width: float = 11


ListingValue = str | Decimal | int | None


@dataclass(frozen=True)
class Listing:
    """A plain list of records, one line each, with a totals line: the web's 汇总表 as a file.

    Unlike a :class:`Form` it has no merged cells and no official layout: a title line, the headings,
    the rows, the totals. Every text in it may come from a filer; the renderers make it safe.
    """

    title: str
    sheet: str
    columns: tuple[ListingColumn, ...]
    rows: tuple[tuple[ListingValue, ...], ...]
    totals: tuple[ListingValue, ...]
