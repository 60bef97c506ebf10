"""XLSX renderer: the report's forms as an Excel workbook (openpyxl), one sheet per form plus the 汇总表.

Dumb by design: every label, span and figure comes from the :class:`~jixiao.exporters.model.Report`.
What this module adds is what Excel needs: merged cells with borders on every covered cell, column
widths, row heights estimated from the wrapped text, number formats, and an A4 print setup fitted
to the page width.

User text is always a text cell: openpyxl turns a string that starts with ``=`` into a formula
and ``#N/A`` into an error value, so every text cell is forced back to the string type after its
value is set, and text that a spreadsheet would read as a formula also gets Excel's quote prefix.
Figures are written as numbers (the document's ``Decimal``) with a fixed number format.
"""

from __future__ import annotations

import math
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

from jixiao.exporters.model import Cell, Form, Listing, Report, Role
from jixiao.exporters.safe import xlsx_text

FONT_NAME = "宋体"
BODY_SIZE = 10
LINE_HEIGHT = 13.5  # points per line of 10-point text


def number_format(cell: Cell) -> str:
    """The Excel number format of a figure: ``#,##0.00``, ``0.00%``, ``0``..."""
    base = "#,##0" if cell.grouping else "0"
    if cell.places:
        base += "." + "0" * cell.places
    return base + ("%" if cell.percent else "")


def text_width(text: str) -> float:
    """Width in Excel character units: a CJK character about two, ASCII about one.

    Counted from the UTF-8 length, where a CJK character takes three bytes and ASCII one: this
    runs in C, and the estimate is for row heights only.
    """
    wide = (len(text.encode("utf-8")) - len(text)) // 2
    return 2.0 * wide + 1.1 * (len(text) - wide)


def lines_needed(text: str, width: float, vertical: bool = False) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide."""
    if not text:
        return 1
    if vertical:
        return len(text)
    room = max(width - 1.5, 1.0)
    return sum(max(1, math.ceil(text_width(part) / room)) for part in text.split("\n"))


def row_heights(form: Form, font_size: float = BODY_SIZE) -> list[float]:
    """Heights in points of the grid rows, so that wrapped text and merged side labels show whole."""
    widths = form.grid.widths
    line = LINE_HEIGHT * font_size / BODY_SIZE
    heights = [line + 4.0 for _ in form.grid.rows]
    spanning: list[tuple[int, Cell]] = []
    for r, row in enumerate(form.grid.rows):
        for cell in row:
            width = sum(widths[cell.col : cell.col + cell.colspan])
            need = lines_needed(cell.text, width, cell.vertical) * line + 4.0
            if cell.rowspan == 1:
                heights[r] = max(heights[r], need)
            else:
                spanning.append((r, cell))
    for r, cell in spanning:
        width = sum(widths[cell.col : cell.col + cell.colspan])
        need = lines_needed(cell.text, width, cell.vertical) * line + 4.0
        have = sum(heights[r : r + cell.rowspan])
        if need > have:
            last = min(r + cell.rowspan, len(heights)) - 1
            heights[last] += need - have
    return heights


class _Styles:
    """The few cell styles of the forms, built once per workbook.

    openpyxl hashes every style object again on each assignment, which costs more than writing
    the cell. Each distinct style is therefore assigned once, to a template cell, and its finished
    style record is copied onto the cells that use it (as openpyxl's own worksheet copy does).
    """

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, Side

        thin = Side(style="thin", color="000000")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.fonts = {
            "body": Font(name=FONT_NAME, size=BODY_SIZE),
            "title": Font(name=FONT_NAME, size=16, bold=True),
            "subtitle": Font(name=FONT_NAME, size=11),
        }
        self.align: dict[str, Any] = {
            "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
            "left": Alignment(horizontal="left", vertical="center", wrap_text=True),
            "right": Alignment(horizontal="right", vertical="center"),
            "vertical": Alignment(horizontal="center", vertical="center", wrap_text=True),
            "note": Alignment(horizontal="left", vertical="top", wrap_text=True),
        }
        self._done: dict[tuple[str, str, bool, str, bool], Any] = {}

    def apply(
        self, ws: Any, cell: Any, font: str, align: str, border: bool, fmt: str = "General", quote: bool = False
    ) -> None:
        """Give ``cell`` a style, building it on a template cell the first time it is needed."""
        from openpyxl.cell import WriteOnlyCell

        key = (font, align, border, fmt, quote)
        done = self._done.get(key)
        if done is None:
            template = WriteOnlyCell(ws)
            template.font = self.fonts[font]
            template.alignment = self.align[align]
            if border:
                template.border = self.border
            template.number_format = fmt
            template.quotePrefix = quote
            done = self._done[key] = template._style
        # Shared, not copied: the value is set before the style and nothing changes a style after,
        # and openpyxl only reads the record (to find its style id) when it writes the cell.
        cell._style = done


def _alignment(cell: Cell) -> str:
    """Alignment by role: labels and codes centred, text left, figures right."""
    if cell.vertical:
        return "vertical"
    if cell.role is Role.FIGURE:
        return "right"
    if cell.role is Role.TEXT:
        return "left"
    return "center"


def _sheet(wb: Any, form: Form, styles: _Styles) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange

    ws = wb.create_sheet(form.sheet)
    grid = form.grid
    ncols = grid.columns
    letters = [get_column_letter(k) for k in range(1, ncols + 1)]
    last = letters[-1]
    for letter, width in zip(letters, grid.widths, strict=True):
        ws.column_dimensions[letter].width = width
    ws.page_setup.paperSize = "9"  # A4 (Worksheet.PAPERSIZE_A4)
    ws.page_setup.orientation = "portrait" if sum(grid.widths) <= 140 else "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the form needs
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6

    row_no = 0

    def plain_row(text: str, font: str, align: str, height: float) -> None:
        nonlocal row_no
        row_no += 1
        ws.row_dimensions[row_no].height = height
        c = WriteOnlyCell(ws)
        quote = xlsx_text(c, text)
        styles.apply(ws, c, font, align, False, quote=quote)
        ws.merged_cells.add(CellRange(f"A{row_no}:{last}{row_no}"))
        ws.append([c])

    plain_row(form.title, "title", "center", 30)
    if form.subtitle:
        plain_row(form.subtitle, "subtitle", "center", 20)
    heights = row_heights(form)
    for r, row in enumerate(grid.rows):
        row_no += 1
        ws.row_dimensions[row_no].height = round(heights[r], 1)
        out: list[Any] = []
        by_col = {c.col: c for c in row}
        for col in range(ncols):
            item = by_col.get(col)
            c = WriteOnlyCell(ws)
            if item is None:
                # covered by a span (or empty): a border still, or the merged area shows gaps in Excel
                styles.apply(ws, c, "body", "center", True)
                out.append(c)
                continue
            fmt, quote = "General", False
            if item.role is Role.FIGURE and item.number is not None:
                c.value = item.number.scaleb(-2) if item.percent else item.number
                fmt = number_format(item)
            elif item.text:
                # a side label prints one character per line (Excel's stacked rotation is not centred
                # by every spreadsheet program; line breaks are)
                text = "\n".join(ch for ch in item.text if not ch.isspace()) if item.vertical else item.text
                quote = xlsx_text(c, text)
            styles.apply(ws, c, "body", _alignment(item), True, fmt, quote)
            if item.colspan > 1 or item.rowspan > 1:
                span = CellRange(
                    min_col=col + 1, min_row=row_no, max_col=item.last_col + 1, max_row=row_no + item.rowspan - 1
                )
                ws.merged_cells.add(span)
            out.append(c)
        ws.append(out)
    for note in form.notes:
        plain_row(note, "body", "note", LINE_HEIGHT * lines_needed(note, sum(grid.widths)) + 4)
    ws.print_area = f"A1:{last}{row_no}"


def render(report: Report) -> bytes:
    """The workbook as bytes: the 汇总表 first, then one sheet per form."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    wb.properties.title = report.title
    wb.properties.creator = "jixiao"
    styles = _Styles()
    _sheet(wb, report.summary, styles)
    for form in report.forms:
        _sheet(wb, form, styles)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write(report: Report, path: Path) -> None:
    """Write the workbook to ``path``."""
    path.write_bytes(render(report))


LISTING_MONEY_FORMAT = "#,##0.00"
LISTING_NUMBER_FORMAT = "0.00"


def render_listing(listing: Listing) -> bytes:
    """A listing as a workbook: a title line, bold headings, the rows and a bold totals row, with number formats.

    The title and headings and the first column stay in view when scrolling (panes frozen at B3).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(listing.sheet)
    for n, column in enumerate(listing.columns, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = column.width
    sheet.freeze_panes = "B3"
    bold = Font(bold=True)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)

    def cell(value: object, kind: str = "text", strong: bool = False) -> Any:
        c = WriteOnlyCell(sheet)
        if isinstance(value, str):
            c.quotePrefix = xlsx_text(c, value)
        else:
            c.value = value
        c.border = border
        if strong:
            c.font = bold
        if isinstance(value, Decimal):
            c.number_format = LISTING_MONEY_FORMAT if kind == "money" else LISTING_NUMBER_FORMAT
        if kind == "text":
            c.alignment = Alignment(wrap_text=True, vertical="top")
        return c

    heading = WriteOnlyCell(sheet)
    heading.quotePrefix = xlsx_text(heading, listing.title)
    heading.font = Font(bold=True, size=14)
    sheet.append([heading])
    sheet.append([cell(c.label, strong=True) for c in listing.columns])
    for row in listing.rows:
        sheet.append([cell(v, c.kind) for v, c in zip(row, listing.columns, strict=True)])
    sheet.append([cell(v, c.kind, strong=True) for v, c in zip(listing.totals, listing.columns, strict=True)])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
