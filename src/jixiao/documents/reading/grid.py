"""The cells after a table heading, assigned to rows and columns by the column model.

The cells arrive as one stream, whatever the extraction did to the rows: a
row may sit on one line (pipe and space rows), spread over several (one cell
per paragraph, a row broken over lines), or share a line with the next. The
reader finds the assignment of cells to (row, column) that fits best, by
dynamic programming over the stream (a Viterbi path whose states are the
columns): each cell is scored for each column by the grammar of what that
column holds (a 分值 is a number, a level column holds a level label, a
target looks like a value, a name like text); a row that leaves out a column
pays what that column is worth (nothing for a level carried down from the
row above, much for a name); a cell that fits nowhere may be passed over at a
price. In row layouts a row that starts at the start of a line gains a
little and one that starts mid-line loses, so line breaks count as evidence
without being trusted blindly. The weights are set once below, with their
reasons; they are the reader's only tuning.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.core.model import DEVIATION_CAUSES, LIKELIHOODS
from jixiao.documents.reading import grammar
from jixiao.documents.reading.cellstream import Cell
from jixiao.documents.reading.columns import TableModel
from jixiao.documents.reading.lexicon import FIELD, LEVEL1, LEVEL2, OTHER, is_label_start, label_of, orphan_weight

NEVER = float("-inf")

# What leaving a column empty costs, inside a row or at its start or end. Levels and a
# project's own columns are printed once and carried down; a name is the row itself.
_MISSING = {
    "level1": 0.0,
    "level2": 0.0,
    "name": 6.0,
    "target": 1.2,
    "target_op": 0.2,
    "target_unit": 0.2,
    "actual": 0.8,
    "weight": 0.8,
    "score": 0.8,
    "deviation": 0.05,
    "forecast": 0.3,  # the monitoring form's columns, often left empty
    "cause": 0.05,
    "likelihood": 0.1,
    "remedy": 0.05,
    "ignore": 0.05,
    "proj_unit": 0.0,
    "proj_name": 0.0,
    "proj_budget": 0.0,
    "proj_goal": 0.0,
    "proj_category": 0.0,
}
_TRAILING = 0.7  # columns left empty at a row's end cost less than ones inside it
_NEW_ROW = 0.6  # every row costs a little, so that one row is not read as two half rows
_HEADING_ROW_END = 0.3  # a row of labels only (a group heading whose indicators follow)
_SKIP = 2.2  # a cell that fits no column
_SKIP_FILLER = 0.05  # template filler (……, 指标2:) is expected to fit nowhere
_SKIP_LABEL = 3.0
_SKIP_REPEAT = 0.2  # a text repeated within a few cells
_REPEAT_AS_CELL = 3.0  # a level label belongs to the tree: passing it over is costly
_ROW_AT_LINE_START = 0.5  # row layouts: a row that starts where a line starts
_ROW_MID_LINE = 2.0  # row layouts: a row that starts in the middle of a line
_ROW_OVER_LINE = 1.0  # row layouts: a row that runs on over a line break
_CONTINUE = 1.2  # a second cell in the same column (a cell broken over lines)
_CONTINUE_ROLES = frozenset({"name", "deviation", "remedy", "ignore", "proj_goal", "proj_name"})


@dataclass
class GridRow:
    """One table row: the cells of each column (usually one), by column index."""

    cells: dict[int, list[Cell]] = field(default_factory=dict)

    def first_cell(self) -> Cell:
        """The row's first cell in reading order."""
        return min((c for cs in self.cells.values() for c in cs), key=lambda c: (c.line, c.column))


@dataclass
class Grid:
    """The rows read, and the cells that fit no row."""

    rows: list[GridRow]
    unplaced: list[Cell]


def _label_prefix(norm: str) -> bool:
    """A strict start of a level label (``生态``, ``经济效``): a label the excerpt or a line cut short."""
    return 2 <= len(norm) <= 5 and label_of(norm, LEVEL1, LEVEL2) is None and is_label_start(norm)


def _is_org(norm: str) -> bool:
    return (norm[:1].isdigit() and "-" in norm[:12]) or norm.endswith(
        (
            "局",
            "院",
            "中心",
            "政府",
            "委员会",
            "办公室",
            "公司",
            "学校",
            "站",
            "所",
            "馆",
            "队",
            "部门",
            "镇",
            "乡",
            "街道",
        )
    )


class _Scorer:
    """Per-cell column fits for one table."""

    def __init__(self, cells: Sequence[Cell], model: TableModel) -> None:
        self.model = model
        # a text printed in many rows is a note column's content (评分标准, 指标解释), not a name
        counts = Counter(c.norm for c in cells if len(c.norm) >= 6)
        self.repeated = {t for t, n in counts.items() if n >= 3}

    # Complexity over 15, kept: the scoring table of how well a cell fits a column role: one case per role, kept in
    # one place so the scores can be compared with each other.
    def fit(self, cell: Cell, role: str, kept_apart: bool, implicit: bool = False) -> float:  # noqa: C901
        norm = cell.norm
        if implicit:
            # a column no heading names (自评得分 printed elsewhere): a figure goes there only when the
            # named columns are full
            value = grammar.number(norm)
            return 0.8 if value is not None and not norm.endswith("%") and 0 <= value <= 50 else NEVER
        l1 = label_of(norm, LEVEL1)
        l2 = label_of(norm, LEVEL2)
        if role == "level1":
            if l1 is not None:
                # 成本指标 is a level 1 in the 2021 tree and a level 2 under 产出 in the older one:
                # where both fit, the level-2 reading wins by a hair and the row's other cells decide
                return 3.9 if l2 is not None else 4.0
            return 3.0 if orphan_weight(norm) is not None else NEVER
        if role == "level2":
            if l2 is not None:
                return 4.0
            return NEVER
        if l1 is not None or (l2 is not None and role not in ("name",)):
            return NEVER
        if grammar.is_filler(norm):
            return NEVER
        if _label_prefix(norm):
            # a level label cut short by the excerpt's end (生态…) is no value, and a name only at worst
            return -3.0 if role == "name" else NEVER
        if role == "name":
            if grammar.is_nature(norm) or grammar.is_unit(norm) or grammar.is_sign_only(norm):
                return NEVER
            if label_of(norm, FIELD, OTHER) is not None:
                return -2.0  # a form's field label (改进措施:) inside the table is a note's words
            if l2 is not None:
                return -2.0  # a level label in the name column: only when nothing else reads
            if grammar.is_number(norm) or grammar.is_dash(norm):
                return -3.0
            if norm in self.repeated:
                return -4.0  # a text in many rows is a rule or an explanation, not an indicator
            score = 1.0 + (0.5 if grammar.value_likeness(norm) < 0.5 else -1.2 * grammar.value_likeness(norm))
            if "。" in norm or len(norm) > 30:
                score -= 2.0 + 0.05 * max(0, len(norm) - 30)  # a sentence is a note, rarely a name
            return score
        if role in ("cause", "likelihood"):
            return _choice_fit(role, norm)
        if role in ("target", "actual", "forecast"):
            if grammar.is_numbered(norm):
                return NEVER  # 指标3.… opens an indicator row
            if grammar.is_dash(norm):
                return 0.3
            score = 2.0 * grammar.value_likeness(norm) - 0.3
            if kept_apart:
                score -= 0.5
            return score if len(norm) <= 30 else -1.0
        if role == "target_op":
            if grammar.is_sign_only(norm):
                return 3.0
            return 1.5 if grammar.is_nature(norm) else NEVER
        if role == "target_unit":
            return 2.5 if grammar.is_unit(norm) else NEVER
        if role in ("weight", "score"):
            value = grammar.number(norm)
            if value is not None and not norm.endswith("%") and Decimal(0) <= value <= Decimal(100):
                # one indicator rarely carries more than half of the points
                return 2.0 if value <= 50 else 1.2
            return 0.3 if grammar.is_dash(norm) else NEVER
        if role in ("deviation", "remedy"):
            if grammar.is_number(norm):
                return -2.0
            if norm in ("无", "无偏差") or grammar.is_dash(norm):
                return 1.0
            return 1.0 if any(w in norm for w in ("原因", "措施", "疫情", "由于", "因")) else 0.2
        if role == "ignore":
            if norm in self.repeated or grammar.is_nature(norm) or norm.endswith("指标"):
                return 1.5
            if norm.startswith(("反映", "该指标", "考察")):
                return 1.5  # the templates' 指标解释 opens with 反映…
            if grammar.sign_of(norm) is not None:
                return -1.0
            return -0.5 if grammar.is_number(norm) else 0.2
        if role == "proj_unit":
            return 2.5 if _is_org(norm) else -1.0
        if role == "proj_name":
            return 1.0 if not grammar.is_number(norm) else NEVER
        if role == "proj_budget":
            m = grammar.money(norm)
            return 2.5 if m is not None and ("," in norm or m[0] >= 1000 or "." in norm) else NEVER
        if role == "proj_goal":
            return 1.5 if len(norm) >= 10 else 0.0
        if role == "proj_category":
            return 1.0 if norm.endswith(("项目", "资金", "类")) or norm[:1].isdigit() else 0.0
        return NEVER

    def pair(self, a: Cell, role_a: str, b: Cell, role_b: str) -> float:
        """What two cells side by side in one row say about each other."""
        if role_a == "name" and role_b == "ignore" and a.norm == b.norm:
            return 2.0  # 绩效指标描述 repeats the name
        if role_a == "weight" and role_b == "score":
            w, s = grammar.number(a.norm), grammar.number(b.norm)
            if w is not None and s is not None:
                return 0.5 if s <= w else -2.0
        if role_a == "target" and role_b == "actual" and a.norm == b.norm:
            return 0.3
        return 0.0


def _choice_fit(role: str, norm: str) -> float:
    """How well a cell fits the monitoring form's 偏差原因类型 or 完成目标可能性: only their listed words do."""
    if grammar.is_dash(norm):
        return 0.3
    if role == "likelihood":
        return 3.0 if norm in LIKELIHOODS else NEVER
    words = [w for w in re.split(r"[、,;/]+", norm) if w]
    return 3.0 if words and all(w in DEVIATION_CAUSES for w in words) else NEVER


def _is_double(cell: Cell, before: Sequence[Cell]) -> bool:
    """A name-like text printed again right after itself (values repeat by right: 100% | 100%)."""
    return len(cell.norm) >= 6 and grammar.value_likeness(cell.norm) < 0.5 and any(b.norm == cell.norm for b in before)


def _skip_cost(cell: Cell, before: Sequence[Cell]) -> float:
    if grammar.is_filler(cell.norm):
        return _SKIP_FILLER
    if _is_double(cell, before):
        return _SKIP_REPEAT  # the same text again a cell or two later: printed twice by the extraction
    if label_of(cell.norm, LEVEL1, LEVEL2) is not None:
        return _SKIP_LABEL
    return _SKIP


# Complexity over 15, kept: the dynamic programme that assigns cells to rows and columns; its steps share the cost
# tables and are measured as one in benchmarks/bench_import.py.
def read_grid(cells: Sequence[Cell], model: TableModel, row_layout: bool) -> Grid:  # noqa: C901
    """The best assignment of ``cells`` to rows and columns under ``model``."""
    cols = model.columns
    n, c = len(cells), len(cols)
    if n == 0:
        return Grid([], [])
    roles = [col.role for col in cols]
    missing = [0.0 if col.kept_apart or not col.heading else _MISSING.get(col.role, 0.5) for col in cols]
    level_cols = [r in ("level1", "level2") for r in roles]
    own_cols = [r.startswith("proj_") for r in roles]
    scorer = _Scorer(cells, model)
    fits = [
        [scorer.fit(cell, col.role, col.kept_apart, not col.heading and col.role == "score") for col in cols]
        for cell in cells
    ]
    names = [k for k, r in enumerate(roles) if r == "name"]
    for j, cell in enumerate(cells):
        if _is_double(cell, cells[max(0, j - 3) : j]):
            # a name printed again a cell or two later: an extraction's double, not a second indicator
            for k in names:
                fits[j][k] -= _REPEAT_AS_CELL
    # prefix sums of what skipping columns costs: skipped(a, b) = cost of columns a..b-1 left empty
    prefix = [0.0]
    for m in missing:
        prefix.append(prefix[-1] + m)

    def skipped(a: int, b: int) -> float:
        return prefix[b] - prefix[a] if b > a else 0.0

    def end_cost(last: int) -> float:
        if last < 0:
            return 0.0
        if level_cols[last] or own_cols[last]:
            return _HEADING_ROW_END  # a row of labels only, or of a project's own fields: a group heading
        # a row's last cells are the ones an excerpt cuts off or a form leaves blank
        return _TRAILING * skipped(last + 1, c)

    # state index: column 0..c-1 (cell placed there), c+k: cell passed over while the row stands at column k-1
    states = 2 * c + 1  # c+0 is "passed over before any row"
    best = [[NEVER] * states for _ in range(n)]
    back: list[list[tuple[int, int]]] = [[(-1, 0)] * states for _ in range(n)]  # (previous state, move)

    def row_at(state: int) -> int:
        """The column the current row stands at in ``state`` (-1: no row yet)."""
        return state if state < c else state - c - 1

    for j, cell in enumerate(cells):
        line_start = cell.first and not cell.fused
        # a fused run the figures' grammar cut into rows: its first piece opens a row whatever the layout
        row_cut = cell.row_start
        for s in range(c):
            fit = fits[j][s]
            if fit == NEVER:
                continue
            start = skipped(0, s) + _NEW_ROW
            if row_layout:
                start -= _ROW_AT_LINE_START if line_start else -_ROW_MID_LINE
            if row_cut:
                start -= _ROW_AT_LINE_START
            elif cell.cont:
                start += _ROW_MID_LINE  # a piece cut from the same fused run as the cell before it
            if j == 0:
                best[j][s], back[j][s] = fit - start, (-1, 1)
                continue
            for p in range(states):
                prev = best[j - 1][p]
                if prev == NEVER:
                    continue
                at = row_at(p)
                # a new row from here
                cand = prev - end_cost(at) - start + fit
                if cand > best[j][s]:
                    best[j][s], back[j][s] = cand, (p, 1)
                if at < s and at >= 0:
                    # the row goes on: columns between are left empty
                    cand = prev - skipped(at + 1, s) + fit
                    if (row_layout and line_start) or row_cut:
                        cand -= _ROW_OVER_LINE
                    if p < c:
                        cand += scorer.pair(cells[j - 1], roles[p], cell, roles[s])
                    if cand > best[j][s]:
                        best[j][s], back[j][s] = cand, (p, 0)
                elif at == s and p == s and roles[s] in _CONTINUE_ROLES and not grammar.is_numbered(cell.norm):
                    cand = prev - _CONTINUE + fit * 0.5
                    if row_layout and line_start:
                        cand -= _ROW_OVER_LINE
                    if cand > best[j][s]:
                        best[j][s], back[j][s] = cand, (p, 2)
        skip = _skip_cost(cell, cells[max(0, j - 3) : j])
        for p in range(states) if j else ():
            prev = best[j - 1][p]
            if prev == NEVER:
                continue
            s = c + 1 + row_at(p)
            if prev - skip > best[j][s]:
                best[j][s], back[j][s] = prev - skip, (p, 3)
        if j == 0:
            best[0][c], back[0][c] = -skip, (-1, 3)
    last = max(range(states), key=lambda s: best[n - 1][s] - end_cost(row_at(s)))
    return _trace(cells, back, last, c)


def _trace(cells: Sequence[Cell], back: list[list[tuple[int, int]]], state: int, c: int) -> Grid:
    """Follow the back-pointers into rows."""
    moves: list[tuple[int, int]] = []
    j = len(cells) - 1
    while j >= 0:
        prev, move = back[j][state]
        moves.append((state, move))
        state = prev
        j -= 1
    moves.reverse()
    rows: list[GridRow] = []
    unplaced: list[Cell] = []
    for (s, move), cell in zip(moves, cells, strict=True):
        if move == 3:
            unplaced.append(cell)
            continue
        if move == 1 or not rows:
            rows.append(GridRow())
        rows[-1].cells.setdefault(s, []).append(cell)
    return Grid(rows, unplaced)
