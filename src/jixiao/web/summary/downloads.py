"""The summary table as a file: CSV (UTF-8 with BOM, so Excel reads the Chinese) and XLSX.

The table becomes the exporters' neutral :class:`~jixiao.exporters.model.Listing`, which their
renderers draw (:mod:`jixiao.exporters.formats`): one XLSX writer and one CSV writer for every file.

Both carry exactly the rows and totals the page shows for the same
filters, every amount to the fen; the XLSX has a title, frozen headings
and number formats like the official 汇总表 templates. Names come from
filers: every text goes through :mod:`jixiao.exporters.safe`, so none
becomes a formula in either file.
"""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.core.workflow import STATE_LABELS, State
from jixiao.exporters.formats import RENDERERS
from jixiao.exporters.model import Listing, ListingColumn, ListingValue
from jixiao.web.summary.table import COLUMNS, Row, Totals

WIDTHS = {"department": 24, "unit": 28, "project": 40, "requested": 16, "budgeted": 16, "executed": 16}
# The formats the table downloads as, drawn by the exporters' renderers.
FORMATS = {f: r for f, r in RENDERERS.items() if r.listing is not None}


def _state(value: str) -> str:
    return STATE_LABELS[State(value)] if value else ""


def _cell(row: Row, key: str) -> ListingValue:
    value = row.value(key)
    if key in ("declaration_state", "evaluation_state") and isinstance(value, str):
        return _state(value)
    return value


def _totals_row(totals: Totals) -> list[ListingValue]:
    values: dict[str, ListingValue] = {
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


def listing(rows: Sequence[Row], totals: Totals, title: str) -> Listing:
    """The table as the exporters' neutral listing: the columns with their widths, the rows, the totals."""
    columns = tuple(ListingColumn(c.label, c.kind, WIDTHS.get(c.key, 11)) for c in COLUMNS)
    return Listing(
        title=title,
        sheet="汇总表",
        columns=columns,
        rows=tuple(tuple(_cell(row, c.key) for c in COLUMNS) for row in rows),
        totals=tuple(_totals_row(totals)),
    )


def render(rows: Sequence[Row], totals: Totals, title: str, fmt: str) -> tuple[bytes, str]:
    """The table in ``fmt`` (one of :data:`FORMATS`) and its media type.

    CSV: headings, one line per project, the totals line, amounts as exact decimals, UTF-8 with a BOM.
    XLSX: a title line, headings, rows and the totals row, with number formats.
    """
    renderer = FORMATS[fmt]
    assert renderer.listing is not None  # FORMATS holds only the formats that draw a listing
    return renderer.listing(listing(rows, totals, title)), renderer.media_type
