"""A table's cells from the ruling lines of a scanned page.

The lines are found by image morphology: an opening with a long thin kernel keeps only runs of ink
longer than any stroke of a character (the kernel is sized from the page's text height), one pass
across, one down. Each run becomes an edge, and pdfplumber's own table finder turns the edges into
cells and tables, exactly as it does for the vector lines of a PDF with a text layer: a merged
cell comes back whole, the positions it covers empty, and the text pipeline sees the scan the way
it sees that PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in pixels


@dataclass(frozen=True)
class Table:
    """A ruled table: its box and its rows, each a list of cell boxes (None where a merged cell covers)."""

    bbox: Box
    rows: list[list[Box | None]]


def _segments(mask: Any, horizontal: bool) -> list[dict[str, Any]]:
    """Each run of line pixels as a pdfplumber edge."""
    import cv2

    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    edges: list[dict[str, Any]] = []
    for x, y, w, h, _area in stats[1:count]:
        if horizontal:
            mid = y + h / 2
            edges.append(
                {"x0": float(x), "x1": float(x + w), "top": mid, "bottom": mid, "width": float(w), "height": 0.0}
                | {"orientation": "h"}
            )
        else:
            mid = x + w / 2
            edges.append(
                {"x0": mid, "x1": mid, "top": float(y), "bottom": float(y + h), "width": 0.0, "height": float(h)}
                | {"orientation": "v"}
            )
    return edges


def line_masks(grey: Any, text_height: float) -> tuple[Any, Any]:
    """(horizontal, vertical) masks of the ruling lines of a levelled grey page."""
    import cv2

    ink = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    # a stroke of a character is at most about one text height long; a cell's border is longer
    across = max(int(text_height * 2.5), 15)
    down = max(int(text_height * 1.3), 10)
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (across, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, down)))
    # a scanned line is broken by specks and faint toner: close small gaps along it
    horizontal = cv2.morphologyEx(horizontal, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 1)))
    vertical = cv2.morphologyEx(vertical, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 9)))
    return horizontal, vertical


def find_tables(grey: Any, text_height: float, dpi: float) -> tuple[list[Table], Any]:
    """The ruled tables of a page, top to bottom, and the mask of their lines (to erase before OCR)."""
    import numpy as np
    from pdfplumber.table import Table as PlumberTable
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    horizontal, vertical = line_masks(grey, text_height)
    edges = _segments(horizontal, True) + _segments(vertical, False)
    tolerance = 3.5 * dpi / 72  # the 3 points pdfplumber allows in a PDF, in pixels, with room for scan wobble
    edges = merge_edges(edges, tolerance, tolerance, tolerance, tolerance)
    cells = intersections_to_cells(edges_to_intersections(edges, tolerance, tolerance))
    tables: list[Table] = []
    for group in cells_to_tables(cells):
        found = PlumberTable(None, group)  # type: ignore[arg-type]  # rows need no page; only text extraction does
        rows = [list(row.cells) for row in found.rows]
        x0, top, x1, bottom = found.bbox
        # a lone box (a seal's frame, a signature box) is not a form table
        if len(rows) < 2 or (x1 - x0) < 10 * text_height:
            continue
        tables.append(Table((x0, top, x1, bottom), rows))
    tables.sort(key=lambda t: t.bbox[1])
    return tables, np.maximum(horizontal, vertical)
