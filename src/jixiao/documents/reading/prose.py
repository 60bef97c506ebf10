"""Indicators published as prose: ``数量指标：…种植数量(≥**株)>=17600株；种植作物成活率(≥**%)>=85；``.

Some notices restate the target table in sentences (the table itself is an
attachment that was not published): a level label and a colon, then the
indicators separated by ``；`` or ``。`` (or ``，`` after a value), each one a
name (template residue such as ``(≥**株)`` included) followed by its target,
which starts at the last comparison sign outside the template's brackets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from jixiao.documents.markup import join_cell
from jixiao.documents.reading.cellstream import Cell
from jixiao.documents.reading.lexicon import LEVEL1, LEVEL2, class_name, label_of, labels_of, lexicon
from jixiao.documents.reading.normal import fold
from jixiao.documents.reading.provenance import INFERRED, READ, FieldSource
from jixiao.documents.reading.tree import Draft

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[、.]|[(][一二三四五六七八九十\d]+[)])")
_HARD_STOP = re.compile(r"[;。；]")
_SOFT_STOP = re.compile(r"[,，]")
_SIGN = re.compile(r"[≥≤=<>]|大于等于|小于等于|不低于|不少于|不高于|不超过")
_VALUE_END = re.compile(r"[≥≤=<>]\s*\d[\d.]*\S{0,4}$")
_MIN_LABELS = 2  # level labels before a text is taken for an indicator list


def _peel_label(norm: str) -> tuple[str, str | None, int]:
    """(kind, label, length) of a level label opening ``norm`` with its colon or comma, else ('', None, 0)."""
    body = _NUMBERING.sub("", norm)
    skip = len(norm) - len(body)
    lex = lexicon()
    for text in sorted({*lex.level1, *lex.level2}, key=len, reverse=True):
        if body.startswith(text):
            end = skip + len(text)
            while end < len(norm) and norm[end] in ":,，：":
                end += 1
            kind = LEVEL1 if label_of(text, LEVEL1) is not None and label_of(text, LEVEL2) is None else LEVEL2
            if text == "满意度指标" and len(norm) == end:
                kind = LEVEL1
            return kind, text, end
    return "", None, 0


def is_prose_list(cells: Sequence[Cell]) -> int | None:
    """Where a prose indicator list begins (its first level label), when the text has one."""
    found = [
        i
        for i, c in enumerate(cells)
        if (_peel_label(c.norm)[1] is not None and not labels_of(c.norm))
        or (label_of(c.norm, LEVEL2) is not None and c.norm.endswith(":"))
    ]
    return found[0] if len(found) >= _MIN_LABELS else None


def _items(norm: str) -> list[tuple[int, int]]:
    """Spans of the indicators in a sentence list: cut at ; and 。, and at ， after a value."""
    spans: list[tuple[int, int]] = []
    start = 0
    depth = 0
    for i, ch in enumerate(norm):
        depth += ch == "("
        depth -= ch == ")"
        if depth > 0:
            continue
        hard = _HARD_STOP.match(ch)
        soft = _SOFT_STOP.match(ch) and _VALUE_END.search(norm[start:i])
        if hard or soft:
            if i > start:
                spans.append((start, i))
            start = i + 1
    if start < len(norm):
        spans.append((start, len(norm)))
    return spans


def _target_start(norm: str) -> int | None:
    """Where an indicator's target begins: the last sign outside brackets with a figure after it."""
    depth = 0
    best = None
    i = 0
    while i < len(norm):
        ch = norm[i]
        depth += ch == "("
        depth -= ch == ")"
        m = _SIGN.match(norm, i) if depth == 0 and i > 0 else None
        if m is not None and re.match(r"\d", norm[m.end() :]):
            best = i
            i = m.end()
            continue
        i += 1
    return best


def read_prose(cells: Sequence[Cell], start: int, pinyin_mode: bool) -> tuple[list[Draft], int]:
    """The indicators of a prose list from ``cells[start]``; returns them and where the list ends."""
    drafts: list[Draft] = []
    level1 = ""
    l1_source: FieldSource | None = None
    level2: str | None = None
    l2_source: FieldSource | None = None
    j = start
    while j < len(cells):
        cell = cells[j]
        kind, label, end = _peel_label(cell.norm)
        if label is None and (labels_of(cell.norm) or cell.norm.startswith(("附件", "附表"))):
            break
        if label is None and cell.first and j > start and not _NUMBERING.match(cell.norm):
            break  # a line that opens with no level label: the list is over (a signature, a date)
        f = fold(cell.text, pinyin_mode)
        if label is not None:
            src = FieldSource(cell.line, cell.column, READ)
            if kind == LEVEL1:
                level1, l1_source, level2, l2_source = label, src, None, None
            else:
                label_at = f.norm.find(label)
                level2 = join_cell(f.printed_span(label_at, label_at + len(label))) if label_at >= 0 else label
                l2_source = src
                cls = label_of(label, LEVEL2) or label_of(label, LEVEL1)
                if not level1 and cls is not None and class_name(cls.key):
                    level1 = class_name(cls.key) or ""
                    l1_source = FieldSource(cell.line, cell.column, INFERRED, f"一级指标未印出，按「{label}」推断")
        text = cell.norm[end:]
        for a, b in _items(text):
            item = text[a:b].strip(",，:： ")
            if not item:
                continue
            at = _target_start(item)
            lead = len(text[a:b]) - len(text[a:b].lstrip(",，:： "))
            base = end + a + lead
            name_end = base + (at if at is not None else len(item))
            draft = Draft(level1, level2, join_cell(f.printed_span(base, name_end)))
            if at is not None:
                draft.target = join_cell(f.printed_span(name_end, base + len(item)))
                draft.sources["target"] = FieldSource(cell.line, cell.column + f.offsets[name_end], READ)
            draft.sources["name"] = FieldSource(cell.line, cell.column + f.offsets[base], READ)
            if l1_source is not None:
                draft.sources["level1"] = l1_source
            if l2_source is not None:
                draft.sources["level2"] = l2_source
            if draft.name:
                drafts.append(draft)
        j += 1
    return drafts, j
