"""Raw cells: what the XLSX, DOCX and PDF readers hand over, before any reading of the forms.

A reader turns a file into :class:`Part` s (a sheet, a page, a document body), each a list of
:class:`RawRow` s in reading order. A row holds its cells by column, ``None`` where nothing is
printed (an empty cell, or one covered by a merged cell, whose text stays in its top-left cell),
and every cell knows where it sits. Nothing here knows about performance forms.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.core.errors import Location


@dataclass(frozen=True)
class RawCell:
    """The printed text of one cell (line breaks kept) and its place."""

    text: str
    location: Location


@dataclass(frozen=True)
class RawRow:
    """One table row or one line of text, cells by column position."""

    cells: tuple[RawCell | None, ...]
    location: Location

    @property
    def filled(self) -> list[RawCell]:
        """The cells that print something."""
        return [c for c in self.cells if c is not None and c.text.strip()]


@dataclass(frozen=True)
class Part:
    """A sheet, a page or a document body: its name and its rows in reading order."""

    name: str
    rows: tuple[RawRow, ...]
