"""PDF renderer: the report's forms as published, A4, with a Chinese font (ReportLab).

Dumb by design: labels, spans and figures come from the
:class:`~jixiao.exporters.model.Report`. This module sizes and paginates. ReportLab cannot split
a table through a merged cell, so the renderer measures every row itself and cuts each form into
pages; a merged side label that runs over a page break is printed again at the top of the next
page, as the published forms do. Every cell has ruled borders, which is also what lets the PDF
reader find each cell again from its geometry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from jixiao.exporters.fonts import PdfFont, register
from jixiao.exporters.linebreak import break_lines
from jixiao.exporters.model import Cell, Form, Listing, ListingValue, Report, Role, clean, figure

MM = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = 210 * MM, 297 * MM
MARGIN = 15 * MM
PAD = 2.5
TITLE_SPACE = 58.0  # title and year line above a form's first page


@dataclass(frozen=True)
class _Placed:
    """A cell on one page: its row within the page chunk and how many of the chunk's rows it spans."""

    cell: Cell
    row: int
    rowspan: int


class _Painter:
    """Paragraph styles for one font, and the fitting of text into a cell."""

    def __init__(self, font: PdfFont, size: float) -> None:
        from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle

        self.font = font
        self.size = size
        base = ParagraphStyle("jixiao", fontName=font.name, fontSize=size, leading=size * 1.25, wordWrap="CJK")
        self.styles = {
            "left": ParagraphStyle("left", parent=base, alignment=TA_LEFT),
            "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
            "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        }
        self.title = ParagraphStyle("title", parent=base, fontSize=16, leading=22, alignment=TA_CENTER)
        self.subtitle = ParagraphStyle("subtitle", parent=base, fontSize=11, leading=16, alignment=TA_CENTER)
        self.note = ParagraphStyle("note", parent=base, fontSize=size * 0.9, leading=size * 1.15, alignment=TA_LEFT)

    def align(self, cell: Cell) -> str:
        if cell.role is Role.FIGURE:
            return "right"
        if cell.role is Role.TEXT and not cell.vertical:
            return "left"
        return "center"

    def slack(self, cell: Cell) -> float:
        """Room kept free at a wrapped cell's edge: CJK line breaking lets a closing mark (。、）)
        hang past the wrap width, and a mark outside its cell would be read back as the
        neighbour's text."""
        if cell.vertical or cell.role is Role.FIGURE:
            return 0.0
        return self.size

    def markup(self, cell: Cell, width: float, size: float, vertical: bool | None = None) -> str:
        """Cell text as paragraph markup, its lines broken here; a vertical label prints one character per line.

        The lines are decided by :func:`~jixiao.exporters.linebreak.break_lines` (never inside a
        figure such as ``≥40%``) and already fit ``width``, so ReportLab's own wrapping never acts.
        """
        if cell.vertical if vertical is None else vertical:
            return "<br/>".join(escape(ch) for ch in cell.text if not ch.isspace())
        from reportlab.pdfbase.pdfmetrics import stringWidth

        def measure(text: str) -> float:
            return float(stringWidth(text, self.font.name, size))

        lines = [line for part in cell.text.split("\n") for line in break_lines(part, width, measure)]
        return "<br/>".join(escape(line) for line in lines)

    def paragraph(self, cell: Cell, width: float, height: float | None = None) -> Any:
        """The cell's paragraph; when ``height`` is given, shrunk until it fits.

        A vertical label cut short by a page break may not fit one character per line in the
        rows left to it: it is then printed across, small, rather than spill out of its cell.
        """
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.platypus import Paragraph

        base = self.styles[self.align(cell)]
        para = Paragraph(self.markup(cell, width, self.size), base)
        if height is None:
            return para
        tries = [(cell.vertical, s / 2) for s in range(int(self.size * 2), 11, -1)]
        if cell.vertical:
            tries += [(False, s / 2) for s in range(int(self.size * 2), 7, -1)]
        for vertical, size in tries:
            style = ParagraphStyle("fit", parent=base, fontSize=size, leading=size * 1.2)
            para = Paragraph(self.markup(cell, width, size, vertical), style)
            if para.wrap(width, 10_000)[1] <= height:
                return para
        return para


def _widths(form: Form, frame: float) -> list[float]:
    total = sum(form.grid.widths)
    return [w * frame / total for w in form.grid.widths]


def _measure(form: Form, painter: _Painter, widths: list[float]) -> list[float]:
    """Row heights that fit every cell's wrapped text; a merged cell's surplus goes to its last row."""
    # the same paragraphs that will be drawn are measured, so no cell's text can overflow its row
    minimum = painter.size * 1.25 + 2 * PAD
    heights = [minimum for _ in form.grid.rows]
    spanning: list[tuple[int, Cell]] = []
    for r, row in enumerate(form.grid.rows):
        for cell in row:
            if cell.rowspan > 1:
                spanning.append((r, cell))
                continue
            width = sum(widths[cell.col : cell.col + cell.colspan]) - 2 * PAD - painter.slack(cell)
            heights[r] = max(heights[r], painter.paragraph(cell, width).wrap(width, 10_000)[1] + 2 * PAD)
    for r, cell in spanning:
        width = sum(widths[cell.col : cell.col + cell.colspan]) - 2 * PAD - painter.slack(cell)
        need = painter.paragraph(cell, width).wrap(width, 10_000)[1] + 2 * PAD
        end = min(r + cell.rowspan, len(heights))
        have = sum(heights[r:end])
        if need > have:
            heights[end - 1] += need - have
    return heights


def _chunks(heights: list[float], first: float, later: float) -> list[tuple[int, int]]:
    """Page ranges [start, end) of rows: as many whole rows as fit, ``first`` points on page one."""
    out: list[tuple[int, int]] = []
    start, used, room = 0, 0.0, first
    for r, h in enumerate(heights):
        # a row is never split: a form row cut in two would read back as two indicators
        if used + h > room and r > start:
            out.append((start, r))
            start, used, room = r, 0.0, later
        used += h
    out.append((start, len(heights)))
    return out


def _place(form: Form, start: int, end: int) -> list[_Placed]:
    """The cells drawn on the page holding rows [start, end); spans are clipped to the page."""
    placed: list[_Placed] = []
    for r, row in enumerate(form.grid.rows):
        for cell in row:
            last = r + cell.rowspan
            if last <= start or r >= end:
                continue
            # a span that began on an earlier page is printed again from this page's first row
            top = max(r, start)
            placed.append(_Placed(cell, top - start, min(last, end) - top))
    return placed


def _table(form: Form, painter: _Painter, widths: list[float], heights: list[float], start: int, end: int) -> Any:
    from reportlab.platypus import Table, TableStyle

    ncols = len(widths)
    data: list[list[Any]] = [["" for _ in range(ncols)] for _ in range(start, end)]
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.6, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), PAD),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD),
    ]
    for p in _place(form, start, end):
        c = p.cell
        slack = painter.slack(c)
        width = sum(widths[c.col : c.col + c.colspan]) - 2 * PAD - slack
        height = sum(heights[start + p.row : start + p.row + p.rowspan]) - 2 * PAD
        data[p.row][c.col] = painter.paragraph(c, width, height)
        if slack:
            # left text keeps the slack on the right; centred text splits it, and stays centred
            left = PAD if c.role is Role.TEXT else PAD + slack / 2
            right = PAD + slack if c.role is Role.TEXT else PAD + slack / 2
            commands.append(("LEFTPADDING", (c.col, p.row), (c.col, p.row), left))
            commands.append(("RIGHTPADDING", (c.col, p.row), (c.col, p.row), right))
        if c.colspan > 1 or p.rowspan > 1:
            commands.append(("SPAN", (c.col, p.row), (c.last_col, p.row + p.rowspan - 1)))
    table = Table(data, colWidths=widths, rowHeights=heights[start:end])
    table.setStyle(TableStyle(commands))
    return table


def _form_story(form: Form, painter: _Painter, frame_width: float, frame_height: float) -> list[Any]:
    from reportlab.platypus import PageBreak, Paragraph, Spacer

    widths = _widths(form, frame_width)
    heights = _measure(form, painter, widths)
    story: list[Any] = [Paragraph(escape(form.title), painter.title)]
    story.append(Paragraph(escape(form.subtitle), painter.subtitle) if form.subtitle else Spacer(1, 16))
    story.append(Spacer(1, 4))
    pages = _chunks(heights, frame_height - TITLE_SPACE, frame_height - 2)
    for n, (start, end) in enumerate(pages):
        if n:
            story.append(PageBreak())
        story.append(_table(form, painter, widths, heights, start, end))
    for note in form.notes:
        story.append(Paragraph(escape(note), painter.note))
    return story


def _summary_story(form: Form, painter: _Painter, frame_width: float) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    widths = _widths(form, frame_width)
    data = [
        [painter.paragraph(c, sum(widths[c.col : c.col + c.colspan]) - 2 * PAD) for c in row] for row in form.grid.rows
    ]
    # the summary has no merged cells, so ReportLab may split it itself, repeating its heading
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return [Paragraph(escape(form.title), painter.title), Spacer(1, 8), table]


def _footer(font: PdfFont) -> Callable[[Any, Any], None]:
    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font.name, 9)
        canvas.drawCentredString(PAGE_WIDTH / 2, MARGIN / 2, f"- {doc.page} -")
        canvas.restoreState()

    return draw


def render(report: Report, font: str = "auto", summary: bool = True) -> bytes:
    """The forms as a PDF: the 汇总表 (when ``summary``), then each form from a new page.

    ``font`` is passed to :func:`jixiao.exporters.fonts.register` (``"auto"``, ``"cid"`` or a path).
    """
    return render_counted(report, font, summary)[0]


def render_counted(report: Report, font: str = "auto", summary: bool = True) -> tuple[bytes, int]:
    """The PDF of :func:`render` and its number of pages."""
    from reportlab.platypus import PageBreak, SimpleDocTemplate

    chosen = register(font)
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=report.title,
        author="jixiao",
    )
    frame_width, frame_height = doc.width, doc.height - 12  # a little room for rounding
    story: list[Any] = []
    for form in ((report.summary,) if summary else ()) + report.forms:
        unit = frame_width / sum(form.grid.widths)
        # A Chinese character is two width units: size the body font so the widths hold.
        painter = _Painter(chosen, max(6.5, min(10.0, unit * 2 * 0.92)))
        if story:
            story.append(PageBreak())
        if form is report.summary:
            story += _summary_story(form, painter, frame_width)
        else:
            story += _form_story(form, painter, frame_width, frame_height)
    footer = _footer(chosen)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue(), int(doc.page)


def write(report: Report, path: Path, font: str = "auto") -> int:
    """Write the PDF to ``path``; returns its number of pages."""
    data, pages = render_counted(report, font)
    path.write_bytes(data)
    return pages


def _listing_text(value: ListingValue, kind: str) -> str:
    """A listing cell as printed: money and figures with thousands separators, exact to what they carry."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return figure(value, 2 if kind == "money" else 0, grouping=True)
    return clean(str(value))


def render_listing(listing: Listing, font: str = "auto") -> bytes:
    """A listing as a landscape A4 PDF: the title, the headings repeated on every page, the rows, the totals.

    Texts are wrapped in their cells (CJK line breaking); amounts are right-aligned with thousands
    separators, as the XLSX prints them.
    """
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    chosen = register(font)
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=(PAGE_HEIGHT, PAGE_WIDTH),  # landscape: nine columns of a listing need the width
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=listing.title,
        author="jixiao",
    )
    base = ParagraphStyle("listing", fontName=chosen.name, fontSize=8.5, leading=11, wordWrap="CJK")
    left = ParagraphStyle("listing-left", parent=base, alignment=TA_LEFT)
    right = ParagraphStyle("listing-right", parent=base, alignment=TA_RIGHT)
    head = ParagraphStyle("listing-head", parent=base, alignment=TA_CENTER)
    title = ParagraphStyle("listing-title", parent=base, fontSize=15, leading=21, alignment=TA_CENTER)
    total = sum(c.width for c in listing.columns)
    widths = [doc.width * c.width / total for c in listing.columns]

    def line(values: tuple[ListingValue, ...]) -> list[Any]:
        return [
            Paragraph(escape(_listing_text(v, c.kind)), left if c.kind == "text" else right)
            for v, c in zip(values, listing.columns, strict=True)
        ]

    data = [[Paragraph(escape(c.label), head) for c in listing.columns]]
    data += [line(row) for row in listing.rows]
    data.append(line(listing.totals))
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, "black"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), "#eeeeee"),
                ("BACKGROUND", (0, -1), (-1, -1), "#f5f5f5"),
            ]
        )
    )
    footer = _listing_footer(chosen)
    doc.build([Paragraph(escape(listing.title), title), Spacer(1, 8), table], onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _listing_footer(font: PdfFont) -> Callable[[Any, Any], None]:
    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font.name, 9)
        canvas.drawCentredString(PAGE_HEIGHT / 2, MARGIN / 2, f"- {doc.page} -")
        canvas.restoreState()

    return draw
