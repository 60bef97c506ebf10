"""Indicator tables whose cells survived extraction (tab-separated or pipe rows).

Each row's leading level labels are peeled off; the remaining cells are the
三级指标 and its values, mapped to the columns the table heading names, in
order (so a table with 分值 before 年度指标值 reads right). Merged label
cells are carried down by :class:`~jixiao.documents.levels.LevelTracker`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.core.model import DEVIATION_CAUSES, LIKELIHOODS, Indicator, Kind
from jixiao.documents.fields import Used
from jixiao.documents.forms import is_boilerplate
from jixiao.documents.levels import LevelTracker, class_of_level1, clean_label
from jixiao.documents.result import Problems
from jixiao.documents.rows import Row, cell_text, is_number, number
from jixiao.documents.vocab import level_of, squeeze, table_column

# 指标1： / 1、 / 1. numbering; never the digits of a name such as 2.5G网络 or 10：00前开门率
_PREFIX = re.compile(r"^(?:指标\s*\d+\s*[:：、.．]|\d+\s*[:：、.．](?![\d.]))\s*")
_TABLE_FRAME = frozenset({"绩效指标", "绩效", "指标", "项目绩效指标"})


@dataclass
class Draft:
    """An indicator row being read; becomes an :class:`Indicator` when the table is done."""

    level1: str
    level2: str | None
    name: str
    target: str | None = None
    actual: str | None = None
    weight: Decimal | None = None
    score: Decimal | None = None
    deviation: str | None = None
    forecast: str | None = None  # the monitoring form's 全年预计完成值, 偏差原因类型, 完成目标可能性, 纠偏措施
    cause: tuple[str, ...] | None = None
    likelihood: str | None = None
    remedy: str | None = None
    lines: list[int] = field(default_factory=list)
    labelled: bool = False
    printed_level1: bool = False
    after_break: bool = False

    def key(self) -> tuple[str, str | None, str | None]:
        """What makes two printed rows the same row (for page-break repeats)."""
        return (squeeze(self.name), squeeze(self.target or ""), squeeze(self.actual or ""))

    def indicator(self) -> Indicator:
        """The finished, immutable indicator."""
        return Indicator(
            level1=self.level1,
            level2=self.level2,
            name=self.name,
            target=self.target or None,
            actual=self.actual or None,
            weight=self.weight,
            score=self.score,
            deviation=self.deviation or None,
            forecast=self.forecast or None,
            cause=self.cause or None,
            likelihood=self.likelihood or None,
            remedy=self.remedy or None,
        )


def strip_prefix(name: str) -> str:
    """``指标1：培训次数`` -> ``培训次数``; the numbering is not part of the name."""
    return _PREFIX.sub("", name, count=1)


def header_columns(row: Row) -> list[str]:
    """The fields named by a table heading row, in printed order."""
    return [col for col in (table_column(c) for c in row.filled) if col is not None]


def _is_header(row: Row) -> bool:
    cols = header_columns(row)
    return (len(cols) >= 2 and "name" in cols) or cols.count("level1") + cols.count("level2") >= 2


# The parts of a value printed over three cells (符号 | 数值 | 单位), and the same parts under 实际完成值.
_TARGET_PARTS = ("target_op", "target", "target_unit")
_ACTUAL_PARTS = {"target_op": "actual_op", "target": "actual", "target_unit": "actual_unit"}


def _is_subheading(row: Row) -> bool:
    """A second heading row that names only the parts of split values (符号 | 数值 | 单位 …)."""
    cells = row.filled
    return len(cells) >= 2 and all(table_column(c) in _TARGET_PARTS for c in cells)


def _part_runs(roles: list[str]) -> list[list[str]]:
    """The sub-heading's parts cut into one run per split value (a part named again starts the next)."""
    runs: list[list[str]] = []
    for role in roles:
        if not runs or role in runs[-1]:
            runs.append([])
        runs[-1].append(role)
    return runs


def two_row_heading(top: Row, sub: Row) -> tuple[list[str], dict[str, int]]:
    """The columns and positions of a heading printed on two rows.

    The upper row names the groups (年度指标值, 实际完成值 over merged cells), the lower row their
    parts (符号 | 数值 | 单位); a part under 实际完成值 becomes a part of the actual. On tab-separated
    rows the parts are placed by cell position; otherwise each run of parts replaces, in order,
    the next value group of the upper row.
    """
    if top.tabbed and sub.tabbed:
        by_index: dict[int, str] = {}
        group = None
        for index in range(max(len(top.cells), len(sub.cells))):
            above = table_column(top.cells[index]) if index < len(top.cells) else None
            below = table_column(sub.cells[index]) if index < len(sub.cells) else None
            if above is not None:
                group = above
            if below is not None:
                by_index[index] = _ACTUAL_PARTS[below] if group == "actual" else below
            elif above is not None:
                by_index[index] = above
        columns = list(by_index.values())
    else:
        runs = _part_runs([c for c in header_columns(sub) if c is not None])
        columns = []
        for role in header_columns(top):
            if role in ("target", "actual") and runs:
                run = runs.pop(0)
                columns.extend(_ACTUAL_PARTS[r] if role == "actual" else r for r in run)
            else:
                columns.append(role)
        by_index = {}
    positions: dict[str, int] = {}
    for index, role in by_index.items():
        positions.setdefault(role, index)
    return columns, positions


def _peel_labels(cells: list[str]) -> tuple[list[str], list[str]]:
    """Split leading label cells from the content cells of a row."""
    labels: list[str] = []
    i = 0
    while i < len(cells):
        cell = cells[i]
        if squeeze(cell) in _TABLE_FRAME:
            i += 1
            continue
        if level_of(cell) is not None:
            labels.append(cell)
            i += 1
            continue
        # An unknown X指标 immediately before a known label is a (misread) label too.
        nxt = cells[i + 1] if i + 1 < len(cells) else ""
        if squeeze(cell).endswith("指标") and len(squeeze(cell)) <= 8 and nxt and level_of(nxt) is not None:
            labels.append(cell)
            i += 1
            continue
        break
    return labels, cells[i:]


def apply_labels(labels: list[str], tracker: LevelTracker, drafts: list[Draft], has_content: bool) -> None:
    """Update the tracker with a row's labels; rename a group when its level 1 prints late."""
    for n, label in enumerate(labels):
        found = level_of(label)
        nxt = labels[n + 1] if n + 1 < len(labels) else None
        if found is None:
            tracker.set_unknown_level1(label, nxt or "")
            continue
        level = found[0]
        name = clean_label(label)
        if level == 1 and name == "成本指标" and nxt is None and n > 0:
            tracker.set_level2(label)  # 成本指标 in the level-2 position
        elif level == 1 and name == "成本指标" and nxt is None and has_content and tracker.level1 == "产出指标":
            tracker.set_level2(label)
        elif level == 1:
            rename = tracker.set_level1(label)
            if rename is not None:
                for index in tracker.group:
                    drafts[index].level1 = rename
        else:
            tracker.set_level2(label)


def _assign(draft: Draft, columns: list[str], values: list[str]) -> None:
    """Map value cells onto the heading's value columns, in order."""
    target_parts: list[str] = []
    actual_parts: list[str] = []
    for col, raw in zip(columns, values, strict=False):
        if col in _TARGET_PARTS:
            target_parts.append(raw)
        elif col in ("actual_op", "actual", "actual_unit"):
            actual_parts.append(raw)
        elif col == "weight":
            draft.weight = number(raw) if is_number(raw) else None
        elif col == "score":
            draft.score = number(raw) if is_number(raw) else None
        elif col in _TEXT_COLUMNS:
            setattr(draft, col, cell_text(raw) or None)
        elif col == "cause":
            draft.cause = causes(raw)
        elif col.startswith(_TICK) and is_tick(raw):
            _ticked(draft, col.removeprefix(_TICK))
    # a split value is joined as printed: ≥ | 200 | 平方米 -> ≥200平方米
    if target_parts:
        draft.target = cell_text("".join(target_parts))
    if actual_parts:
        draft.actual = cell_text("".join(actual_parts)) or None


# The official monitoring template ticks one column per 偏差原因类型 and per 完成目标可能性 (财预〔2019〕136号).
_TICK = "tick:"
_CHOICES = frozenset({*DEVIATION_CAUSES, *LIKELIHOODS})
_TICKS = frozenset({"√", "✓", "✔", "☑", "●", "■", "v", "V", "是"})


def is_choice_heading(row: Row) -> bool:
    """The second heading row of a ticked monitoring form: only cause types and likelihoods, three or more."""
    cells = [squeeze(c) for c in row.filled]
    return len(cells) >= 3 and all(c in _CHOICES for c in cells)


def is_tick(cell: str) -> bool:
    """A cell marked as chosen (√, ✓, ☑ …)."""
    return squeeze(cell) in _TICKS


def tick_heading(top: Row, sub: Row) -> tuple[list[str], dict[str, int]]:
    """Columns and positions of a heading whose second row names the tick columns (tab-separated rows only).

    A tick column is ``tick:经费保障``; the merged group label above it (偏差原因分析, 完成目标可能性) names
    no column of its own.
    """
    by_index: dict[int, str] = {}
    for index in range(max(len(top.cells), len(sub.cells))):
        above = table_column(top.cells[index]) if index < len(top.cells) else None
        if above is None and index < len(top.cells) and squeeze(top.cells[index]) == "备注":
            above = "remedy"  # the template's last column: what will be done
        below = squeeze(sub.cells[index]) if index < len(sub.cells) else ""
        if below in _CHOICES:
            by_index[index] = _TICK + below
        elif above is not None:
            by_index[index] = above
    positions = {role: index for index, role in sorted(by_index.items(), reverse=True)}
    return list(by_index.values()), positions


def _ticked(draft: Draft, choice: str) -> None:
    """A ticked cause adds to the row's causes, in printed order; a ticked likelihood is the row's answer."""
    if choice in DEVIATION_CAUSES:
        draft.cause = (*(draft.cause or ()), choice)
    else:
        draft.likelihood = choice


def _remarks_as_remedy(row: Row, columns: list[str], positions: dict[str, int]) -> tuple[list[str], dict[str, int]]:
    """On a monitoring form the template's last column, 备注, holds the 纠偏措施; elsewhere 备注 is not read."""
    monitoring = {"forecast", "likelihood"} & set(columns) or any(squeeze(c) == "完成目标可能性" for c in row.filled)
    if not monitoring or "remedy" in columns:
        return columns, positions
    at = next((i for i, c in enumerate(row.cells) if squeeze(c) == "备注"), None)
    if at is None:
        return columns, positions
    return [*columns, "remedy"], {**positions, "remedy": at}


# Columns read as the text printed: 偏差原因分析 and the monitoring form's own.
_TEXT_COLUMNS = ("deviation", "forecast", "likelihood", "remedy")
_CAUSE_SEPARATORS = re.compile(r"[、，,；;/／\s]+")


def causes(cell: str) -> tuple[str, ...] | None:
    """The 偏差原因类型 listed in one cell (``经费保障、人员保障``), in the printed order.

    A word that is not one of the five types is kept here; :func:`read_table` warns about it, with its
    place, and leaves it out.
    """
    words = [w for w in _CAUSE_SEPARATORS.split(squeeze(cell)) if w and w not in ("—", "-", "无")]
    return tuple(words) or None


def _known_choices(draft: Draft, row: Row, problems: Problems) -> None:
    """Keep the five 偏差原因类型 and the three 完成目标可能性 only; any other word is named in a warning."""
    if draft.likelihood is not None and squeeze(draft.likelihood) not in LIKELIHOODS:
        allowed = "、".join(LIKELIHOODS)
        # the value itself as the text: a workbook's warning then points at its cell
        problems.warn(row.number, f"完成目标可能性应为 {allowed} 之一，未读取", draft.likelihood)
        draft.likelihood = None
    elif draft.likelihood is not None:
        draft.likelihood = squeeze(draft.likelihood)
    unknown = [c for c in draft.cause or () if c not in DEVIATION_CAUSES]
    if unknown:
        allowed = "、".join(DEVIATION_CAUSES)
        problems.warn(row.number, f"偏差原因类型应为 {allowed} 之一，未读取", "、".join(unknown))
        draft.cause = tuple(c for c in draft.cause or () if c in DEVIATION_CAUSES) or None


def _value_columns(columns: list[str], kind: Kind) -> list[str]:
    if "name" in columns:
        after = columns[columns.index("name") + 1 :]
        if after:
            return after
    if kind is Kind.TARGET_DECLARATION:
        return ["target"]
    if kind is Kind.TRANSFER_SELF_EVALUATION:
        return ["target", "actual", "deviation"]
    if kind is Kind.MONITORING:
        return ["target", "actual", "forecast", "cause", "deviation", "likelihood", "remedy"]
    return ["target", "actual", "weight", "score", "deviation"]


def _realign(values: list[str], columns: list[str]) -> tuple[list[str], list[str]]:
    """When a shifted row has fewer value cells than columns, keep the numbers under 分值 and 得分.

    A missing cell before 分值 would otherwise shift 分值 into it; the two
    numeric cells found are matched to the weight and score columns, and
    the cells before them to the columns just before 分值 (so a single one
    is read as the 实际完成值, the column nearest to 分值).
    """
    if "weight" not in columns or "score" not in columns or len(values) >= len(columns) - 1:
        return values, columns
    w, s = columns.index("weight"), columns.index("score")
    numeric = [i for i, v in enumerate(values) if is_number(v)]
    if len(numeric) < 2 or abs(w - s) != 1:
        return values, columns
    i = numeric[-2]
    before, after = values[:i], values[i + 2 :]
    lead = [c for c in columns[: min(w, s)]][-len(before) :] if before else []
    tail = columns[max(w, s) + 1 :][: len(after)]
    return [*before, values[i], values[i + 1], *after], [*lead, columns[w], columns[s], *tail]


def _positions(row: Row) -> dict[str, int]:
    """The cell index of each column a heading row names."""
    out: dict[str, int] = {}
    for index, cell in enumerate(row.cells):
        column = table_column(cell)
        if column is not None and column not in out:
            out[column] = index
    return out


# Text columns at a row's end that a row may leave empty, so that its cells stop before them.
_TRAILING = frozenset({"deviation", "forecast", "cause", "likelihood", "remedy"})


def _by_position(row: Row, name_index: int, positions: dict[str, int], columns: list[str]) -> list[str] | None:
    """The value cells of ``row`` read under the heading's columns, empty cells kept, when the row lines up."""
    if positions.get("name") != name_index or any(c not in positions for c in columns):
        return None
    # a row cut short before its last number column did not keep its cells: not aligned
    needed = max((positions[c] for c in columns if c not in _TRAILING and not c.startswith(_TICK)), default=0)
    if len(row.cells) <= needed:
        return None
    return [row.cells[positions[c]] if positions[c] < len(row.cells) else "" for c in columns]


def read_table(rows: list[Row], kind: Kind, problems: Problems, used: Used) -> list[Draft]:
    """Indicator rows from a table whose cells are separated.

    A row whose cells all carry text is read in order under the heading's
    columns (rows shifted by merged cells read right). A row with empty
    value cells is read by position when its name sits under 三级指标, so an
    empty 实际完成值 stays empty instead of pulling 分值 into its place.
    """
    columns: list[str] = []
    positions: dict[str, int] = {}
    tracker = LevelTracker()
    drafts: list[Draft] = []
    after_break = False
    heading: Row | None = None  # the first heading row, while the row under it may still be its second row
    for row in rows:
        if row.blank:
            after_break = True
            continue
        if _is_header(row):
            if not columns:
                columns = header_columns(row)
                positions = _positions(row)
                heading = row
                columns, positions = _remarks_as_remedy(row, columns, positions)
            used.row(row)
            after_break = True  # a repeated heading means a new page
            continue
        if _is_subheading(row):
            # 符号 | 数值 | 单位 under a merged 年度指标值 (or 实际完成值): the heading's second row
            if heading is not None:
                columns, positions = two_row_heading(heading, row)
                heading = None
            used.row(row)
            continue
        if is_choice_heading(row):
            # 经费保障 | 制度保障 | … | 确定能 | 有可能 | 完全不可能 under merged 偏差原因分析 and 完成目标可能性
            if heading is not None and heading.tabbed and row.tabbed:
                columns, positions = tick_heading(heading, row)
                heading = None
            used.row(row)
            continue
        heading = None
        if is_boilerplate(row):
            used.row(row)
            continue
        labels, content = _peel_labels(row.filled)
        apply_labels(labels, tracker, drafts, bool(content))
        used.row(row)
        if not content:
            continue
        if len(content) == 1 and not labels:
            # one lone cell with no level and no value is no indicator row
            problems.warn(row.number, "表格中的单独一段文字未能归入任何指标", row.text.strip())
            continue
        level1, level2 = tracker.current()
        draft = Draft(level1, level2, strip_prefix(cell_text(content[0])), lines=[row.number])
        draft.labelled = bool(labels)
        draft.printed_level1 = any(_is_level1_cell(c) for c in labels)
        draft.after_break = after_break
        after_break = False
        value_cols = _value_columns(columns, kind)
        filled_at = [i for i, c in enumerate(row.cells) if c.strip()]
        name_index = filled_at[len(filled_at) - len(content)]
        aligned = _by_position(row, name_index, positions, value_cols) if len(content) - 1 < len(value_cols) else None
        if aligned is not None:
            values, cols = aligned, value_cols
        else:
            values, cols = _realign(content[1:], value_cols)
        _assign(draft, cols, values)
        _known_choices(draft, row, problems)
        if len(values) > len(cols):
            problems.warn(row.number, "指标行的单元格多于表头的列数，多出的内容未读取", row.text.strip())
        tracker.group.append(len(drafts))
        drafts.append(draft)
    return drafts


def _is_level1_cell(cell: str) -> bool:
    found = level_of(cell)
    return found is None or found[0] == 1  # an unknown label is a misread level 1


# Words by which a 三级指标's name shows the group it belongs to.
_GROUP_WORDS = {
    "时效指标": ("及时", "时效", "时间", "时限", "按时", "响应", "天数", "期限", "进度"),
    "满意度指标": ("满意",),
    "服务对象满意度指标": ("满意",),
    "经济成本指标": ("成本", "节约"),
    "社会成本指标": ("成本", "节约"),
    "成本指标": ("成本", "节约"),
}


def _fits(name: str, label: str | None) -> bool | None:
    words = _GROUP_WORDS.get(label or "")
    if words is None:
        return None
    return any(w in name for w in words)


def adopt_labels_after_break(drafts: list[Draft]) -> None:
    """A row left without labels at the foot of a page may belong to the group printed after the break.

    A merged label cell that spans a page break prints on the next page, so
    the row before the break can belong to the group whose labels open the
    next page (gold 001, P7 and P33) or to the group above it (P30). Only
    a new level 1 after the break raises the question; the row's own name
    answers it: 及时性 is timeliness, 满意度 is satisfaction.
    """
    for i in range(len(drafts) - 1):
        row, nxt = drafts[i], drafts[i + 1]
        if row.labelled or not nxt.after_break or not nxt.printed_level1:
            continue
        if class_of_level1(nxt.level1) == class_of_level1(row.level1):
            continue
        ahead = _fits(row.name, nxt.level2) or _fits(row.name, nxt.level1)
        here = _fits(row.name, row.level2)
        if ahead or here is False:
            row.level1, row.level2 = nxt.level1, nxt.level2


def drop_page_repeats(drafts: list[Draft]) -> list[Draft]:
    """Drop a block of rows that a page break printed twice (kept once)."""
    out: list[Draft] = []
    i = 0
    while i < len(drafts):
        row = drafts[i]
        if row.after_break and out:
            keys = [d.key() for d in out]
            run = 0
            # the longest tail of what was read that the rows from here repeat
            for length in range(len(out), 0, -1):
                if keys[-length:] == [d.key() for d in drafts[i : i + length]]:
                    run = length
                    break
            if run:
                i += run
                continue
        out.append(row)
        i += 1
    return out


def finish(drafts: list[Draft]) -> tuple[Indicator, ...]:
    """The finished indicators of a table."""
    return tuple(d.indicator() for d in drafts)
