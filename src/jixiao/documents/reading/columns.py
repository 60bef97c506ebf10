"""The column model of an indicator table, fixed by its heading cells.

A table heading is a run of table-column labels (一级指标, 二级指标, 三级指标,
指标值, 实际完成值, 分值, 得分, …). Its variants are many, and each is folded
into one ordered list of column roles:

* a heading printed on two rows, the upper naming groups and the lower
  their parts (``绩效指标 | 年度指标值 | 实际完成值 …`` over ``一级指标 |
  二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位``): the lower row's parts
  take the places of the upper row's groups;
* a target split in three (指标性质/指标值/度量单位, 符号/数值/单位): three
  columns whose cells are joined into the target;
* paired long-term and annual columns (二级指标(长期) … 指标值(年度)): the
  long-term ones are kept apart, the annual ones read;
* no 三级指标 column (一级指标 | 二级指标 | 绩效标准 | 当年预期实现值, where the
  二级指标 column holds the indicators): the deepest level column holds the names;
* a project's own columns before the indicators (单位名称 | 项目名称 | 预算数 |
  年度目标), in a grid that lists several projects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jixiao.documents.reading.cellstream import Cell
from jixiao.documents.reading.lexicon import TABLE_COLUMN, TABLE_FRAME, label_of

LEVELS = ("level1", "level2")
VALUE_ROLES = ("target", "actual", "weight", "score")
TARGET_PARTS = ("target_op", "target", "target_unit")


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the indicator table: what it holds and the heading it was printed under."""

    role: str
    heading: str
    kept_apart: bool = False  # a long-term twin or a note column: read, but not a field of the indicator


@dataclass(frozen=True)
class TableModel:
    """The columns of one indicator table, and where its heading sits in the cell stream."""

    columns: tuple[Column, ...]
    first: int  # stream index of the first heading cell
    end: int  # stream index just after the heading

    @property
    def roles(self) -> tuple[str, ...]:
        """The role of each column, in printed order."""
        return tuple(c.role for c in self.columns)

    def has(self, role: str) -> bool:
        """True when some column holds ``role``."""
        return role in self.roles


def _role(cell: Cell) -> tuple[str, str | None] | None:
    found = label_of(cell.norm, TABLE_COLUMN)
    if found is None:
        return None
    return found.key, found.period


def heading_at(cells: Sequence[Cell], start: int) -> TableModel | None:
    """The table heading that begins at ``cells[start]``, or None when none does.

    A heading is a run of column labels (table frames such as 绩效指标 may
    stand among them) naming at least two levels, or a level and the name
    column, or the name and a value column.
    """
    if _role(cells[start]) is None:
        return None
    found: list[tuple[str, str | None, Cell]] = []
    i = start
    while i < len(cells):
        cell = cells[i]
        role = _role(cell)
        if role is not None:
            found.append((role[0], role[1], cell))
        elif label_of(cell.norm, TABLE_FRAME) is None:
            break
        i += 1
    roles = [r for r, _, _ in found]
    levels = sum(r in LEVELS for r in roles)
    if not (levels >= 2 or (levels and "name" in roles) or ("name" in roles and any(r in VALUE_ROLES for r in roles))):
        return None
    return TableModel(_fold(found), start, i)


def _fold(found: list[tuple[str, str | None, Cell]]) -> tuple[Column, ...]:
    """The printed headings folded into one ordered list of columns (see the module docstring)."""
    columns = [Column(role, cell.text, kept_apart=period == "长期" or role == "ignore") for role, period, cell in found]
    roles = [c.role for c in columns]
    first_level = next((i for i, r in enumerate(roles) if r in (*LEVELS, "name")), None)
    if first_level is not None and any(r in VALUE_ROLES for r in roles[:first_level]):
        # two heading rows: the upper names value groups, the lower the levels and the target's parts
        upper, lower = columns[:first_level], columns[first_level:]
        lower_roles = [c.role for c in lower]
        name_at = lower_roles.index("name") if "name" in lower_roles else len(lower) - 1
        parts = [c for c in lower[name_at + 1 :] if c.role in TARGET_PARTS]
        merged = list(lower[: name_at + 1])
        for col in upper:
            if col.role == "target" and parts:
                merged.extend(parts)
                parts = []
            else:
                merged.append(col)
        merged.extend(parts)
        columns = merged
    roles = [c.role for c in columns if not c.kept_apart]
    if "name" not in roles:
        # no 三级指标: the deepest level column holds the indicators, the one above it their level 2
        annual = [i for i, c in enumerate(columns) if c.role in LEVELS and not c.kept_apart]
        if annual:
            deepest = annual[-1]
            columns[deepest] = Column("name", columns[deepest].heading)
            if len(annual) > 1:
                columns[annual[-2]] = Column("level2", columns[annual[-2]].heading)
    roles = [c.role for c in columns]
    if not {"weight", "score"} & set(roles) and "actual" in roles:
        # no 分值 or 得分 heading, yet rows may carry one figure more (a 自评得分 column printed elsewhere)
        columns.append(Column("score", "", kept_apart=False))
        roles.append("score")
    if "level2" in roles and "level1" not in roles and not any(r == "name" for r in roles[: roles.index("level2")]):
        # a table whose heading starts at 二级指标 still prints its level-1 labels at the left
        columns.insert(roles.index("level2"), Column("level1", "", kept_apart=False))
    return tuple(columns)


# The columns a table prints in the standard templates when its heading did not survive, by kind.
STANDARD = {
    "target_declaration": ("level1", "level2", "name", "target", "weight"),
    "self_evaluation": ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation"),
    "transfer_self_evaluation": ("level1", "level2", "name", "target", "actual", "deviation"),
    "department_self_evaluation": ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation"),
    "department_declaration": ("level1", "level2", "name", "target", "weight"),
    "monitoring": (
        "level1",
        "level2",
        "name",
        "target",
        "actual",
        "forecast",
        "cause",
        "deviation",
        "likelihood",
        "remedy",
    ),
}


def standard_model(kind: str, at: int) -> TableModel:
    """The column model of a table whose heading was cut off or never printed: the template's columns."""
    return TableModel(tuple(Column(role, "（标准列）") for role in STANDARD[kind]), at, at)
