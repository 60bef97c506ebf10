"""The blocks around the indicator table: identity, funding, goals, totals, fund management."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.core.model import FundManagementRow, FundRow, Funds, Kind
from jixiao.documents.forms import is_boilerplate, is_grade, is_total
from jixiao.documents.result import Problems
from jixiao.documents.rows import Row, cell_text, fold, is_dash, is_number, number, width
from jixiao.documents.vocab import FIELD_LABELS, GRADE_LABELS, as_of_heading, fund_column, fund_row_key, squeeze

_MONEY_UNIT = re.compile(r"[(（]\s*(万元|元)\s*[)）]")
_GRADE = re.compile(r"[优良中差]")


@dataclass
class Used:
    """Line numbers a reader has placed; what is left over becomes a warning."""

    lines: set[int] = field(default_factory=set)

    def rows(self, rows: list[Row]) -> None:
        """Mark every row in ``rows`` as placed."""
        self.lines.update(r.number for r in rows)

    def row(self, row: Row) -> None:
        """Mark one row as placed."""
        self.lines.add(row.number)


# -- identity ----------------------------------------------------------------


def _split_label(cell: str) -> tuple[str, str] | None:
    """``项目名称：X`` -> (``name``, ``X``) when a label and its value share a cell."""
    for sep in ("：", ":"):
        if sep in cell:
            head, _, tail = cell.partition(sep)
            key = FIELD_LABELS.get(squeeze(head))
            if key:
                return key, tail.strip()
    return None


def read_identity(rows: list[Row], used: Used, problems: Problems | None = None) -> dict[str, str]:
    """Project fields from label/value pairs; a value may wrap onto the following lines."""
    values: dict[str, list[str]] = {}
    current: str | None = None
    for row in rows:
        if is_boilerplate(row) and current is not None and values.get(current):
            used.row(row)
            continue
        for cell in row.filled:
            key = FIELD_LABELS.get(squeeze(cell).rstrip(":"))
            if key is not None:
                current = key
                values.setdefault(key, [])
                continue
            split = _split_label(cell)
            if split is not None:
                current = split[0]
                values.setdefault(current, []).append(split[1])
                continue
            if current is not None:
                values[current].append(cell)
        used.row(row)
    out: dict[str, str] = {}
    for key, parts in values.items():
        text = cell_text(" ".join(parts))
        if key == "_period":
            dates = _DATE.findall(fold(text))
            if len(dates) == 2:
                out.setdefault("start_date", _iso(dates[0]))
                out.setdefault("end_date", _iso(dates[1]))
            continue
        if key.startswith("_"):
            continue  # contact persons and phone numbers are not kept
        if key in _DATE_LABELS:
            found = _DATE.findall(fold(text))
            if len(found) != 1:
                # the schema holds dates as YYYY-MM-DD only; say what was printed instead of storing it
                if problems is not None and text:
                    label = _DATE_LABELS[key]
                    problems.warn(rows[0].number if rows else None, f"{label}不是日期，未读取", text)
                continue
            text = _iso(found[0])
        if text:
            out[key] = text
    return out


_DATE_LABELS = {"start_date": "计划开始日期", "end_date": "计划完成日期", "as_of": "监控截止日期"}
_DATE = re.compile(r"(20\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?")


def _iso(parts: tuple[str, str, str]) -> str:
    """``('2024', '1', '1')`` -> ``2024-01-01``."""
    year, month, day = parts
    return f"{year}-{int(month):02d}-{int(day):02d}"


_HEADER_UNIT = re.compile(r"单位\s*[:：]\s*(万元|元)")


def money_unit_in(rows: list[Row]) -> str | None:
    """The money unit a form states in its header (``单位：万元``), if any."""
    for row in rows:
        m = _HEADER_UNIT.search(row.text) or _MONEY_UNIT.search(row.text)
        if m:
            return m.group(1)
    return None


# -- funds -------------------------------------------------------------------


@dataclass
class FundsResult:
    """The funding block read from a form."""

    funds: Funds
    money_unit: str | None
    execution: tuple[Decimal | None, Decimal | None, Decimal | None] | None


_ROW_COLUMNS = ("initial", "adjusted", "executed", "requested", "rate_pct", "forecast")
_DEFAULT_COLUMNS = {
    Kind.SELF_EVALUATION: ["initial", "adjusted", "executed", "weight", "rate_pct", "score"],
    Kind.TARGET_DECLARATION: ["requested"],
    Kind.DEPARTMENT_DECLARATION: ["requested"],
    Kind.TRANSFER_SELF_EVALUATION: ["adjusted", "executed", "rate_pct"],
    Kind.MONITORING: ["adjusted", "executed", "rate_pct", "forecast"],
}


def _fund_heading(rows: list[Row]) -> Row | None:
    for row in rows:
        if sum(1 for c in row.filled if fund_column(c) is not None) >= 2:
            return row
    return None


def _fund_columns(rows: list[Row]) -> list[str] | None:
    heading = _fund_heading(rows)
    if heading is None:
        return None
    return [col for col in (fund_column(c) for c in heading.filled) if col is not None]


def _fund_positions(rows: list[Row]) -> list[int] | None:
    """The cell index of each funding column in a tab-separated heading row."""
    heading = _fund_heading(rows)
    if heading is None or not heading.tabbed:
        return None
    return [i for i, c in enumerate(heading.cells) if fund_column(c) is not None]


def _labels_in(row: Row) -> list[tuple[int, str]]:
    """(cell index, row key) of every funding-row label in ``row``."""
    found = []
    for i, cell in enumerate(row.cells):
        key = fund_row_key(cell)
        if key is not None:
            found.append((i, key))
    return found


_PROSE_COLUMNS = {
    "年初预算数": "initial",
    "年初预算": "initial",
    "全年预算数": "adjusted",
    "调整后预算数": "adjusted",
    "全年执行数": "executed",
    "实际执行数": "executed",
    "分值": "weight",
    "执行率": "rate_pct",
    "预算执行率": "rate_pct",
    "得分": "score",
    "年度资金申请总额": "requested",
    "申请总额": "requested",
}
_PROSE_VALUE = re.compile(
    r"("
    + "|".join(sorted(_PROSE_COLUMNS, key=len, reverse=True))
    + r")\s*[:：为]?\s*([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?)"
)


def prose_figures(text: str) -> dict[str, Decimal | None]:
    """``年初预算数82.00，全年预算数82.00，执行率98.00%`` -> the figures by column."""
    out: dict[str, Decimal | None] = {}
    for key, value in _PROSE_VALUE.findall(fold(text)):
        out.setdefault(_PROSE_COLUMNS[key], number(value))
    return out


def _prose_rows(text: str) -> list[tuple[str, dict[str, Decimal | None]]]:
    """Funding rows written as prose: ``其中：当年财政拨款：年初预算数82.00，…；上年结转资金：无``."""
    out: list[tuple[str, dict[str, Decimal | None]]] = []
    for segment in re.split(r"[；;。]", fold(text)):
        figures = prose_figures(segment)
        head = _PROSE_VALUE.split(segment)[0] if figures else segment
        label = squeeze(head).rstrip(":，,")
        label = re.sub(r"\((?:万元|元)\)", "", label).rstrip(":")
        key = "total" if label.startswith("项目资金") else fund_row_key(label)
        if key is None and ":" in label:
            key = fund_row_key(label.rsplit(":", 1)[0])
        if key is not None and figures:
            out.append((key, figures))
    return out


# Complexity over 15, kept: one pass over the money rows of every printed layout (unit line, fund rows, the 预算执行率
# row); each branch is a layout the seed and corpus tests pin, and split apart they would share the same running
# state.
def read_funds(rows: list[Row], kind: Kind, problems: Problems, used: Used) -> FundsResult:  # noqa: C901
    """The funding rows, the money unit and the 预算执行率 scoring row."""
    unit = None
    for row in rows:
        m = _MONEY_UNIT.search(row.text)
        if m:
            unit = m.group(1)
            break
    columns = _fund_columns(rows) or _DEFAULT_COLUMNS.get(kind, _DEFAULT_COLUMNS[Kind.SELF_EVALUATION])
    positions = _fund_positions(rows)
    if kind is Kind.TARGET_DECLARATION:
        columns, positions = ["requested"], None
    rows_out: dict[str, FundRow] = {}
    execution = None
    pending_key: str | None = None
    carry = ""
    for row in rows:
        if row.blank:
            continue
        prose = [] if row.tabbed else _prose_rows(row.text)
        if prose:
            used.row(row)
            for key, figures in prose:
                if key == "total" and kind is Kind.SELF_EVALUATION and ("weight" in figures or "score" in figures):
                    execution = (figures.get("weight"), figures.get("rate_pct"), figures.get("score"))
                row_fields = {k: v for k, v in figures.items() if k in _ROW_COLUMNS}
                rows_out.setdefault(key, FundRow(**row_fields))
            continue
        labels = _labels_in(row)
        cells = list(row.cells)
        if not labels and carry:
            # A label broken over lines: 其中：当年财政 / 拨款.
            joined = carry + squeeze(row.filled[0]) if row.filled else carry
            broken = fund_row_key(joined)
            if broken is not None:
                labels = [(row.cells.index(row.filled[0]), broken)]
        carry = ""
        if labels:
            index, key = labels[-1]
            values = [c for c in cells[index + 1 :] if c.strip()]
        elif pending_key is not None and row.filled and all(is_number(c) or is_dash(c) for c in row.filled):
            key, values = pending_key, row.filled
        else:
            first = row.filled[0] if row.filled else ""
            if (
                first
                and not is_number(first)
                and any(k.startswith(squeeze(first).rstrip(":")) for k in ("其中:当年财政拨款", "其中:中央财政资金"))
            ):
                carry = squeeze(first)
                used.row(row)
            elif (
                _MONEY_UNIT.search(row.text)
                or any(fund_column(c) is not None for c in row.filled)
                or is_boilerplate(row)
            ):
                used.row(row)
            continue
        used.row(row)
        if key.startswith("_"):
            continue
        numbers = [v for v in values if is_number(v) or is_dash(v)]
        if not numbers:
            pending_key = key
            continue
        if labels and row.tabbed and positions and len(numbers) < len(columns) and positions[0] > labels[-1][0]:
            # an empty cell is a column left blank: read this row by the heading's positions
            numbers = [row.cells[i] if i < len(row.cells) else "" for i in positions]
        pending_key = None
        data: dict[str, Decimal | None] = {}
        for col, raw in zip(columns, numbers, strict=False):
            data[col] = None if is_dash(raw) or not raw.strip() else number(raw)
        if len(numbers) > len(columns):
            problems.warn(row.number, "资金行的数字多于表头的列数，多出的数字未读取", row.text.strip())
        if key == "total" and kind is Kind.SELF_EVALUATION and ("weight" in data or "score" in data):
            execution = (data.get("weight"), data.get("rate_pct"), data.get("score"))
        row_fields = {k: v for k, v in data.items() if k in _ROW_COLUMNS}
        if key in rows_out:
            continue  # a row repeated over a page break is kept once
        rows_out[key] = FundRow(**row_fields)
    return FundsResult(Funds(**rows_out), unit, execution)


# -- goals -------------------------------------------------------------------

_GOAL_HEADS = {
    "预期目标": "goal",
    "年度目标": "goal",
    "总体目标": "goal",
    "年度总体目标": "goal",
    "年度绩效目标": "goal",
    "项目总目标": "overall_goal",
    "项目中长期目标": "overall_goal",
    "中长期目标": "overall_goal",
    "实际完成情况": "outcome",
    "全年实际完成情况": "outcome",
    "年度实际完成情况": "outcome",
    "年度总体目标完成情况": "outcome",
    "年初设定目标": "goal",
    # the monitoring form: progress toward the year's goal as of the monitoring date
    "截至监控日完成情况": "outcome",
    "截至监控日目标完成情况": "outcome",
    "截至监控日实际完成情况": "outcome",
    "截至监控日总体目标完成情况": "outcome",
}
# Cells that frame the goal block without naming a column.
_GOAL_FRAME = frozenset({"项目绩效目标", "总体目标完成情况", "绩效目标"})
_PARENS = re.compile(r"\([^()]*\)")


def goal_head(cell: str) -> str | None:
    """The field a goal heading names (``项目总目标（中长期）`` -> ``overall_goal``), or None."""
    key = as_of_heading(_PARENS.sub("", squeeze(cell)).rstrip(":"))
    return _GOAL_HEADS.get(key)


def _split_flowing(lines: list[str]) -> tuple[str, str]:
    """Two wrapped columns printed one after the other: find where the first ends.

    Each column wraps at its own width, so every line of a column but its
    last is about as wide as the column's widest line. The split chosen is
    the one that breaks that pattern least, preferring a split after 。.
    """
    widths = [width(s) for s in lines]
    best: tuple[float, int] | None = None
    for k in range(len(lines) - 1):
        score = 0.0
        for group in (range(0, k + 1), range(k + 1, len(lines))):
            idx = list(group)
            top = max(widths[i] for i in idx)
            score += sum(1 for i in idx[:-1] if widths[i] < top - 4)
        if not lines[k].rstrip().endswith(("。", "；", ";", ".")):
            score += 0.5
        if best is None or score < best[0]:
            best = (score, k)
    k = best[1] if best else len(lines) - 1
    return "".join(lines[: k + 1]), "".join(lines[k + 1 :])


def _is_goal_frame(cell: str) -> bool:
    """A frame word of the goal block (项目绩效目标) standing in a cell of its own."""
    return squeeze(cell) in _GOAL_FRAME


def _goal_cells(row: Row) -> list[tuple[str | None, str]]:
    """Each cell as (heading field or None, text); ``预期目标：…`` gives both at once."""
    out: list[tuple[str | None, str]] = []
    for cell in row.filled:
        if squeeze(cell) in _GOAL_FRAME:
            continue
        head = goal_head(cell)
        if head is not None:
            out.append((head, ""))
            continue
        for sep in ("：", ":"):
            label, found, rest = cell.partition(sep)
            if found and goal_head(label) is not None and rest.strip():
                out.append((goal_head(label), rest.strip()))
                break
        else:
            out.append((None, cell))
    return out


# Complexity over 15, kept: three ways a form prints its goals (labelled cells, heading columns, two wrapped columns)
# read in one pass over the rows, sharing what each row used.
def read_goals(rows: list[Row], kind: Kind, used: Used) -> dict[str, str]:  # noqa: C901
    """Goal, overall goal and outcome: from labelled cells, heading columns, or two wrapped columns."""
    heads: list[str] = []
    placed: list[tuple[int, str]] = []  # (cell index, field) of a tab-separated heading row
    direct: dict[str, list[str]] = {}
    texts: list[tuple[Row, list[str]]] = []
    for row in rows:
        used.row(row)
        if is_boilerplate(row):
            continue
        cells = _goal_cells(row)
        if not cells:
            continue
        if all(head is not None and not text for head, text in cells):
            found = [h for h, _ in cells if h is not None]
            # a row label (年度 总体 目标) may precede the real headings: keep the last of each
            heads = [h for n, h in enumerate(found) if h not in found[n + 1 :]]
            placed = (
                [(i, h) for i, h in ((i, goal_head(c)) for i, c in enumerate(row.cells)) if h] if row.tabbed else []
            )
            continue
        if placed and row.tabbed and len(row.filled) < len(heads):
            # a column left empty (no 完成情况 yet): each text goes under the heading it is printed below
            for i, cell in enumerate(row.cells):
                under = [h for at, h in placed if at <= i]
                if cell.strip() and under and not _is_goal_frame(cell):
                    direct.setdefault(under[-1], []).append(cell)
            continue
        if any(head is not None for head, _ in cells):
            # 预期目标 | text, or 预期目标：text: each heading owns the texts after it
            current: str | None = None
            for head, text in cells:
                if head is not None:
                    current = head
                if text and current is not None:
                    direct.setdefault(current, []).append(text)
            continue
        texts.append((row, [text for _, text in cells]))
    out = {k: cell_text(" ".join(v)) for k, v in direct.items()}
    if not texts:
        return out
    if not heads:
        heads = ["goal", "outcome"] if kind is not Kind.TARGET_DECLARATION else ["goal"]
    heads = [h for h in heads if h not in out] or heads
    tabbed = any(row.tabbed for row, _ in texts)
    columns: dict[str, list[str]] = {}
    if kind is Kind.TARGET_DECLARATION and (all(len(c) == 1 for _, c in texts) or len(heads) == 1):
        # A declaration's one text is its 年度总体目标 (gold 001, P19).
        columns["goal"] = [c for _, row_texts in texts for c in row_texts]
    elif tabbed or (len(texts) == 1 and len(texts[0][1]) >= len(heads)):
        for _, row_texts in texts:
            if len(row_texts) > len(heads) and not tabbed:
                row_texts = [row_texts[0], " ".join(row_texts[1:])]
            for head, text in zip(heads, row_texts, strict=False):
                columns.setdefault(head, []).append(text)
    else:
        lines = [cell_text(" ".join(row_texts)) for _, row_texts in texts]
        if len(heads) < 2 or len(lines) < 2:
            columns[heads[0]] = lines
        else:
            first, second = _split_flowing(lines)
            columns = {heads[0]: [first], heads[1]: [second]}
    for key, parts in columns.items():
        out.setdefault(key, cell_text(" ".join(parts)))
    return out


# -- after the table ------------------------------------------------------------


def read_total(row: Row) -> Decimal | None:
    """The 总分 row's score: the 得分 it names, else the last number printed on it."""
    named = re.search(r"得分\s*[:：]?\s*(\d+(?:\.\d+)?)", fold(row.text))
    if named:
        return number(named.group(1))
    numbers = [number(c) for c in row.filled if is_number(c)]
    if not numbers:
        numbers = [number(n) for n in re.findall(r"\d+(?:\.\d+)?", fold(row.text))]
    return numbers[-1] if numbers else None


def read_grade(row: Row) -> str | None:
    """The 评分等级 printed after its label (优, 良, 中 or 差)."""
    text = row.text
    for label in GRADE_LABELS:
        text = text.replace(label, "")
    # a printed list of the possible grades, 评分等级（优/良/中/差）, is not the grade
    text = re.sub(r"[(（][^)）]*[)）]", "", text)
    m = _GRADE.search(text)
    return m.group(0) if m else None


def read_after(rows: list[Row], used: Used) -> tuple[Decimal | None, str | None, list[Row]]:
    """Total and grade rows after the table; the rows left over are returned for the caller."""
    total = None
    grade = None
    rest: list[Row] = []
    in_notes = False
    for row in rows:
        first = squeeze(row.filled[0]) if row.filled else ""
        numbered = in_notes and re.match(r"^\d+[.、．]", first)
        if first.startswith(("注:", "注1", "备注", "填报说明", "说明:")) or numbered:
            # the form's printed footnotes (注：1 …, 2. …): part of the form, not data
            in_notes = True
            used.row(row)
            continue
        if is_total(row):
            total = read_total(row)
            if is_grade_inline(row):
                grade = read_grade(row)
            used.row(row)
        elif is_grade(row):
            grade = read_grade(row)
            used.row(row)
        elif (
            squeeze(row.text) in ("说明", "说明无")
            or (row.filled and squeeze(row.filled[0]) == "说明")
            or is_boilerplate(row)
        ):
            used.row(row)
        else:
            rest.append(row)
    return total, grade, rest


def is_grade_inline(row: Row) -> bool:
    """True when a 总分 row also prints the grade."""
    return any(label in row.text for label in GRADE_LABELS)


# -- fund management (transfer payments) -------------------------------------------


def read_fund_management(rows: list[Row], used: Used) -> tuple[FundManagementRow, ...]:
    """The 资金管理情况 rows: item, 情况说明, 存在问题和改进措施."""
    out: list[FundManagementRow] = []
    for row in rows:
        cells = [c for c in row.filled if squeeze(c) not in ("资金管理情况",)]
        used.row(row)
        if not cells or squeeze(cells[0]) in ("情况说明",) or "存在问题" in squeeze("".join(cells)):
            continue
        item = cell_text(cells[0])
        description = cell_text(cells[1]) if len(cells) > 1 else None
        remedy = cell_text(" ".join(cells[2:])) if len(cells) > 2 else None
        if out and len(cells) == 1 and not row.tabbed:
            prev = out[-1]
            out[-1] = FundManagementRow(prev.item, (prev.description or "") + item, prev.remedy)
            continue
        out.append(FundManagementRow(item, description or None, remedy or None))
    return tuple(out)
