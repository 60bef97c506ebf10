"""One scanned page, from pixels to placed rows: orientation, cleaning, grid, recognition, layout.

The order matters. Orientation comes first, from the text detector alone on a small copy of the
page (cheap): text lines wider than tall mean the page is upright or upside down, and the
engine's orientation model tells which. Then the page is cleaned (:mod:`prepare`), the ruling
lines found (:mod:`grid`), and the whole page is recognised once. The borders are left in
place: erased, they let the detector run the texts of two neighbouring cells into one line.
Finally the boxes are placed in cells (:mod:`layout`).
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median
from typing import Any

from jixiao.documents.ocr import grid, layout, prepare
from jixiao.documents.ocr.engine import Engine, TextBox

_SMALL = 1100  # pixels on the long side of the copy used to find the page's orientation


@dataclass(frozen=True)
class PageReading:
    """A recognised page: its rows in reading order, the pixel size of a point, and what was done to it."""

    rows: list[layout.PlacedRow]
    points_per_pixel: float
    turned: int  # quarter turns (clockwise) applied to stand the page upright
    skew: float  # degrees the page was levelled by
    tables: int
    boxes: int
    size: tuple[int, int] = (0, 0)  # width and height in pixels, upright and levelled


def _small(rgb: Any) -> tuple[Any, float]:
    import cv2

    scale = _SMALL / max(rgb.shape[:2])
    if scale >= 1:
        return rgb, 1.0
    size = (round(rgb.shape[1] * scale), round(rgb.shape[0] * scale))
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA), scale


def _long_side_horizontal(boxes: list[tuple[float, float, float, float]]) -> bool | None:
    """True when the text lines run across the page, False when down, None when there are too few to say."""
    across = sum(x1 - x0 for x0, t, x1, b in boxes if (x1 - x0) > 2 * (b - t))
    down = sum(b - t for x0, t, x1, b in boxes if (b - t) > 2 * (x1 - x0))
    if across + down == 0:
        return None
    return across >= down


def orient(rgb: Any, engine: Engine) -> tuple[Any, int, float]:
    """The page stood upright (quarter turns clockwise applied) and the median text-line height in pixels."""
    import numpy as np

    small, scale = _small(rgb)
    boxes = engine.detect(small)
    turns = 0
    if _long_side_horizontal(boxes) is False:
        turns = 1
        small = np.ascontiguousarray(np.rot90(small, k=-1))
        boxes = engine.detect(small)
    wide = sorted((b for b in boxes if (b[2] - b[0]) > 2 * (b[3] - b[1])), key=lambda b: b[0] - b[2])[:9]
    if wide and engine.upside_down(small, wide) > 0.5:
        turns += 2
    if turns:
        rgb = np.ascontiguousarray(np.rot90(rgb, k=-turns))
    heights = [b[3] - b[1] for b in boxes if (b[2] - b[0]) > (b[3] - b[1])]
    height = median(heights) / scale if heights else 40.0 * max(rgb.shape[:2]) / 3508
    return rgb, turns % 4, height


def read_page(rgb: Any, dpi: float, engine: Engine) -> PageReading:
    """Recognise one page (an RGB numpy array at ``dpi``) into rows of placed cells."""
    import cv2

    rgb, turns, text_height = orient(rgb, engine)
    grey, skew = prepare.clean(rgb)
    tables, _ = grid.find_tables(grey, text_height, dpi)
    boxes = engine.recognise(cv2.cvtColor(grey, cv2.COLOR_GRAY2RGB))
    rows: list[layout.PlacedRow] = []
    left: list[TextBox] = boxes
    for n, table in enumerate(tables, start=1):
        placed, left = layout.table_rows(table, left, n)
        rows.extend(placed)
    if tables:
        rows.extend(layout.text_lines(left))
    else:
        rows.extend(layout.aligned_rows(left, grey.shape[1]))
    rows.sort(key=lambda r: (r.top, r.table, r.row))
    size = (int(grey.shape[1]), int(grey.shape[0]))
    return PageReading(rows, 72 / dpi, turns, skew, len(tables), len(boxes), size)
