"""Indicator rows whose cells ran together: ``监测数据必须合格100%100%10`` back into cells.

Run-together text keeps its labels (the cell stream cuts at them) but loses
the borders between an indicator's own cells. They come back from the
grammar of values and the table's column model: the figures at the end of
the run belong to the numeric columns (年度指标值, 实际完成值, 分值, 得分, in the
model's order), cut where a ``%``, a sign or a unit ends one, and where
digits ran together (``6620``, ``901010010``) by the arithmetic of the row
(:func:`~jixiao.documents.reading.arith.read_fused_figures`). Before them come
the name and, where the model has them, a unit (``…完成率%``), an explanation
(``反映…``) or a qualitative target glued to the name (``…影响长远``).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from functools import cache

from jixiao.documents.reading import grammar
from jixiao.documents.reading.arith import read_fused_figures
from jixiao.documents.reading.cellstream import Cell
from jixiao.documents.reading.columns import TableModel
from jixiao.documents.reading.lexicon import labels_of, lexicon
from jixiao.documents.reading.normal import fold

_NUMERIC = ("target", "actual", "weight", "score")
# The 指标解释 / 绩效标准 column of the templates opens with these words.
_EXPLANATION_STARTS = ("反映", "该指标", "考察", "用于反映")
_VALUE_WORDS = ("不超", "不低于", "不少于", "每")


@cache
def _tail_pattern() -> re.Pattern[str]:
    units = "|".join(re.escape(u) for u in sorted(lexicon().units, key=len, reverse=True))
    value = rf"(?:[≥≤=<>]|二(?=\d))?\d[\d.,]*%?(?:{units})?"
    return re.compile(rf"(?:{value})+$")


@cache
def _value_pattern() -> re.Pattern[str]:
    units = "|".join(re.escape(u) for u in sorted(lexicon().units, key=len, reverse=True))
    return re.compile(rf"(?:[≥≤=<>]|二(?=\d))?\d[\d.,]*%?(?:{units})?")


def _tail_start(norm: str) -> int | None:
    """Where the figures at the end of a run begin (the longest run of figures that ends the text)."""
    pattern = _tail_pattern()
    for i, ch in enumerate(norm):
        if not (ch.isdigit() or ch in "≥≤=<>二"):
            continue
        if i and (norm[i - 1].isdigit() or norm[i - 1] in ".-/"):
            continue  # inside a figure or a range such as 2018-2022
        if pattern.fullmatch(norm, i):
            return i
    return None


def _sub(cell: Cell, start: int, end: int, pinyin_mode: bool, reading: str = "") -> Cell | None:
    f = fold(cell.text, pinyin_mode)
    printed = f.printed_span(start, end).strip()
    if not printed:
        return None
    sub = fold(printed, pinyin_mode)
    column = cell.column + f.offsets[start] if start < len(f.offsets) else cell.column
    return replace(cell, text=printed, norm=sub.norm, column=column, first=False, last=False, reading=reading)


def _after_name(model: TableModel) -> list[str]:
    roles = list(model.roles)
    at = roles.index("name") if "name" in roles else -1
    return [c.role for c in model.columns[at + 1 :] if not (c.kept_apart and c.role != "ignore")]


_CJK = re.compile(r"[\u4e00-\u9fff]")
_BARE_FIGURES = re.compile(r"(?:[≥≤=<>]|二(?=\d))?\d[\d.,]*%?")
_NOT_A_ROW_END = ("年", "月", "日", "底", "前", "内", "以", "至", "左", "多", "余")


def split_rows(cell: Cell, pinyin_mode: bool, units_attached: bool = True) -> list[Cell]:
    """A fused run that holds several indicator rows (``…完成率%901010010国家级…``), cut after each row's figures.

    A row ends where its figures (and their unit) are followed by the next row's name: two or more
    Chinese characters, after a name of its own. Figures inside a name (2018-2022) and dates
    (2023年12月底) end no row.
    """
    norm = cell.norm
    cuts: list[int] = []
    start = 0
    pattern = _value_pattern() if units_attached else _BARE_FIGURES
    for m in pattern.finditer(norm):
        end = m.end()
        before = norm[start : m.start()]
        if m.start() and norm[m.start() - 1] in "-~至/.":
            continue
        if end >= len(norm) - 1 or not _CJK.match(norm[end]) or len(_CJK.findall(before)) < 2:
            continue
        if (
            m.group(0).endswith(_NOT_A_ROW_END)
            or norm[end] in _NOT_A_ROW_END
            or not any(ch.isdigit() for ch in m.group(0))
        ):
            continue
        cuts.append(end)
        start = end
    if not cuts:
        return [cell]
    out: list[Cell] = []
    bounds = [0, *cuts, len(norm)]
    for a, b in itertools.pairwise(bounds):
        sub = _sub(cell, a, b, pinyin_mode)
        if sub is not None:
            out.append(replace(sub, first=a == 0 and cell.first, last=b == len(norm) and cell.last, row_start=a > 0))
    return out


def has_glued_value(cell: Cell) -> bool:
    """A cell of a delimited row that holds a name and its signed target glued (科目调整次数≤10次)."""
    norm = cell.norm
    tail = _tail_start(norm)
    return tail is not None and tail >= 2 and norm[tail] in "≥≤=<>" and not labels_of(norm)


def split_cell(cell: Cell, model: TableModel, pinyin_mode: bool) -> list[Cell]:
    """The cells a fused indicator run holds, in the order of the model's columns."""
    if not labels_of(cell.norm):
        roles = list(model.roles)
        # a unit column printed before the value: the figures carry no unit of their own
        units_attached = not (
            "target_unit" in roles and "target" in roles and roles.index("target_unit") < roles.index("target")
        )
        rows = split_rows(cell, pinyin_mode, units_attached)
        if len(rows) > 1:
            return [part for row in rows for part in _split_one(row, model, pinyin_mode)]
    return _split_one(cell, model, pinyin_mode)


# Complexity over 15, kept: each way a published form runs cells together (a level-2 label, a figure, a unit) is tried
# in order on the same cell, first match wins.
def _split_one(cell: Cell, model: TableModel, pinyin_mode: bool, peel: bool = True) -> list[Cell]:  # noqa: C901
    norm = cell.norm
    if labels_of(norm) or grammar.value_likeness(norm) >= 0.9 or len(norm) < 3:
        return [cell]
    short = next((w for w in lexicon().level2_short if norm.startswith(w) and len(norm) > len(w) + 1), None)
    if peel and short is not None and "level2" in model.roles:
        # a level-2 label printed without its 指标 (服务对象满意度) runs into the name: the vocabulary cuts it
        label, rest = _sub(cell, 0, len(short), pinyin_mode), _sub(cell, len(short), len(norm), pinyin_mode)
        if label is not None and rest is not None:
            return [
                replace(label, first=cell.first, row_start=cell.row_start),
                *_split_one(replace(rest, cont=True), model, pinyin_mode, peel=False),
            ]
    after = _after_name(model)
    numeric = [r for r in after if r in _NUMERIC]
    out: list[Cell] = []
    tail = _tail_start(norm)
    head_end = len(norm) if tail is None else tail
    if tail is not None and tail == 0:
        head_end = 0
    values: list[Cell] = []
    if tail is not None and numeric:
        tokens = [m for m in _value_pattern().finditer(norm, tail) if m.group(0)]
        read = read_fused_figures([m.group(0) for m in tokens], numeric)
        if read is not None:
            figures, chosen = read
            pos = tail
            for fig in figures:
                # the figures are consecutive pieces of the tail; a signed one replaced its printed 2 by ≥
                end = min(pos + len(fig.printed), len(norm))
                note = f"印作「{norm[tail:]}」，按分值、得分与指标值的算术读作「{fig.printed}」" if chosen else ""
                sub = _sub(cell, pos, end, pinyin_mode, note)
                if sub is not None:
                    if fig.signed:
                        sub = replace(sub, text=fig.printed, norm=fig.printed)
                    values.append(sub)
                pos = end
        else:
            head_end = len(norm)
    head = norm[:head_end]
    pieces: list[tuple[int, int]] = [(0, head_end)]
    # a unit column right after the name: the unit ends the head (…完成率%, …面积万亩)
    if after[:1] == ["target_unit"] and tail is not None:
        for unit in sorted(lexicon().units, key=len, reverse=True):
            if head.endswith(unit) and len(head) > len(unit) + 1:
                pieces = [(0, head_end - len(unit)), (head_end - len(unit), head_end)]
                break
    if "ignore" in after:
        for word in _EXPLANATION_STARTS:
            at = head.find(word, 1)
            if at > 1:
                pieces = [(0, at), (at, head_end)]
                break
    if tail is None and "target" in after:
        # a qualitative target glued to the name: the last value word and what follows it
        cut = _qualitative_cut(head)
        if cut is not None:
            pieces = [*pieces[:-1], (pieces[-1][0], cut), (cut, head_end)]
    for a, b in pieces:
        sub = _sub(cell, a, b, pinyin_mode)
        if sub is not None:
            out.append(sub)
    out.extend(values)
    if out:
        out = [replace(c, cont=True, row_start=False) for c in out]
        out[0] = replace(out[0], first=cell.first, row_start=cell.row_start, cont=cell.cont)
        out[-1] = replace(out[-1], last=cell.last)
    return out or [cell]


def _qualitative_cut(head: str) -> int | None:
    best: int | None = None
    for word in (*lexicon().qualitative, *_VALUE_WORDS, *lexicon().comparators):
        at = head.rfind(word)
        if at >= 2 and len(head) - at <= 8 and (best is None or at > best):
            best = at
    return best
