"""Rows: cleaned source lines split into cells, and the small readers of cell text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from jixiao.documents import fused
from jixiao.documents.markup import clean_line, is_rule, join_cell
from jixiao.documents.text import SourceLine
from jixiao.documents.vocab import squeeze


@dataclass(frozen=True, slots=True)  # one per line of a file of up to 20 MB: no per-object dict
class Row:
    """One cleaned line: its source line number, text, and cells.

    ``tabbed`` rows keep empty cells (they carry column positions); flowing
    rows are split on runs of spaces and have no empty cells.
    """

    number: int
    text: str
    cells: tuple[str, ...]
    tabbed: bool
    indent: int

    # worked out once: the section and table readers ask for them many times per row
    filled_cells: tuple[str, ...] = field(init=False, repr=False, compare=False)
    squeezed: str = field(init=False, repr=False, compare=False)  # the whole row folded, without spaces

    def __post_init__(self) -> None:
        object.__setattr__(self, "filled_cells", tuple(c.strip() for c in self.cells if c.strip()))
        object.__setattr__(self, "squeezed", squeeze(self.text))

    @property
    def filled(self) -> list[str]:
        """The non-empty cells, stripped (a new list each time: callers may change it)."""
        return list(self.filled_cells)

    @property
    def blank(self) -> bool:
        """True for a line with nothing on it."""
        return not self.text.strip()


_COLUMN_GAP = re.compile(r"\S {3,}\S")
_CELL_GAP = re.compile(r" {2,}")


def is_space_aligned(texts: list[str]) -> bool:
    """True for ``pdftotext -layout`` output: columns aligned with runs of spaces.

    Such text separates cells by two or more spaces; plain reading-order
    text uses single spaces, with wider gaps only here and there.
    """
    lines = [t for t in texts if t.strip() and "\t" not in t]
    if len(lines) < 5:
        return False
    wide = sum(1 for t in lines if _COLUMN_GAP.search(t.strip()))
    return wide >= 0.3 * len(lines)


def make_rows(lines: tuple[SourceLine, ...]) -> list[Row]:
    """Clean every source line into a :class:`Row`; rule lines become blank rows.

    Tab-separated lines keep their cells; in space-aligned text runs of two
    or more spaces separate cells; otherwise a line splits at every space.
    """
    texts = [clean_line(line.text) for line in lines]
    if fused.is_fused(texts):
        texts = fused.unfuse(texts)
    aligned = is_space_aligned(texts)
    rows: list[Row] = []
    for line, text in zip(lines, texts, strict=True):
        if is_rule(text):
            text = ""
        indent = len(text) - len(text.lstrip(" "))
        if aligned and "\t" not in text and _CELL_GAP.search(text.strip()):
            text = _CELL_GAP.sub("\t", text.strip())
        tabbed = "\t" in text.strip("\n")
        cells = tuple(c.strip() for c in text.split("\t")) if tabbed else tuple(text.split())
        rows.append(Row(line.number, text, cells, tabbed, indent))
    return rows


_NUMBER = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
_DASHES = frozenset({"—", "-", "－", "–", "─", "/", "——", "--", "无数据"})


def fold(text: str) -> str:
    """NFKC-folded text (full-width digits and signs become ASCII)."""
    return unicodedata.normalize("NFKC", text)


def is_number(cell: str) -> bool:
    """True for a printed amount or rate such as ``216,212``, ``84.99%`` or ``10``."""
    return bool(_NUMBER.match(fold(cell).strip()))


def is_dash(cell: str) -> bool:
    """True for a cell printed as a dash (a value that does not apply)."""
    return fold(cell).strip() in _DASHES or cell.strip() in _DASHES


def number(cell: str) -> Decimal | None:
    """The Decimal of a printed number (commas and a trailing % dropped), or None."""
    text = fold(cell).strip()
    if not text or not _NUMBER.match(text):
        return None  # 1,2345 is no number: the commas must group thousands
    text = text.replace(",", "").rstrip("%")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def cell_text(text: str) -> str:
    """Printed cell text joined as the schema wants it (no line breaks, no spaces)."""
    return join_cell(text)


def width(text: str) -> int:
    """Display width in half-width units: CJK and full-width characters count 2."""
    total = 0
    for ch in text:
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total
