"""Rows of the official indicator table: level-1 and level-2 cells merged over their span."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass
class TreeRow:
    """One table row: the item, plus how many rows its 一级/二级 cells span (0: merged above)."""

    item: Any
    level1: str
    level2: str
    level1_span: int = 0
    level2_span: int = 0
    extra: Any = None


def _levels(item: Any) -> tuple[str, str]:
    source = getattr(item, "indicator", item)  # an evaluation row takes its levels from its indicator
    return getattr(source, "level1", "") or "", getattr(source, "level2", "") or ""


def tree_rows(items: Sequence[Any], extras: Sequence[Any] = ()) -> list[TreeRow]:
    """``items`` with their merged-cell spans, as the printed form merges them."""
    rows = [TreeRow(item, *_levels(item), extra=extras[n] if n < len(extras) else None) for n, item in enumerate(items)]
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and rows[j].level1 == rows[i].level1:
            j += 1
        rows[i].level1_span = j - i
        k = i
        while k < j:
            m = k
            while m < j and rows[m].level2 == rows[k].level2:
                m += 1
            rows[k].level2_span = m - k
            k = m
        i = j
    return rows
