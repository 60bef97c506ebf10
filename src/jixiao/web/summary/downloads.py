"""The summary table as a file: CSV (UTF-8 with BOM, so Excel reads the Chinese) and XLSX.

Both carry exactly the rows and totals the page shows for the same
filters, every amount to the fen; the XLSX has a title, frozen headings
and number formats like the official 汇总表 templates. Names come from
filers: every text goes through :mod:`jixiao.exporters.safe`, so none
becomes a formula in either file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from jixiao.core.workflow import STATE_LABELS, State
from jixiao.exporters.safe import csv_text, xlsx_text
from jixiao.web.summary.table import COLUMNS, Row, Totals

MONEY_FORMAT = "#,##0.00"
NUMBER_FORMAT = "0.00"
WIDTHS = {"department": 24, "unit": 28, "project": 40, "requested": 16, "budgeted": 16, "executed": 16}


def _state(value: str) -> str:
    return STATE_LABELS[State(value)] if value else ""


def _cell(row: Row, key: str) -> object:
    value = row.value(key)
    if key in ("declaration_state", "evaluation_state"):
        return _state(value)
    return value


def _totals_row(totals: Totals) -> list[object]:
    values: dict[str, object] = {
        "project": f"合计（{totals.projects} 个项目，其中 {totals.evaluated} 个已自评）",
        "requested": totals.requested,
        "budgeted": totals.budgeted,
        "executed": totals.executed,
        "rate": totals.rate,
        "errors": totals.errors,
        "warnings": totals.warnings,
        "infos": totals.infos,
    }
    return [values.get(c.key) for c in COLUMNS]


def _csv(value: object) -> object:
    """A CSV cell: empty for None, text made safe, numbers as they are."""
    if value is None:
        return ""
    return csv_text(value) if isinstance(value, str) else value


def to_csv(rows: Sequence[Row], totals: Totals) -> bytes:
    """The table as CSV: headings, one line per project, the totals line; amounts as exact decimals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.label for c in COLUMNS])
    for row in rows:
        writer.writerow([_csv(_cell(row, c.key)) for c in COLUMNS])
    writer.writerow([_csv(v) for v in _totals_row(totals)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[Row], totals: Totals, title: str) -> bytes:
    """The table as a workbook: a title line, headings, rows and the totals row, with number formats."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("汇总表")
    for n, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = WIDTHS.get(column.key, 11)
    sheet.freeze_panes = "B3"  # the title and headings, and the project names, stay in view
    bold = Font(bold=True)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)

    def cell(value: object, kind: str = "text", strong: bool = False) -> WriteOnlyCell:
        c = WriteOnlyCell(sheet)
        if isinstance(value, str):
            c.quotePrefix = xlsx_text(c, value)
        else:
            c.value = value
        c.border = border
        if strong:
            c.font = bold
        if isinstance(value, Decimal):
            c.number_format = MONEY_FORMAT if kind == "money" else NUMBER_FORMAT
        if kind == "text":
            c.alignment = Alignment(wrap_text=True, vertical="top")
        return c

    heading = WriteOnlyCell(sheet)
    heading.quotePrefix = xlsx_text(heading, title)
    heading.font = Font(bold=True, size=14)
    sheet.append([heading])
    sheet.append([cell(c.label, strong=True) for c in COLUMNS])
    for row in rows:
        sheet.append([cell(_cell(row, c.key), c.kind) for c in COLUMNS])
    sheet.append([cell(v, c.kind, strong=True) for v, c in zip(_totals_row(totals), COLUMNS, strict=True)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
