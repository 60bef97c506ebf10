"""Budget execution exported from the payment system (国库集中支付 / 预算执行): CSV or XLSX in, rows out.

An export is a table: titles and notes above, a header row (or two, under merged group cells), one row
per project, totals and notes below. The header is found among the first :data:`HEADER_SCAN` rows by the
column names of :mod:`jixiao.documents.payment_columns`; it needs an amount column (已支付金额, 累计支付,
执行数, 截至7月31日执行数 …) and a project code or name column.

Amounts become :class:`~decimal.Decimal` in 元, exact to the fen: ``1,234.56`` and a number cell are read
as they are; ``(1234.56)`` is read as the negative it means (and refused, as every negative is); a column
whose header says 万元, or every money column under a ``单位：万元`` line, is multiplied by 10,000 (a 万元
figure may carry six decimals, the fen). Every row that cannot be used is a :class:`Problem` naming file,
sheet, row and column; the reader goes on and reports them all. A batch (:func:`read_batch`,
:func:`read_folder`) is all or nothing: :meth:`PaymentBatch.require` gives the rows only when no file has a
problem.

The files pass the same checks before parsing as every upload (:mod:`jixiao.documents.safety`): size,
content against extension, zip bombs, rows, columns and time.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from jixiao.core.errors import Location, SourceError
from jixiao.core.execution import ExecutionRow
from jixiao.documents import payment_columns as columns
from jixiao.documents import safety, text
from jixiao.documents.oserrors import describe

__all__ = [
    "HEADER_SCAN",
    "SUFFIXES",
    "PaymentBatch",
    "PaymentFile",
    "Problem",
    "header_key",
    "parse_amount",
    "read_batch",
    "read_bytes",
    "read_folder",
]

HEADER_SCAN = 20  # rows searched for the header
SUFFIXES = (".csv", ".xlsx")
READABLE = "CSV（UTF-8 或 GBK/GB18030 编码）、Excel .xlsx"
WAN = Decimal(10000)
FEN = Decimal("0.01")
MONEY = ("budget", "amount")
_PLACES = {"元": 2, "万元": 6}  # the decimals that stay exact to the fen in each unit

Cell = str | Decimal | date | None


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: where (file, sheet, row, column) and what to fix, in Chinese."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None  # ``D列「已支付金额」`` (XLSX) or ``第4列「已支付金额」`` (CSV)
    sheet: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(self.column)
        return " ".join(parts) + "：" + self.message


@dataclass(frozen=True)
class PaymentFile:
    """What one file gave: its usable rows, its problems, and the rows left out on purpose (totals, notes)."""

    name: str
    rows: tuple[ExecutionRow, ...]
    problems: tuple[Problem, ...]
    skipped: tuple[str, ...] = ()
    encoding: str | None = None  # CSV only: utf-8, utf-8-sig, utf-16 or gb18030


@dataclass(frozen=True)
class PaymentBatch:
    """Several files read together; usable only whole (:meth:`require`)."""

    files: tuple[PaymentFile, ...]

    @property
    def problems(self) -> list[Problem]:
        """Every problem of every file, in file order."""
        return [p for f in self.files for p in f.problems]

    @property
    def ok(self) -> bool:
        """True when no file has a problem."""
        return not self.problems

    def require(self) -> list[ExecutionRow]:
        """All rows of all files, or a :class:`SourceError` listing every problem (nothing is imported)."""
        problems = self.problems
        if problems:
            shown = "\n".join(str(p) for p in problems[:200])
            more = f"\n……另有 {len(problems) - 200} 处" if len(problems) > 200 else ""
            raise SourceError(
                f"执行数文件有 {len(problems)} 处问题，全部未导入，请修改后重新导入：\n{shown}{more}",
                Location(file=problems[0].file),
            )
        return [r for f in self.files for r in f.rows]


# --- cells -----------------------------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_UNIT_IN_HEADER = re.compile(r"\((?:单位[:：])?(?:人民币)?(万元|元)\)")
_UNIT_LINE = re.compile(r"(?:金额)?单位[:：]\s*(?:人民币)?(万元|元)")
_NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return format(cell.normalize(), "f") if cell == cell.to_integral_value() else format(cell, "f")
    if isinstance(cell, date):
        return cell.isoformat()
    return cell.strip()


def header_key(label: str) -> str:
    """A header cell as compared with the column names: NFKC, no spaces, no unit in brackets, lower case."""
    key = _SPACE.sub("", unicodedata.normalize("NFKC", label))
    return _UNIT_IN_HEADER.sub("", key).casefold()


def _field_of(label: str) -> str | None:
    key = header_key(label)
    if not key:
        return None
    for name, names in columns.NAMES.items():
        if key in names:
            return name
    for name, patterns in columns.PATTERNS.items():
        if any(p.match(key) for p in patterns):
            return name
    return None


def parse_amount(cell: Cell) -> tuple[Decimal | None, str | None]:
    """A money cell as a Decimal in its own unit, or the reason it is not one (``(None, None)``: empty).

    Accepts number cells, ``1234.56``, ``1,234.56``, full-width digits, a trailing 元, and ``(1234.56)``
    or ``-1234.56`` as negatives (which the caller refuses, naming them).
    """
    if isinstance(cell, Decimal):
        return cell, None
    raw = _text(cell)
    value = _SPACE.sub("", unicodedata.normalize("NFKC", raw))
    if value in ("", "-", "--", "—", "——"):
        return None, None
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1]
    elif value.startswith("-"):
        negative, value = True, value[1:]
    if value.endswith("元") and not value.endswith("万元"):
        value = value[:-1]
    if not _NUMBER.match(value):
        return None, f"不是数字（“{raw}”），请填写金额，如 1234.56"
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        return None, f"不是数字（“{raw}”）"
    return (-number if negative else number), None


def _parse_date(cell: Cell) -> tuple[date | None, str | None]:
    if isinstance(cell, date):
        return cell, None
    raw = _text(cell)
    if not raw:
        return None, None
    found = _DATE.match(unicodedata.normalize("NFKC", raw))
    if found:
        try:
            return date(int(found[1]), int(found[2]), int(found[3])), None
        except ValueError:
            pass
    return None, f"不是有效日期（“{raw}”），请写成 2024-07-31 或 2024年7月31日"


# --- the table -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    number: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class _Header:
    fields: dict[str, int]  # field -> column index
    labels: dict[int, str]  # column index -> the header's text
    units: dict[str, str]  # money field -> 元 or 万元
    data_from: int  # index of the first data row


def _column_name(index: int, xlsx: bool) -> str:
    if not xlsx:
        return f"第{index + 1}列"
    letters, n = "", index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}列"


def _map_header(rows: Sequence[_Row], at: int, depth: int) -> tuple[dict[str, int], dict[int, str], list[str]]:
    """The fields named by rows ``at`` .. ``at+depth-1`` (the lowest row's name wins under a merged group)."""
    fields: dict[str, int] = {}
    labels: dict[int, str] = {}
    clashes: list[str] = []
    width = max(len(rows[at + d].cells) for d in range(depth))
    for col in range(width):
        for d in reversed(range(depth)):
            cells = rows[at + d].cells
            label = _text(cells[col]) if col < len(cells) else ""
            name = _field_of(label)
            if name is None:
                continue
            if name in fields:
                clashes.append(f"{columns.LABELS[name]}：「{labels[fields[name]]}」与「{label}」")
            else:
                fields[name], labels[col] = col, label
            break
    return fields, labels, clashes


def _unit_of(label: str, default: str) -> str:
    key = _SPACE.sub("", unicodedata.normalize("NFKC", label))
    if "万元" in key:
        return "万元"
    if _UNIT_IN_HEADER.search(key):
        return "元"
    return default


def _find_header(rows: Sequence[_Row], name: str, sheet: str | None) -> _Header | Problem | None:
    """The header among the first rows, a problem with the header found, or None when there is none."""
    for at in range(min(HEADER_SCAN, len(rows))):
        for depth in (1, 2):
            if at + depth > len(rows):
                continue
            fields, labels, clashes = _map_header(rows, at, depth)
            if "amount" not in fields or not any(f in fields for f in columns.IDENTITY):
                continue
            if clashes:
                return Problem(
                    name,
                    "表头中有多列表示同一项（" + "；".join(clashes) + "），请只保留一列",
                    row=rows[at].number,
                    sheet=sheet,
                )
            above = " ".join(_text(c) for r in rows[: at + depth] for c in r.cells)
            line = _UNIT_LINE.search(_SPACE.sub("", unicodedata.normalize("NFKC", above)))
            default = line[1] if line else "元"
            units = {f: _unit_of(labels[fields[f]], default) for f in MONEY if f in fields}
            return _Header(fields, labels, units, at + depth)
    return None


NO_HEADER = (
    f"前 {HEADER_SCAN} 行中未找到表头：需要一列执行数（如「已支付金额」「累计支付」「执行数」"
    "「截至7月31日执行数」）和一列「项目编码」或「项目名称」"
)


class _RowReader:
    """Turns the data rows under a header into :class:`ExecutionRow` s and problems."""

    def __init__(self, name: str, sheet: str | None, header: _Header, xlsx: bool) -> None:
        self.name, self.sheet, self.header, self.xlsx = name, sheet, header, xlsx
        self.rows: list[ExecutionRow] = []
        self.problems: list[Problem] = []
        self.skipped: list[str] = []

    def _cell(self, row: _Row, field: str) -> Cell:
        col = self.header.fields.get(field)
        return row.cells[col] if col is not None and col < len(row.cells) else None

    def _problem(self, row: _Row, field: str | None, message: str) -> None:
        column = None
        if field is not None and field in self.header.fields:
            col = self.header.fields[field]
            column = f"{_column_name(col, self.xlsx)}「{self.header.labels[col]}」"
        self.problems.append(Problem(self.name, message, row=row.number, column=column, sheet=self.sheet))

    def _money(self, row: _Row, field: str, required: bool) -> Decimal | None:
        """The money in ``field`` in 元, or None with its problem recorded (a missing amount when required)."""
        what = columns.LABELS[field]
        value, error = parse_amount(self._cell(row, field))
        unit = self.header.units.get(field, "元")
        if error:
            self._problem(row, field, f"{what}{error}")
            return None
        if value is None:
            if required:
                self._problem(row, field, f"缺少{what}，请填写截至统计日的金额（元）")
            return None
        if value < 0:
            self._problem(row, field, f"{what}为负数（{value} {unit}），金额不能为负，请核对后填写")
            return None
        places = -int(value.as_tuple().exponent)
        if places > _PLACES[unit]:
            self._problem(
                row, field, f"{what} {value} {unit} 的小数位过多：金额须精确到分（{unit}最多 {_PLACES[unit]} 位小数）"
            )
            return None
        return (value * WAN if unit == "万元" else value).quantize(FEN)

    def read(self, row: _Row) -> None:
        """Read one data row: a project, a total or note to skip, or problems."""
        texts = [_text(c) for c in row.cells]
        filled = [t for t in texts if t]
        if not filled:
            return
        if filled[0].startswith(columns.NOT_A_PROJECT):
            where = f"{self.name}{' 工作表「' + self.sheet + '」' if self.sheet else ''} 第{row.number}行"
            self.skipped.append(f"{where}：{filled[0][:20]}（合计或说明行，未导入）")
            return
        before = len(self.problems)
        code = _text(self._cell(row, "code")) or None
        name, unit = _text(self._cell(row, "name")), _text(self._cell(row, "unit"))
        if not code and not (name and unit):
            self._problem(
                row, None, "无法识别项目：缺少项目编码，也缺少单位和项目名称（至少需要项目编码，或单位 + 项目名称）"
            )
        amount = self._money(row, "amount", required=True)
        budget = self._money(row, "budget", required=False)
        as_of, error = _parse_date(self._cell(row, "as_of"))
        if error:
            self._problem(row, "as_of", f"截止日期{error}")
        if len(self.problems) > before or amount is None:
            return
        self.rows.append(
            ExecutionRow(
                file=self.name,
                row=row.number,
                amount=amount,
                code=code,
                department=_text(self._cell(row, "department")),
                unit=unit,
                name=name,
                budget=budget,
                as_of=as_of,
                sheet=self.sheet,
            )
        )


def _read_table(
    rows: Sequence[_Row], name: str, sheet: str | None, xlsx: bool, clock: safety.Deadline
) -> _RowReader | Problem | None:
    """The table's rows read under its header; the header's problem; None when the table has no header."""
    found = _find_header(rows, name, sheet)
    if found is None or isinstance(found, Problem):
        return found
    reader = _RowReader(name, sheet, found, xlsx)
    for i, row in enumerate(rows[found.data_from :]):
        if i % 1000 == 999:
            clock.check(Location(file=name, sheet=sheet))
        reader.read(row)
    return reader


# --- the formats -----------------------------------------------------------------------------------------


def _csv_rows(body: str, name: str) -> list[_Row]:
    sample = body[:8192]
    delimiter = max((",", "\t", ";"), key=sample.count)
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    rows: list[_Row] = []
    start = 1
    try:
        for record in reader:
            if len(rows) >= safety.MAX_ROWS:
                raise SourceError(f"文件超过 {safety.MAX_ROWS} 行，已停止读取", Location(file=name))
            rows.append(_Row(start, tuple(c or None for c in record[: safety.MAX_COLUMNS])))
            start = reader.line_num + 1
    except csv.Error as exc:  # an unclosed quote running past the field limit, and the like
        raise SourceError(f"CSV 格式有误，无法读取（{exc}）", Location(file=name, line=start)) from None
    return rows


def _xlsx_value(value: Any) -> Cell:
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(f"{value:.15g}")  # the decimal Excel shows, not the float's binary tail
    return str(value)


def _xlsx_sheets(data: bytes, name: str, clock: safety.Deadline) -> list[tuple[str, list[_Row]]]:
    safety.check_zip(data, name, ".xlsx")
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise SourceError(f"无法打开 Excel 文件：{type(exc).__name__}: {exc}"[:200], Location(file=name)) from None
    sheets: list[tuple[str, list[_Row]]] = []
    total = 0
    try:
        for ws in wb.worksheets:
            ws.reset_dimensions()  # the sheet's own claim of its size is not trusted
            rows: list[_Row] = []
            for number, values in enumerate(ws.iter_rows(max_col=safety.MAX_COLUMNS, values_only=True), start=1):
                total += 1
                if total > safety.MAX_ROWS:
                    raise SourceError(
                        f"工作簿超过 {safety.MAX_ROWS} 行，已停止读取", Location(file=name, sheet=ws.title)
                    )
                if number % 1000 == 0:
                    clock.check(Location(file=name, sheet=ws.title))
                if any(v is not None for v in values):
                    rows.append(_Row(number, tuple(_xlsx_value(v) for v in values)))
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


def _read_sheets(
    sheets: list[tuple[str | None, list[_Row]]], name: str, xlsx: bool, clock: safety.Deadline
) -> PaymentFile:
    rows: list[ExecutionRow] = []
    problems: list[Problem] = []
    skipped: list[str] = []
    headers = 0
    for sheet, table in sheets:
        found = _read_table(table, name, sheet, xlsx, clock) if table else None
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
            return _read_sheets(list(_xlsx_sheets(data, name, clock)), name, True, clock)
        body, encoding = text.decode(data, name)
        read = _read_sheets([(None, _csv_rows(body, name))], name, False, clock)
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
