"""Open data: the report's tables as CSV files with a ``datapackage.json`` descriptor.

The descriptor follows the Frictionless Data *Tabular Data Package* layout. Each field states its
type, and each money field its unit (元 or 万元), ``moneyFactor`` (how many 元 one unit is) and
``budgetPhase`` (年初预算 ``initial``, 全年预算 ``adjusted``, 执行 ``executed``, 申请
``requested``), so a figure can be used without the form beside it. Files are UTF-8 with a byte
order mark, which Excel needs to open Chinese CSV correctly.

A text cell that a spreadsheet would run as a formula (starting with ``= + - @``, a tab or a
carriage return) is prefixed with ``'`` by :mod:`jixiao.exporters.safe`; numbers are written as plain decimals,
never with thousands separators.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.exporters.model import Column, DataTable, Listing, ListingValue, Report, Value
from jixiao.exporters.safe import csv_text

ENCODING = "utf-8-sig"


def _cell(value: Value, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        # fixed notation: str() would print 1E+4 for some values, which few CSV readers take as a number
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    # dates and codes are never formulas; only free text gets the apostrophe
    return csv_text(value) if column.type == "string" else value


def table_csv(table: DataTable) -> str:
    """One table as CSV text (header of field names, then one line per row)."""
    buffer = io.StringIO()
    # CRLF line ends, as RFC 4180 and the Frictionless dialect default say
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    for row in table.rows:
        writer.writerow([_cell(v, c) for v, c in zip(row, table.columns, strict=True)])
    return buffer.getvalue()


def _field(column: Column) -> dict[str, Any]:
    out: dict[str, Any] = {"name": column.name, "title": column.title, "type": column.type}
    if column.description:
        out["description"] = column.description
    if column.type == "number":
        out["bareNumber"] = True
    if column.unit:
        out["unit"] = column.unit
    if column.money_factor is not None:
        out["moneyFactor"] = column.money_factor
    if column.phase:
        out["budgetPhase"] = column.phase
    if column.source:
        out["fundSource"] = column.source
    return out


def descriptor(report: Report) -> dict[str, Any]:
    """The ``datapackage.json`` of a report's tables."""
    resources = []
    for table in report.tables:
        # an empty cell is a value the form does not print; no other marker means "missing"
        schema: dict[str, Any] = {"fields": [_field(c) for c in table.columns], "missingValues": [""]}
        if table.primary_key:
            schema["primaryKey"] = list(table.primary_key)
        if table.foreign_key:
            field, resource, target = table.foreign_key
            schema["foreignKeys"] = [{"fields": field, "reference": {"resource": resource, "fields": target}}]
        resources.append(
            {
                "name": table.name,
                "title": table.title,
                "path": f"{table.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": ENCODING,
                "dialect": {"delimiter": ",", "header": True, "doubleQuote": True},
                "schema": schema,
            }
        )
    name = f"jixiao-{report.kind.value.replace('_', '-')}" + (f"-{report.year}" if report.year else "")
    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": report.title,
        "description": (
            "由 jixiao 从绩效表导出。金额列的单位见各字段的 unit（moneyFactor 为每单位折合的元数），"
            "budgetPhase 为预算阶段：initial 年初预算数，adjusted 全年预算数，executed 全年执行数，"
            "requested 年度资金申请总额。以 = + - @ 开头的文字前加了单引号，以免电子表格当作公式。"
        ),
        # what jixiao import needs to read the package back into the same document
        "x-jixiao": {
            "schema": "jixiao.document/1",
            "kind": report.kind.value,
            "year": report.year,
            "moneyUnit": report.money_unit,
            "notes": list(report.document.notes),
            # a fund row the form prints without any figure has no cell to say so in the tables
            "emptyFundRows": {
                str(n): [key for key, row in p.funds.rows() if row.is_empty()]
                for n, p in enumerate(report.document.projects, start=1)
                if any(row.is_empty() for _, row in p.funds.rows())
            },
        },
        "resources": resources,
    }


def render(report: Report) -> dict[str, bytes]:
    """File name -> content: one CSV per table and the descriptor."""
    files = {f"{t.name}.csv": table_csv(t).encode(ENCODING) for t in report.tables}
    files["datapackage.json"] = (json.dumps(descriptor(report), ensure_ascii=False, indent=2) + "\n").encode()
    return files


def write(report: Report, folder: Path) -> list[Path]:
    """Write the CSV files and ``datapackage.json`` into ``folder`` (created when missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in render(report).items():
        path = folder / name
        path.write_bytes(content)
        written.append(path)
    return written


def _listing_cell(value: ListingValue) -> ListingValue:
    """A listing's CSV cell: empty for None, text made safe, numbers as they are."""
    if value is None:
        return ""
    return csv_text(value) if isinstance(value, str) else value


def render_listing(listing: Listing) -> bytes:
    """A listing as one CSV (UTF-8 with a BOM, so Excel reads the Chinese): headings, rows, the totals line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.label for c in listing.columns])
    for row in listing.rows:
        writer.writerow([_listing_cell(v) for v in row])
    writer.writerow([_listing_cell(v) for v in listing.totals])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
