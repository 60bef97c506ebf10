"""The reader's confidence in each value of a scan: the form's arithmetic as evidence.

OCR misreads look like valid text: ``16.30`` read as ``10.30`` is a number like any other. But a
form's figures check each other: the execution rate is executed over budget, a score is at most
its weight, the 总分 is the sum of the scores. A value that breaks such a check is marked down, so
the reviewer looks at it first; a value the reader could not place cleanly (a warning at its
cell) likewise. Checks only lower confidence; nothing here changes a value.
"""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.core.model import Document, Project
from jixiao.core.targets import FreeText, parse_target
from jixiao.documents.result import ImportResult

BROKEN_SUM = 0.5  # a figure in a check that does not add up
UNPLACED = 0.6  # a value at a cell the reader warned about
UNREADABLE_TARGET = 0.7  # a 指标值 with figures that the target grammar cannot read
LOW = 0.8  # below this combined confidence a value is shown as uncertain
_DIGIT = re.compile(r"\d")


def _close(a: Decimal, b: Decimal, tolerance: str) -> bool:
    return abs(a - b) <= Decimal(tolerance)


def _project_doubts(i: int, p: Project) -> dict[str, float]:
    base = f"projects[{i}]"
    doubts: dict[str, float] = {}

    def doubt(paths: list[str], level: float) -> None:
        for path in paths:
            doubts[f"{base}.{path}"] = min(doubts.get(f"{base}.{path}", 1.0), level)

    for key, row in p.funds.rows():
        if row.adjusted and row.executed is not None and row.rate_pct is not None:
            rate = row.executed / row.adjusted * 100
            if not _close(rate, row.rate_pct, "0.06"):
                doubt([f"funds.{key}.executed", f"funds.{key}.adjusted", f"funds.{key}.rate_pct"], BROKEN_SUM)
    e = p.execution
    if e is not None and e.weight is not None and e.score is not None and e.score > e.weight:
        doubt(["execution.weight", "execution.score"], BROKEN_SUM)
    for k, ind in enumerate(p.indicators):
        if ind.weight is not None and ind.score is not None and ind.score > ind.weight:
            doubt([f"indicators[{k}].weight", f"indicators[{k}].score"], BROKEN_SUM)
        for attr in ("target", "actual"):
            value = getattr(ind, attr)
            if value and _DIGIT.search(value) and isinstance(parse_target(value), FreeText):
                doubt([f"indicators[{k}].{attr}"], UNREADABLE_TARGET)
    scores = [ind.score for ind in p.indicators if ind.score is not None]
    if p.total_score is not None and scores:
        total = sum(scores, Decimal(0)) + (e.score if e is not None and e.score is not None else Decimal(0))
        if not _close(total, p.total_score, "0.05"):
            doubt(["total_score"], BROKEN_SUM)
            doubt([f"indicators[{k}].score" for k, ind in enumerate(p.indicators) if ind.score is not None], LOW)
    return doubts


def reader_confidence(document: Document, result: ImportResult) -> dict[str, float]:
    """Path -> the reader's confidence, for the values it has reason to doubt (the rest are 1.0)."""
    doubts: dict[str, float] = {}
    for i, p in enumerate(document.projects):
        doubts.update(_project_doubts(i, p))
    warned = {w.location for w in result.problems}
    for path, where in result.locations.items():
        if where in warned:
            doubts[path] = min(doubts.get(path, 1.0), UNPLACED)
    return doubts
