"""The formats: CSV (any Chinese encoding) and XLSX into rows of cells, checked first; one file, a batch, a folder."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.core.errors import Location, SourceError
from jixiao.core.execution import ExecutionRow
from jixiao.documents import safety, text
from jixiao.documents.oserrors import describe
from jixiao.documents.payments.cells import Cell
from jixiao.documents.payments.results import PaymentBatch, PaymentFile, Problem
from jixiao.documents.payments.table import NO_HEADER, Row, read_table

SUFFIXES = (".csv", ".xlsx")
READABLE = "CSV（UTF-8 或 GBK/GB18030 编码）、Excel .xlsx"


def _csv_rows(body: str, name: str) -> list[Row]:
    """The CSV records as rows, each numbered by the line it starts on."""
    sample = body[:8192]
    delimiter = max((",", "\t", ";"), key=sample.count)
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    start = 1
    try:
        for record in reader:
            if len(rows) >= safety.MAX_ROWS:
                raise SourceError(f"文件超过 {safety.MAX_ROWS} 行，已停止读取", Location(file=name))
            rows.append(Row(start, tuple(c or None for c in record[: safety.MAX_COLUMNS])))
            start = reader.line_num + 1
    except csv.Error as exc:  # an unclosed quote running past the field limit, and the like
        raise SourceError(f"CSV 格式有误，无法读取（{exc}）", Location(file=name, line=start)) from None
    return rows


def _xlsx_value(value: Any) -> Cell:
    """A stored value as a cell: numbers as the decimal Excel shows, datetimes as dates."""
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        number = Decimal(f"{value:.15g}")  # the decimal Excel shows, not the float's binary tail
        return number if number.is_finite() else str(value)  # NaN or inf: text, refused as not a number
    return str(value)


def _xlsx_sheets(data: bytes, name: str, clock: safety.Deadline) -> list[tuple[str, list[Row]]]:
    """Every sheet's non-empty rows, numbered as Excel numbers them; the archive checked first."""
    safety.check_zip(data, name, ".xlsx")
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise SourceError(f"无法打开 Excel 文件：{type(exc).__name__}: {exc}"[:200], Location(file=name)) from None
    sheets: list[tuple[str, list[Row]]] = []
    total = 0
    try:
        for ws in wb.worksheets:
            ws.reset_dimensions()  # the sheet's own claim of its size is not trusted
            rows: list[Row] = []
            for number, values in enumerate(ws.iter_rows(max_col=safety.MAX_COLUMNS, values_only=True), start=1):
                total += 1
                if total > safety.MAX_ROWS:
                    raise SourceError(
                        f"工作簿超过 {safety.MAX_ROWS} 行，已停止读取", Location(file=name, sheet=ws.title)
                    )
                if number % 1000 == 0:
                    clock.check(Location(file=name, sheet=ws.title))
                if any(v is not None for v in values):
                    rows.append(Row(number, tuple(_xlsx_value(v) for v in values)))
            sheets.append((ws.title, rows))
    except SourceError:
        raise
    except Exception as exc:  # a malformed sheet inside a valid archive
        raise SourceError(
            f"Excel 文件内容有误，无法读取：{type(exc).__name__}: {exc}"[:200], Location(file=name)
        ) from None
    finally:
        wb.close()
    return sheets


def read_sheets(
    sheets: list[tuple[str | None, list[Row]]], name: str, xlsx: bool, clock: safety.Deadline
) -> PaymentFile:
    """One file's tables read into a :class:`PaymentFile`; a file with no header anywhere is its one problem."""
    rows: list[ExecutionRow] = []
    problems: list[Problem] = []
    skipped: list[str] = []
    headers = 0
    for sheet, table in sheets:
        found = read_table(table, name, sheet, xlsx, clock) if table else None
        if found is None:
            if table and sheet is not None:
                skipped.append(f"{name} 工作表「{sheet}」：未找到执行数表头，未读取")
            continue
        headers += 1
        if isinstance(found, Problem):
            problems.append(found)
            continue
        rows += found.rows
        problems += found.problems
        skipped += found.skipped
    if not headers:
        where = "所有工作表的" if xlsx else ""
        return PaymentFile(name, (), (Problem(name, where + NO_HEADER),))
    if not rows and not problems:
        problems.append(Problem(name, "表头下没有任何项目数据行，请确认导出的是项目明细"))
    return PaymentFile(name, tuple(rows), tuple(problems), tuple(skipped))


def read_bytes(data: bytes, name: str) -> PaymentFile:
    """Read one export (``name`` says its format by extension); file-level failures become its one problem."""
    suffix = Path(name).suffix.lower()
    clock = safety.Deadline(name)
    try:
        if suffix not in SUFFIXES and suffix not in safety.OLD_FORMATS:
            raise SourceError(f"不支持的文件类型 {suffix or '(无扩展名)'}（可读取：{READABLE}）", Location(file=name))
        safety.check_format(data, name, suffix, READABLE)
        if suffix == ".xlsx":
            return read_sheets(list(_xlsx_sheets(data, name, clock)), name, True, clock)
        body, encoding = text.decode(data, name)
        read = read_sheets([(None, _csv_rows(body, name))], name, False, clock)
        return PaymentFile(read.name, read.rows, read.problems, read.skipped, encoding)
    except SourceError as exc:
        where = exc.location
        return PaymentFile(name, (), (Problem(name, exc.message, row=where.line, sheet=where.sheet),))


def read_batch(files: Iterable[tuple[str, bytes]]) -> PaymentBatch:
    """Read several exports (name, bytes); the batch reports every file's problems together."""
    return PaymentBatch(tuple(read_bytes(data, name) for name, data in files))


def read_folder(folder: Path) -> PaymentBatch:
    """Every file in ``folder`` (not hidden), in name order; a file of another kind is a problem, not skipped."""
    try:
        paths = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
    except OSError as exc:
        raise SourceError(f"无法读取文件夹：{describe(exc)}", Location(file=str(folder))) from None
    read: list[PaymentFile] = []
    for path in paths:
        try:
            size = path.stat().st_size
            safety.check_size(size, path.name)
            data = path.read_bytes()
        except SourceError as exc:
            read.append(PaymentFile(path.name, (), (Problem(path.name, exc.message),)))
            continue
        except OSError as exc:
            read.append(PaymentFile(path.name, (), (Problem(path.name, f"无法读取文件：{describe(exc)}"),)))
            continue
        read.append(read_bytes(data, path.name))
    return PaymentBatch(tuple(read))
