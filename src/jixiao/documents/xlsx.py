"""XLSX in: the cells of every worksheet as printed text, with sheet and cell of each.

Read with openpyxl in read-only (streaming) mode, which parses XML through defusedxml when it is
installed (a dependency of jixiao). The archive is checked by :mod:`jixiao.documents.safety`
before openpyxl opens it. The ``<dimension>`` a sheet claims is never trusted: rows are streamed
as they are stored, and reading stops with a clear refusal past :data:`~safety.MAX_ROWS` rows.

A cell's text is what Excel shows: a number with its number format (``445,000.00``, ``84.99%``),
a date as ``2023-01-01``. Merged cells need no special handling: their text is in the top-left
cell, the covered cells are empty, which is how the text readers see merged cells too.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from jixiao.core.errors import Location, SourceError
from jixiao.documents import safety
from jixiao.documents.cells import Part, RawCell, RawRow

_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _decimal(value: float | int) -> Decimal:
    """A stored number as the decimal Excel shows (15 significant digits), not the float's tail."""
    if isinstance(value, int):
        return Decimal(value)
    try:
        return Decimal(f"{value:.15g}")
    except InvalidOperation:
        return Decimal(0)


def display(value: Any, number_format: str | None) -> str:
    """The text Excel displays for a cell value under its number format (common formats only)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if not isinstance(value, (int, float)):
        return str(value)
    number = _decimal(value)
    fmt = (number_format or "General").split(";")[0]
    body = _QUOTED.sub("", fmt)
    if body.strip().lower() in ("general", "@", "") or not any(ch in body for ch in "0#"):
        text = format(number.normalize(), "f") if number == number.to_integral_value() else format(number, "f")
        return text
    percent = "%" in body
    if percent:
        number = number.scaleb(2)
    decimals = 0
    if "." in body:
        decimals = len(re.match(r"[0#?]*", body.split(".", 1)[1]).group(0))  # type: ignore[union-attr]
    grouping = "," in body.split(".")[0]
    shown = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)  # as Excel rounds
    text = f"{shown:,.{decimals}f}" if grouping else f"{shown:.{decimals}f}"
    return text + ("%" if percent else "")


def read(data: bytes, name: str, deadline: safety.Deadline | None = None) -> list[Part]:
    """Every worksheet of a workbook as a :class:`Part`; refuses hostile or broken files."""
    safety.check_zip(data, name, ".xlsx")
    from openpyxl import load_workbook
    from openpyxl.cell.read_only import EMPTY_CELL as EMPTY
    from openpyxl.cell.read_only import EmptyCell

    clock = deadline or safety.Deadline(name)
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (SourceError, MemoryError):  # a memory limit is the caller's to report
        raise
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise SourceError(f"无法打开 Excel 文件：{_reason(exc)}", Location(file=name)) from None
    parts: list[Part] = []
    total = 0
    try:
        for ws in wb.worksheets:
            # The <dimension> element is the file's own claim; do not let it size the reading.
            ws.reset_dimensions()
            rows: list[RawRow] = []
            blank: tuple[Any, ...] | None = None
            for r, row in enumerate(ws.iter_rows(max_col=safety.MAX_COLUMNS), start=1):
                total += 1
                if total > safety.MAX_ROWS:
                    raise SourceError(
                        f"工作簿超过 {safety.MAX_ROWS} 行，已停止读取（工作表「{ws.title}」）",
                        Location(file=name, sheet=ws.title),
                    )
                if r % 1000 == 0:
                    clock.check(Location(file=name, sheet=ws.title))
                # openpyxl fills the gaps between stored rows with one shared tuple of empty cells
                if row is blank or all(cell is EMPTY for cell in row):
                    blank = row
                    if rows and rows[-1].cells:
                        rows.append(RawRow((), Location(file=name, sheet=ws.title, cell=f"A{r}")))
                    continue
                cells: list[RawCell | None] = []
                for cell in row:
                    if isinstance(cell, EmptyCell) or cell.value is None:
                        cells.append(None)
                        continue
                    text = display(cell.value, cell.number_format)
                    where = Location(file=name, sheet=ws.title, cell=cell.coordinate)
                    cells.append(RawCell(text, where) if text else None)
                while cells and cells[-1] is None:
                    cells.pop()
                rows.append(RawRow(tuple(cells), Location(file=name, sheet=ws.title, cell=f"A{r}")))
            while rows and not rows[-1].cells:
                rows.pop()
            parts.append(Part(ws.title, tuple(rows)))
    except (SourceError, MemoryError):  # a memory limit is the caller's to report
        raise
    except Exception as exc:  # a malformed sheet inside a valid archive
        raise SourceError(f"Excel 文件内容有误，无法读取：{_reason(exc)}", Location(file=name)) from None
    finally:
        wb.close()
    return parts


def _reason(exc: Exception) -> str:
    kind = type(exc).__name__
    if "Entities" in kind or "DTD" in kind:
        return "含有 XML 实体定义，可能是“XML 实体炸弹”，已拒绝"
    return f"{kind}: {exc}"[:200]
