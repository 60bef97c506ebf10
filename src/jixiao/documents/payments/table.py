"""A table of rows: its header found among the first rows, then each data row read into an ExecutionRow or problems."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.errors import Location
from jixiao.core.execution import MAX_YUAN, ExecutionRow
from jixiao.documents import safety
from jixiao.documents.payments import columns
from jixiao.documents.payments.cells import (
    SPACE,
    UNIT_IN_HEADER,
    UNIT_LINE,
    Cell,
    field_of,
    parse_amount,
    parse_date,
    text_of,
)
from jixiao.documents.payments.results import Problem

HEADER_SCAN = 20  # rows searched for the header
WAN = Decimal(10000)
FEN = Decimal("0.01")
MONEY = ("budget", "amount")
_PLACES = {"元": 2, "万元": 6}  # the decimals that stay exact to the fen in each unit


@dataclass(frozen=True)
class Row:
    """A row of cells and its number in the file (row in XLSX, line in CSV)."""

    number: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Header:
    """The header found: which column holds which field, its texts, the money units, where data starts."""

    fields: dict[str, int]  # field -> column index
    labels: dict[int, str]  # column index -> the header's text
    units: dict[str, str]  # money field -> 元 or 万元
    data_from: int  # index of the first data row


def column_name(index: int, xlsx: bool) -> str:
    """``D列`` in a workbook, ``第4列`` in a CSV (0-based ``index``)."""
    if not xlsx:
        return f"第{index + 1}列"
    letters, n = "", index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}列"


def map_header(rows: Sequence[Row], at: int, depth: int) -> tuple[dict[str, int], dict[int, str], list[str]]:
    """The fields named by rows ``at`` .. ``at+depth-1`` (the lowest row's name wins under a merged group)."""
    fields: dict[str, int] = {}
    labels: dict[int, str] = {}
    clashes: list[str] = []
    width = max(len(rows[at + d].cells) for d in range(depth))
    for col in range(width):
        for d in reversed(range(depth)):
            cells = rows[at + d].cells
            label = text_of(cells[col]) if col < len(cells) else ""
            name = field_of(label)
            if name is None:
                continue
            if name in fields:
                clashes.append(f"{columns.LABELS[name]}：「{labels[fields[name]]}」与「{label}」")
            else:
                fields[name], labels[col] = col, label
            break
    return fields, labels, clashes


def unit_of(label: str, default: str) -> str:
    """The unit a money column's header says (万元 or 元), else the file's ``default``."""
    key = SPACE.sub("", unicodedata.normalize("NFKC", label))
    if "万元" in key:
        return "万元"
    if UNIT_IN_HEADER.search(key):
        return "元"
    return default


def find_header(rows: Sequence[Row], name: str, sheet: str | None) -> Header | Problem | None:
    """The header among the first rows, a problem with the header found, or None when there is none."""
    for at in range(min(HEADER_SCAN, len(rows))):
        for depth in (1, 2):
            if at + depth > len(rows):
                continue
            fields, labels, clashes = map_header(rows, at, depth)
            if "amount" not in fields or not any(f in fields for f in columns.IDENTITY):
                continue
            if clashes:
                return Problem(
                    name,
                    "表头中有多列表示同一项（" + "；".join(clashes) + "），请只保留一列",
                    row=rows[at].number,
                    sheet=sheet,
                )
            above = " ".join(text_of(c) for r in rows[: at + depth] for c in r.cells)
            line = UNIT_LINE.search(SPACE.sub("", unicodedata.normalize("NFKC", above)))
            default = line[1] if line else "元"
            units = {f: unit_of(labels[fields[f]], default) for f in MONEY if f in fields}
            return Header(fields, labels, units, at + depth)
    return None


NO_HEADER = (
    f"前 {HEADER_SCAN} 行中未找到表头：需要一列执行数（如「已支付金额」「累计支付」「执行数」"
    "「截至7月31日执行数」）和一列「项目编码」或「项目名称」"
)


class RowReader:
    """Turns the data rows under a header into :class:`ExecutionRow` s and problems."""

    def __init__(self, name: str, sheet: str | None, header: Header, xlsx: bool) -> None:
        self.name, self.sheet, self.header, self.xlsx = name, sheet, header, xlsx
        self.rows: list[ExecutionRow] = []
        self.problems: list[Problem] = []
        self.skipped: list[str] = []

    def _cell(self, row: Row, field: str) -> Cell:
        col = self.header.fields.get(field)
        return row.cells[col] if col is not None and col < len(row.cells) else None

    def _names(self, row: Row) -> list[str]:
        """The row's code, department, unit and name cells, as text without spaces."""
        return [SPACE.sub("", text_of(self._cell(row, f))) for f in ("code", "department", "unit", "name")]

    def _problem(self, row: Row, field: str | None, message: str) -> None:
        column = None
        if field is not None and field in self.header.fields:
            col = self.header.fields[field]
            column = f"{column_name(col, self.xlsx)}「{self.header.labels[col]}」"
        self.problems.append(Problem(self.name, message, row=row.number, column=column, sheet=self.sheet))

    def _money(self, row: Row, field: str, required: bool) -> Decimal | None:
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
        yuan = (value * WAN if unit == "万元" else value).quantize(FEN)
        if yuan >= MAX_YUAN:
            self._problem(
                row, field, f"{what} {value} {unit} 超出可记录的范围（折合元后最多 16 位整数），请核对单位和金额"
            )
            return None
        return yuan

    def read(self, row: Row) -> None:
        """Read one data row: a project, a total or note to skip, or problems."""
        texts = [text_of(c) for c in row.cells]
        filled = [t for t in texts if t]
        if not filled:
            return
        total = next((t for t in self._names(row) if t.endswith(columns.TOTAL_ENDINGS)), None)
        if filled[0].startswith(columns.NOT_A_PROJECT) or total:
            where = f"{self.name}{' 工作表「' + self.sheet + '」' if self.sheet else ''} 第{row.number}行"
            self.skipped.append(f"{where}：{(total or filled[0])[:20]}（合计或说明行，未导入）")
            return
        before = len(self.problems)
        code = text_of(self._cell(row, "code")) or None
        name, unit = text_of(self._cell(row, "name")), text_of(self._cell(row, "unit"))
        if not code and not (name and unit):
            self._problem(
                row, None, "无法识别项目：缺少项目编码，也缺少单位和项目名称（至少需要项目编码，或单位 + 项目名称）"
            )
        amount = self._money(row, "amount", required=True)
        budget = self._money(row, "budget", required=False)
        as_of, error = parse_date(self._cell(row, "as_of"))
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
                department=text_of(self._cell(row, "department")),
                unit=unit,
                name=name,
                budget=budget,
                as_of=as_of,
                sheet=self.sheet,
                column=self.header.labels[self.header.fields["amount"]],
            )
        )


def read_table(
    rows: Sequence[Row], name: str, sheet: str | None, xlsx: bool, clock: safety.Deadline
) -> RowReader | Problem | None:
    """The table's rows read under its header; the header's problem; None when the table has no header."""
    found = find_header(rows, name, sheet)
    if found is None or isinstance(found, Problem):
        return found
    reader = RowReader(name, sheet, found, xlsx)
    for i, row in enumerate(rows[found.data_from :]):
        if i % 1000 == 999:
            clock.check(Location(file=name, sheet=sheet))
        reader.read(row)
    return reader
