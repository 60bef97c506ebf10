"""Where each value of a reading came from, and how sure the reader is of it.

Three degrees of confidence, in the order a person should check them:

* ``read``: copied from a cell that stood in its column;
* ``arithmetic``: one of several readings of fused or missing cells, chosen
  because the form's own sums support it (the note says which sums);
* ``inferred``: not printed, worked out (a level-1 label from its level 2).

A value without a source was not printed at all.
"""

from __future__ import annotations

from dataclasses import dataclass

READ = "read"
ARITHMETIC = "arithmetic"
INFERRED = "inferred"
CONFIDENCE = (READ, ARITHMETIC, INFERRED)
# What each degree is called where a person reads it (jixiao show, the web preview).
CONFIDENCE_LABELS = {READ: "读自单元格", ARITHMETIC: "按算术选定", INFERRED: "推断"}


@dataclass(frozen=True, slots=True)
class FieldSource:
    """The line and column a value was printed at, how it was read, and why, when it was not simply read."""

    line: int | None
    column: int | None
    confidence: str = READ
    note: str = ""

    @property
    def uncertain(self) -> bool:
        """True for a value a person should check: chosen by arithmetic or inferred."""
        return self.confidence != READ

    def to_json(self) -> dict[str, object]:
        """The JSON object of this source (``reading.fields`` of an import's JSON)."""
        out: dict[str, object] = {"line": self.line, "column": self.column, "confidence": self.confidence}
        if self.note:
            out["note"] = self.note
        return out
