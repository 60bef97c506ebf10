"""Forms written as ``key：value`` text instead of a table (Word reports, web pages).

Some departments publish the self-evaluation as a list: a heading per level
(``（一）产出指标``, ``1.数量指标``), then per indicator ``指标1：name`` and
``年度指标值：…``, ``实际完成值：…``, ``分值：10 得分：10`` and
``偏差原因分析及改进措施：…``, one per line or run together on one line with
``；``. The money block may be prose: ``年初预算数82.00，全年预算数82.00，…``.
"""

from __future__ import annotations

import re

from jixiao.documents.fields import Used
from jixiao.documents.forms import is_boilerplate
from jixiao.documents.levels import LevelTracker
from jixiao.documents.result import Problems
from jixiao.documents.rows import Row, cell_text, is_dash, number
from jixiao.documents.tables import Draft, apply_labels
from jixiao.documents.vocab import level_of, squeeze

# Keys of an indicator block and the field each fills.
INDICATOR_KEYS = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "指标名称": "name",
    "年度指标值": "target",
    "指标值": "target",
    "目标值": "target",
    "实际完成值": "actual",
    "全年实际完成值": "actual",
    "分值": "weight",
    "权重": "weight",
    "得分": "score",
    "偏差原因分析及改进措施": "deviation",
    "偏差原因及改进措施": "deviation",
    "未完成原因和改进措施": "deviation",
}
_NUMBERED = re.compile(r"^指标\s*\d+$")
_HEADING_NUMBER = re.compile(r"^(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[.、．])\s*")
_SEGMENT = re.compile(r"[；;]|\s{2,}|\t")
_FRAME = re.compile(r"^(?:绩效指标(?:完成情况)?|指标完成情况|绩效指标完成情况)[:：]?$")


def _segments(text: str) -> list[str]:
    return [s.strip() for s in _SEGMENT.split(text.strip()) if s.strip()]


def _key_value(segment: str) -> tuple[str, str] | None:
    """``年度指标值：≥12项`` -> (``年度指标值``, ``≥12项``); the key must be a known one or ``指标N``."""
    for sep in ("：", ":"):
        key, found, value = segment.partition(sep)
        if not found:
            continue
        k = squeeze(key)
        if k in INDICATOR_KEYS or _NUMBERED.match(k) or k.startswith("总分"):
            return k, value.strip()
    return None


def is_keyed(rows: list[Row]) -> bool:
    """True when the indicator part is written as ``key：value`` lines."""
    hits = 0
    for row in rows:
        for seg in _segments(row.text):
            kv = _key_value(seg)
            if kv and kv[0] in ("年度指标值", "实际完成值", "指标值"):
                hits += 1
    return hits >= 2


def _heading_label(row: Row) -> str | None:
    """``（一）产出指标`` or ``1.数量指标`` -> the level label, else None."""
    text = _HEADING_NUMBER.sub("", squeeze(row.text)).rstrip(":：")
    return text if level_of(text) is not None else None


def _set(draft: Draft, field: str, value: str) -> None:
    if field in ("weight", "score"):
        setattr(draft, field, number(value))
    elif field == "deviation":
        draft.deviation = None if is_dash(value) or not value else cell_text(value)
    elif field in ("target", "actual"):
        setattr(draft, field, None if is_dash(value) else cell_text(value))
    elif field == "name":
        draft.name = cell_text(value)


def read_keyed(rows: list[Row], problems: Problems, used: Used) -> list[Draft]:
    """Indicator rows from ``key：value`` blocks under level headings."""
    tracker = LevelTracker()
    drafts: list[Draft] = []
    current: Draft | None = None
    for row in rows:
        if row.blank:
            continue
        if is_boilerplate(row) or _FRAME.match(squeeze(row.text)):
            used.row(row)
            continue
        label = _heading_label(row)
        if label is not None:
            apply_labels([label], tracker, drafts, has_content=True)
            used.row(row)
            current = None
            continue
        placed = False
        for seg in _segments(row.text):
            kv = _key_value(seg)
            if kv is None:
                if current is not None and current.deviation and not placed:
                    current.deviation += cell_text(seg)  # a deviation note wrapped onto the next line
                    placed = True
                continue
            key, value = kv
            placed = True
            if _NUMBERED.match(key) or INDICATOR_KEYS.get(key) == "name":
                level1, level2 = tracker.current()
                current = Draft(level1, level2, cell_text(value), lines=[row.number])
                tracker.group.append(len(drafts))
                drafts.append(current)
            elif current is not None and key in INDICATOR_KEYS:
                field = INDICATOR_KEYS[key]
                if field in ("level1", "level2"):
                    apply_labels([value], tracker, drafts, has_content=True)
                    current.level1, current.level2 = tracker.current()
                else:
                    _set(current, field, value)
                current.lines.append(row.number)
        if placed:
            used.row(row)
    return drafts
