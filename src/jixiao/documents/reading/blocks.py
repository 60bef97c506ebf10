"""The blocks of a form around its indicator table: identity, money, goals, totals, fund management.

Each reader starts at the label that opens its block in the cell stream and
returns where the block ends, having filled a :class:`ProjectDraft`. A block
ends at the first label that belongs to another block; whatever it could not
place is handed back for the report of unplaced cells.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from jixiao.core.model import FUND_MANAGEMENT_ITEMS, Kind
from jixiao.documents.markup import join_cell
from jixiao.documents.reading import arith, grammar
from jixiao.documents.reading.arith import read_fund_row
from jixiao.documents.reading.cellstream import Cell
from jixiao.documents.reading.columns import heading_at
from jixiao.documents.reading.lexicon import (
    FIELD,
    FUND_BLOCK,
    FUND_COLUMN,
    FUND_ROW,
    GOAL_BLOCK,
    GOAL_COLUMN,
    LEVEL1,
    LEVEL2,
    OTHER,
    TABLE_COLUMN,
    TOTAL,
    label_of,
    labels_of,
)
from jixiao.documents.reading.provenance import ARITHMETIC, READ, FieldSource
from jixiao.documents.reading.tree import Draft, cell_value, source_of

_MONEY_NOTE = re.compile(r"(?:金额)?单位:(万元|元)")
_DATE = re.compile(r"(20\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
_PERIOD = re.compile(r"(20\d{2})(\d{2})")
_LONGEST_FIELD = 60  # characters: a unit's name, a date or a phone number never runs longer
_LEAD_FIGURES = re.compile(r"^[\d.,%]+")
_CHOICES = re.compile(r"^1[、.].+2[、.]")
_CHECKED = re.compile(r"[☑√✓■R]")
_FUND_ROWS = ("total", "current_appropriation", "carryover", "other", "central", "local")
# a department-wide form's rows by source and nature (其他资金 is read as "other" and moved when settled)
_DEPARTMENT_ROWS = ("general_budget", "government_fund", "special_account", "basic", "project")
_EVALUATIONS = (Kind.SELF_EVALUATION, Kind.TRANSFER_SELF_EVALUATION, Kind.DEPARTMENT_SELF_EVALUATION)
# the official items, and a wording some provinces print for the last one
_FUND_MANAGEMENT_WORDINGS = (*FUND_MANAGEMENT_ITEMS, "支出责任履行情况")


@dataclass
class ProjectDraft:
    """One project's fields as they are read, each with its source."""

    first_line: int
    fields: dict[str, str] = field(default_factory=dict)
    ranks: dict[str, int] = field(default_factory=dict)
    money_unit: str | None = None
    funds: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    execution: dict[str, Decimal] = field(default_factory=dict)
    goals: dict[str, str] = field(default_factory=dict)
    # a department-wide form's several goals, one (goal, outcome) a printed row, where the rows are known
    goal_rows: list[tuple[str, str | None]] = field(default_factory=list)
    fund_management: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)
    total: Decimal | None = None
    grade: str | None = None
    sources: dict[str, FieldSource] = field(default_factory=dict)
    notes: list[tuple[int, str]] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (line, message, text): warnings
    unplaced: list[Cell] = field(default_factory=list)
    last_line: int = 0

    def put(self, key: str, value: str, src: FieldSource, rank: int = 0) -> None:
        """Set an identity field; a label of lower rank (区级 before 市级) wins, else the first printed."""
        if not value:
            return
        if key in self.fields and self.ranks.get(key, 0) <= rank:
            return
        self.fields[key] = value
        self.ranks[key] = rank
        self.sources[key] = src


def is_label(cell: Cell) -> bool:
    """True for any label of the vocabulary."""
    return bool(labels_of(cell.norm))


def money_unit_of(norm: str) -> str | None:
    """The money unit a cell states: ``单位:万元``, ``(万元)``, a figure printed with 万元."""
    m = _MONEY_NOTE.search(norm)
    if m is not None:
        return m.group(1)
    found = label_of(norm)
    if found is not None and found.money_unit:
        return found.money_unit
    figure = grammar.money(norm)
    if figure is not None and figure[1] in ("万元", "元"):
        return figure[1]
    return None


# -- identity ----------------------------------------------------------------------------------------------


def read_identity(cells: Sequence[Cell], i: int, proj: ProjectDraft) -> int:
    """A label and its value: the cells after it up to the next label, on the value's own line."""
    label = label_of(cells[i].norm, FIELD, OTHER)
    j = i + 1
    values: list[Cell] = []
    while j < len(cells):
        cell = cells[j]
        if is_label(cell) or heading_at(cells, j) is not None:
            break
        if values and cell.line != values[-1].line:
            break
        values.append(cell)
        j += 1
    if values and sum(len(c.norm) for c in values) > _LONGEST_FIELD and (label is None or label.key != "name"):
        # a field's value runs on far beyond any such value: the text after it was fused in, not read
        proj.unplaced.extend(values)
        return j
    if label is not None and label.kind == OTHER and values and proj.money_unit is None:
        unit = money_unit_of(values[0].norm)
        if unit is not None:  # 项目总投资 174.78万元: the money unit the form uses
            proj.money_unit = unit
            proj.sources["money_unit"] = source_of(values[:1])
    if label is None or label.kind == OTHER or not values:
        return j
    text = join_cell(" ".join(c.text for c in values))
    if _CHOICES.search(text) and not _CHECKED.search(text):
        return j  # a printed list of choices (1、持续性项目 2、新增性项目) with none marked: no value
    key = label.key
    src = source_of(values)
    if key in ("start_date", "end_date", "period", "as_of"):
        if not _dates(key, text, src, proj):
            # the schema holds dates as YYYY-MM-DD only: say what was printed instead of storing it
            proj.problems.append((values[0].line, f"{label.text}不是日期，未读取", text))
    elif key in ("filing_unit", "organisation"):
        proj.put(key, text, src)
    else:
        proj.put(key, text, src, label.rank)
    return j


def _dates(key: str, text: str, src: FieldSource, proj: ProjectDraft) -> bool:
    """Planned dates as YYYY-MM-DD; False when the text holds none (a period may be a year: 2020年度)."""
    found = [f"{y}-{int(m):02d}-{int(d):02d}" for y, m, d in _DATE.findall(text)]
    if key == "period":
        if len(found) == 2:
            proj.put("start_date", found[0], src)
            proj.put("end_date", found[1], src)
        return True
    if len(found) == 1:
        proj.put(key, found[0], src)
        return True
    return False


# -- money -------------------------------------------------------------------------------------------------


def _is_fund_label(cell: Cell) -> bool:
    return label_of(cell.norm, FUND_BLOCK, FUND_COLUMN, FUND_ROW) is not None


def _is_figure_like(cell: Cell) -> bool:
    norm = cell.norm
    return (
        grammar.is_dash(norm)
        or grammar.money(norm) is not None
        or bool(re.fullmatch(r"[\d.,%]+(?:万元|元|万)?", norm) and any(ch.isdigit() for ch in norm))
    )


# Complexity over 15, kept: a state machine over the cells of the money block (columns, rows, keyed figures, the
# scoring row): its states share the cursor and the rows read so far.
def read_funds(cells: Sequence[Cell], i: int, proj: ProjectDraft, kind: Kind) -> tuple[int, list[Cell]]:  # noqa: C901
    """The money block from ``cells[i]``: its columns, its rows, and the 预算执行率 scoring row."""
    columns: list[str] = []
    block_weight: Decimal | None = None
    rows: list[tuple[str, list[Cell], Cell]] = []
    keyed: list[tuple[str, Cell]] = []
    trailing: list[Cell] = []
    unplaced: list[Cell] = []
    current: tuple[str, list[Cell], Cell] | None = None
    j = i
    while j < len(cells):
        cell = cells[j]
        found = label_of(cell.norm, FUND_BLOCK, FUND_COLUMN, FUND_ROW)
        if found is None and is_label(cell):
            if label_of(cell.norm, FIELD, GOAL_BLOCK, GOAL_COLUMN, TABLE_COLUMN, LEVEL1, LEVEL2, TOTAL) is not None:
                break
            if heading_at(cells, j) is not None:
                break
            unplaced.append(cell)  # a label of another block inside the money block: left for the report
            j += 1
            continue
        if heading_at(cells, j) is not None:
            break
        unit = money_unit_of(cell.norm)
        if unit is not None and proj.money_unit is None and (found is not None or not _is_figure_like(cell)):
            proj.money_unit = unit
            proj.sources.setdefault("money_unit", source_of([cell]))
        if found is not None:
            if found.kind == FUND_BLOCK:
                if found.weight is not None:
                    block_weight = Decimal(found.weight)
            elif found.kind == FUND_COLUMN:
                nxt = cells[j + 1] if j + 1 < len(cells) else None
                if nxt is not None and _is_figure_like(nxt) and not grammar.is_dash(nxt.norm):
                    keyed.append((found.key, nxt))  # 预算数: 2.38 — a heading directly followed by its figure
                    current = None
                    j += 2
                    continue
                if found.key not in columns or not rows:
                    columns.append(found.key)
            else:
                current = (found.key, [], cell)
                rows.append(current)
            j += 1
            continue
        lead = _LEAD_FIGURES.match(cell.norm)
        if current is not None and not _is_figure_like(cell) and lead is not None and len(lead.group(0)) >= 3:
            # figures run into the next heading's text (1.561.56120度效标…): the figures are the row's
            current[1].append(replace(cell, text=lead.group(0), norm=lead.group(0)))
            unplaced.append(cell)
            current = None
            j += 1
            continue
        if _is_figure_like(cell):
            if current is not None:
                current[1].append(cell)
            elif keyed:
                trailing.append(cell)  # a figure after keyed pairs: the block's 得分 column
            else:
                unplaced.append(cell)
            j += 1
            continue
        if grammar.is_unit(cell.norm) or cell.norm in ("(万元)", "(元)"):
            if cell.norm.strip("()") in ("万元", "元") and proj.money_unit is None:
                proj.money_unit = cell.norm.strip("()")  # 2.38 | 万元: the unit in a cell of its own
                proj.sources["money_unit"] = source_of([cell])
            j += 1
            continue
        # prose in the block (按收入性质分:…) is not modelled; a long text means the block is over
        if len(cell.norm) > 30 or (not proj.funds and not rows and not keyed and not columns):
            break
        unplaced.append(cell)
        current = None
        j += 1
    _assign_funds(proj, kind, columns, rows, keyed, trailing, block_weight)
    return j, unplaced


# A fund row's own figures (分值 and 得分 go to the 预算执行率 row); 全年预计执行数 on a monitoring form.
_ROW_FIGURES = ("initial", "adjusted", "executed", "rate_pct", "forecast")


# Complexity over 15, kept: the figures read are placed by the block's shape (columns or keyed, self-evaluation or
# declaration); each case is one printed layout.
def _assign_funds(  # noqa: C901
    proj: ProjectDraft,
    kind: Kind,
    columns: list[str],
    rows: list[tuple[str, list[Cell], Cell]],
    keyed: list[tuple[str, Cell]],
    trailing: list[Cell],
    block_weight: Decimal | None,
) -> None:
    declaration = kind in (Kind.TARGET_DECLARATION, Kind.DEPARTMENT_DECLARATION)
    for key, values, label_cell in rows:
        allowed = _FUND_ROWS + (_DEPARTMENT_ROWS if kind.is_department else ())
        if key not in allowed or key in proj.funds or not values:
            continue
        if declaration:
            figure = next((grammar.money(c.norm) for c in values if grammar.money(c.norm) is not None), None)
            if figure is not None:
                if figure[1] is not None and proj.money_unit is None:
                    proj.money_unit = figure[1]  # 10000万元: the unit printed with the amount
                    proj.sources["money_unit"] = source_of(values[:1])
                proj.funds[key] = {"requested": figure[0]}
                proj.sources[f"funds.{key}.requested"] = source_of(values[:1])
            continue
        cols = columns or ["initial", "adjusted", "executed", "weight", "rate_pct", "score"]
        tokens = [_figure_text(c) for c in values]
        reading = read_fund_row(tokens, cols, block_weight)
        if reading is None:
            continue
        row: dict[str, Decimal] = {}
        for col, fig in reading.values.items():
            row[col] = fig.value
        if (
            "rate_pct" in row
            and not reading.values["rate_pct"].percent
            and row["rate_pct"] <= 1
            and "执行率" in reading.note
        ):
            row["rate_pct"] = row["rate_pct"] * 100  # 1 printed for 100%: the sums say a fraction
        confidence = ARITHMETIC if reading.arithmetic and reading.note else READ
        src = FieldSource(values[0].line, values[0].column, confidence, reading.note)
        proj.funds[key] = {k: v for k, v in row.items() if k in _ROW_FIGURES}
        for col in proj.funds[key]:
            proj.sources[f"funds.{key}.{col}"] = src
        if key == "total" and kind in _EVALUATIONS:
            for col in ("weight", "rate_pct", "score"):
                if col in row:
                    proj.execution[col] = row[col]
                    proj.sources[f"execution.{col}"] = src
            if "weight" not in proj.execution and block_weight is not None and proj.execution:
                proj.execution["weight"] = block_weight
                proj.sources["execution.weight"] = FieldSource(label_cell.line, label_cell.column, READ)
    if kind in _EVALUATIONS and not proj.execution and not keyed:
        _damaged_scoring(proj, columns, rows)
    if keyed and "total" not in proj.funds:
        row = {}
        for key, cell in keyed:
            amount = grammar.money(cell.norm)
            value = amount[0] if amount is not None else grammar.number(cell.norm)
            if value is None:
                continue
            col = "requested" if declaration else key
            row.setdefault(col, value)
            proj.sources.setdefault(f"funds.total.{col}", source_of([cell]))
            if col == "rate_pct" and kind in _EVALUATIONS:
                proj.execution.setdefault("rate_pct", value)
                proj.sources.setdefault("execution.rate_pct", source_of([cell]))
        proj.funds["total"] = {k: v for k, v in row.items() if k in (*_ROW_FIGURES, "requested")}
        if trailing and kind in _EVALUATIONS:
            score = grammar.number(trailing[0].norm)
            if score is not None:
                proj.execution["score"] = score
                proj.sources["execution.score"] = source_of(trailing[:1])


def _damaged_scoring(proj: ProjectDraft, columns: list[str], rows: list[tuple[str, list[Cell], Cell]]) -> None:
    """The scoring figures of a money block whose amounts extraction damaged, read from the rows' ends.

    The 执行率/分值/得分 cells are merged down the block on the printed form, so they follow its last row
    whatever the row's label: they are the block's (the total's rate and the 预算执行率 row).
    """
    for _, values, _label in reversed(rows):
        if not values:
            continue
        found = arith.scoring_tail("".join(c.norm for c in values), columns)
        if found is None:
            continue
        note = "金额残缺，按 得分 = 分值 × 执行率 从行末读出执行率、分值和得分"
        src = FieldSource(values[-1].line, values[-1].column, ARITHMETIC, note)
        proj.funds.setdefault("total", {})["rate_pct"] = found["rate_pct"]
        proj.sources["funds.total.rate_pct"] = src
        for col, value in found.items():
            proj.execution[col] = value
            proj.sources[f"execution.{col}"] = src
        return


def _figure_text(cell: Cell) -> str:
    """A money cell's figure without its printed unit (``4753.66万元`` -> 4753.66)."""
    norm = cell.norm
    figure = grammar.money(norm)
    if figure is not None and not norm.endswith("%") and re.search(r"万元|元|万", norm):
        return str(figure[0])
    return norm


# -- goals -------------------------------------------------------------------------------------------------


def read_goals(cells: Sequence[Cell], i: int, proj: ProjectDraft, kind: Kind) -> tuple[int, list[Cell]]:
    """The goal block: its headings (预期目标, 实际完成情况, …) and the texts under them."""
    heads: list[str] = []
    texts: list[Cell] = []
    direct: dict[str, list[Cell]] = {}
    j = i
    while j < len(cells):
        cell = cells[j]
        found = label_of(cell.norm, GOAL_BLOCK, GOAL_COLUMN)
        if found is None and (is_label(cell) or heading_at(cells, j) is not None):
            break
        if found is not None:
            if found.kind == GOAL_COLUMN and not found.key.startswith("_"):
                heads.append(found.key)
            j += 1
            continue
        if grammar.is_number(cell.norm) and len(cell.norm) <= 4:
            j += 1  # a section's points printed beside it (20)
            continue
        texts.append(cell)
        j += 1
    if not texts:
        return j, []
    if not heads:
        heads = ["goal"]
    if kind is Kind.TARGET_DECLARATION and "goal" in heads and len(heads) == 1:
        direct["goal"] = texts
    elif len(heads) == 1:
        direct[heads[0]] = texts
    else:
        for head, group in zip(heads, _columns_of(texts, len(heads)), strict=False):
            if group:
                direct[head] = group
    if kind.is_department and not proj.goal_rows:
        proj.goal_rows = _goal_rows(texts, heads)
    for key, group in direct.items():
        if key in proj.goals:
            continue  # the first goal printed is the form's; a later one restates or frames it
        proj.goals[key] = cell_value(group)
        proj.sources[key] = source_of(group)
    return j, []


def _goal_rows(texts: list[Cell], heads: list[str]) -> list[tuple[str, str | None]]:
    """A department's goals row by row, when each printed line holds one cell under each heading (a grid).

    Other layouts (one cell a paragraph, wrapped lines) do not show where one goal ends; the goals are
    then told apart by their numbers when the form is settled (jixiao.documents.department).
    """
    if heads not in (["goal"], ["goal", "outcome"]):
        return []
    lines: dict[int, list[Cell]] = {}
    for c in texts:
        lines.setdefault(c.line, []).append(c)
    if len(lines) < 2 or not all(len(v) == len(heads) for v in lines.values()):
        return []
    if len(heads) == 1 and not all(re.match(r"^(?:目标|任务)?\d+", v[0].norm) for v in lines.values()):
        return []  # one column of unnumbered lines may be one goal wrapped
    return [(cell_value(v[:1]), cell_value(v[1:]) if len(v) > 1 else None) for v in lines.values()]


def _columns_of(texts: list[Cell], count: int) -> list[list[Cell]]:
    """Texts under ``count`` goal headings: side by side on each line, interleaved, or one column after the other."""
    lines: dict[int, list[Cell]] = {}
    for c in texts:
        lines.setdefault(c.line, []).append(c)
    if all(len(v) == count for v in lines.values()):
        return [[v[k] for v in lines.values()] for k in range(count)]
    numbered = [re.match(r"^(?:目标|任务)\d+", c.norm) for c in texts]
    if count == 2 and len(texts) % 2 == 0 and all(numbered):
        pairs = [(texts[k], texts[k + 1]) for k in range(0, len(texts), 2)]
        if all(a.norm[:3] == b.norm[:3] for a, b in pairs):
            return [[a for a, _ in pairs], [b for _, b in pairs]]
    if len(texts) % count == 0:
        size = len(texts) // count
        return [texts[k * size : (k + 1) * size] for k in range(count)]
    return [texts[:1], texts[1:]][:count]


# -- after the table ---------------------------------------------------------------------------------------


def read_total(cells: Sequence[Cell], i: int, proj: ProjectDraft) -> int:
    """The 总分 row: its score is the last figure printed after it (分值 then 得分)."""
    j = i + 1
    figures: list[Cell] = []
    while j < len(cells) and len(figures) < 3:
        cell = cells[j]
        if grammar.number(cell.norm) is not None and not cell.norm.endswith("%"):
            figures.append(cell)
            j += 1
            continue
        if grammar.is_dash(cell.norm):
            j += 1
            continue
        break
    if figures and proj.total is None:
        proj.total = grammar.number(figures[-1].norm)
        proj.sources["total_score"] = source_of(figures[-1:])
    return j


def read_grade(cells: Sequence[Cell], i: int, proj: ProjectDraft) -> int:
    """The 评分等级: 优, 良, 中 or 差 printed after its label."""
    j = i + 1
    if j < len(cells) and cells[j].norm[:1] in "优良中差" and len(cells[j].norm) <= 2:
        proj.grade = cells[j].norm[:1]
        proj.sources["grade"] = source_of([cells[j]])
        return j + 1
    return j


def is_fund_management(cell: Cell) -> bool:
    """The 资金管理情况 heading of a transfer-payment form."""
    return cell.norm.startswith("资金管理情况")


def read_fund_management(cells: Sequence[Cell], i: int, proj: ProjectDraft) -> int:
    """The 资金管理情况 rows: each check item, its 情况说明 and its 存在问题和改进措施."""
    j = i + 1
    current: list[str] | None = None
    while j < len(cells):
        cell = cells[j]
        if cell.norm in ("情况说明", "存在问题和改进措施", "存在问题及改进措施"):
            j += 1
            continue
        if cell.norm in _FUND_MANAGEMENT_WORDINGS:
            current = [join_cell(cell.text)]
            proj.fund_management.append((current[0], None, None))
            j += 1
            continue
        if current is None or is_label(cell) or heading_at(cells, j) is not None:
            break
        item, description, remedy = proj.fund_management[-1]
        text = join_cell(cell.text)
        if description is None:
            proj.fund_management[-1] = (item, text, None)
        elif remedy is None:
            proj.fund_management[-1] = (item, description, text)
        j += 1
    return j
