"""Grid rows into indicators: levels carried down over merged cells, targets assembled, filler dropped.

A merged level cell prints once for its group (or, where an extraction lost
it, not at all). The tree keeps the labels in force, infers a level 1 from
its level 2's class where the table has a level-1 column but the label did
not survive (``(50分)`` alone after blank lines), and reads 成本指标 standing
in a level-1 cell under 产出指标 as the older tree's level 2. Every value
keeps where it was printed and how sure the reading is
(:mod:`~jixiao.documents.reading.provenance`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.core.model import DEVIATION_CAUSES, Indicator
from jixiao.documents.markup import join_cell
from jixiao.documents.reading import grammar
from jixiao.documents.reading.cellstream import Cell
from jixiao.documents.reading.columns import TableModel
from jixiao.documents.reading.grid import GridRow
from jixiao.documents.reading.lexicon import LEVEL1, LEVEL2, class_name, label_of, orphan_weight, strip_decorations
from jixiao.documents.reading.normal import fold
from jixiao.documents.reading.provenance import ARITHMETIC, INFERRED, READ, FieldSource


def printed_label(cell: Cell, pinyin_mode: bool) -> str:
    """A label cell as printed, without its decorations: ``产出指标(50分)`` -> 产出指标, 產(chǎn)出指標 kept.

    A label OCR read in scrambled order (出标产指) is no printed text anyone wrote: its label is given.
    """
    f = fold(cell.text, pinyin_mode)
    core, _ = strip_decorations(f.norm)
    found = label_of(f.norm, LEVEL1, LEVEL2)
    if found is not None and found.text != core and sorted(found.text) == sorted(core):
        return found.text
    at = f.norm.find(core)
    if at < 0 or not core:
        return join_cell(cell.text)
    return join_cell(f.printed_span(at, at + len(core)))


def cell_value(cells: list[Cell]) -> str:
    """The text of one column's cells as the schema wants it (joined, no spaces)."""
    return join_cell(" ".join(c.text for c in cells))


def source_of(cells: list[Cell], confidence: str = READ, note: str = "") -> FieldSource:
    """Where a value was printed: its first cell's line and column."""
    first = cells[0]
    reading = next((c.reading for c in cells if c.reading), "")
    return FieldSource(first.line, first.column, ARITHMETIC if reading else confidence, note or reading)


@dataclass
class Draft:
    """An indicator being read, with the source of each field."""

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
    sources: dict[str, FieldSource] = field(default_factory=dict)
    level1_weight: str | None = None  # the points its printed level-1 cell carried

    def indicator(self) -> Indicator:
        """The finished indicator."""
        return Indicator(
            self.level1,
            self.level2,
            self.name,
            self.target or None,
            self.actual or None,
            self.weight,
            self.score,
            self.deviation or None,
            forecast=self.forecast or None,
            cause=self.cause or None,
            likelihood=self.likelihood or None,
            remedy=self.remedy or None,
        )


@dataclass
class Tree:
    """The levels in force while reading down a table."""

    pinyin_mode: bool
    infer_level1: bool  # the table has a level-1 column: a lost label may be inferred from level 2
    level1: str = ""
    level1_source: FieldSource | None = None
    level1_class: str | None = None
    level1_weight: str | None = None
    level2: str | None = None
    level2_source: FieldSource | None = None
    notes: list[tuple[int, str]] = field(default_factory=list)

    def set_level1(self, cell: Cell) -> None:
        found = label_of(cell.norm, LEVEL1)
        if found is None:  # (50分) alone: the label was lost, its points survive
            self.level1, self.level1_class = "", None
            self.level1_weight = orphan_weight(cell.norm)
            self.level1_source = None
        else:
            self.level1 = printed_label(cell, self.pinyin_mode)
            self.level1_class = found.key
            self.level1_weight = found.weight
            self.level1_source = source_of([cell])
        self.level2, self.level2_source = None, None

    def set_level2(self, cell: Cell, level1_in_row: bool) -> None:
        found = label_of(cell.norm, LEVEL2) or label_of(cell.norm, LEVEL1)
        self.level2 = printed_label(cell, self.pinyin_mode)
        self.level2_source = source_of([cell])
        cls = found.key if found is not None else None
        if not self.infer_level1 or cls is None or level1_in_row:
            return
        lost = not self.level1 or self.level1_class is None
        if lost or (self.level1_class != cls and cls != "output" and self.level1_class != "cost"):
            # the level-1 cell did not survive (or the next group's did not): the level 2's class names it
            name = class_name(cls)
            if name is None:
                return
            note = f"一级指标未印出，按二级指标「{self.level2}」推断为「{name}」"
            self.level1, self.level1_class = name, cls
            self.level1_source = FieldSource(cell.line, cell.column, INFERRED, note)
            self.notes.append((cell.line, note))

    def row_labels(self, row: GridRow, model: TableModel) -> None:
        """Apply the level cells of one row."""
        l1 = [c for k, cs in row.cells.items() if model.columns[k].role == "level1" for c in cs]
        l2 = [
            c
            for k, cs in row.cells.items()
            if model.columns[k].role == "level2" and not model.columns[k].kept_apart
            for c in cs
        ]
        if not l2:
            # a long-term twin column printed the level 2 the annual one left empty
            l2 = [c for k, cs in row.cells.items() if model.columns[k].role == "level2" for c in cs]
        for cell in l1[:1]:
            found = label_of(cell.norm, LEVEL1)
            if found is not None and found.text == "成本指标" and not l2 and self.level1_class == "output":
                self.set_level2(cell, level1_in_row=False)  # 成本指标 under 产出指标: the older tree's level 2
                return
            self.set_level1(cell)
        printed_l1 = any(label_of(c.norm, LEVEL1) is not None for c in l1)
        for cell in l2[:1]:
            self.set_level2(cell, level1_in_row=printed_l1)


def drafts_of(rows: list[GridRow], model: TableModel, pinyin_mode: bool) -> tuple[list[Draft], list[Cell], Tree]:
    """Indicators from grid rows; returns them, the cells of rows that are no indicator, and the tree."""
    tree = Tree(pinyin_mode, infer_level1=any(c.role == "level1" and c.heading for c in model.columns))
    roles = list(model.roles)
    unit_first = "target_unit" in roles and "target" in roles and roles.index("target_unit") < roles.index("target")
    drafts: list[Draft] = []
    leftovers: list[Cell] = []
    for row in rows:
        tree.row_labels(row, model)
        by_role: dict[str, list[Cell]] = {}
        for k, cells in sorted(row.cells.items()):
            col = model.columns[k]
            if col.kept_apart or col.role.startswith("proj_"):
                continue
            by_role.setdefault(col.role, []).extend(cells)
        names = by_role.get("name")
        values = [r for r in ("target", "actual", "weight", "score") if r in by_role]
        if not names:
            leftovers.extend(c for r in values for c in by_role[r])
            continue
        name = cell_value(names)
        if grammar.is_filler(fold(name).norm) and not values:
            continue  # template filler row (……, 指标2:)
        draft = Draft(tree.level1, tree.level2, name)
        draft.level1_weight = tree.level1_weight
        if tree.level1_source is not None:
            draft.sources["level1"] = tree.level1_source
        if tree.level2_source is not None:
            draft.sources["level2"] = tree.level2_source
        draft.sources["name"] = source_of(names)
        _values(draft, by_role, unit_first)
        drafts.append(draft)
    return drafts, leftovers, tree


def _values(draft: Draft, by_role: dict[str, list[Cell]], unit_first: bool = False) -> None:
    parts: list[Cell] = []
    # the target is what reads as one: sign, value, unit; a unit column printed before the value
    # is the indicator's unit of measure, not part of the target's text
    for role in ("target_op", "target") if unit_first else ("target_op", "target", "target_unit"):
        for cell in by_role.get(role, []):
            if role == "target_op" and grammar.is_nature(cell.norm):
                continue  # 正向 / 定量: the nature of the target, not its sign
            if role == "target" and grammar.is_dash(cell.norm):
                continue
            parts.append(cell)
    if any(c for c in by_role.get("target", [])) and parts:
        draft.target = "".join(join_cell(c.text) for c in parts)
        draft.sources["target"] = source_of(parts)
    for role in ("actual", "deviation", "forecast", "likelihood", "remedy"):
        cells = [c for c in by_role.get(role, []) if not grammar.is_dash(c.norm)]
        if cells:
            setattr(draft, role, cell_value(cells))
            draft.sources[role] = source_of(cells)
    causes = [c for c in by_role.get("cause", []) if not grammar.is_dash(c.norm)]
    words = tuple(w for c in causes for w in re.split(r"[、,;/]+", c.norm) if w in DEVIATION_CAUSES)
    if words:
        draft.cause = words
        draft.sources["cause"] = source_of(causes)
    for role in ("weight", "score"):
        cells = by_role.get(role, [])
        if cells:
            value = grammar.number(cells[0].norm)
            if value is not None:
                setattr(draft, role, value)
                draft.sources[role] = source_of(cells[:1])
