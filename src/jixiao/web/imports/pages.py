"""A scanned page as the check page shows it: rendered by the OCR module's own renderer, turned as it was read.

The page is drawn from the kept upload, at most :data:`~jixiao.documents.ocr.pages.MAX_PREVIEW_SIDE`
pixels on its long side, then given the same quarter turns and levelling the reader gave it
(``reading.pages``), so the values' boxes (in points, on the page as read) fall on their cells.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from jixiao.documents.ocr.pages import page_image
from jixiao.documents.safety import MAX_BYTES


def scanned_page_png(path: str | Path, name: str, number: int, frame: dict[str, Any]) -> bytes:
    """Page ``number`` of the scan at ``path`` (named ``name``) as PNG bytes, upright and levelled as read."""
    from PIL import Image

    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    page = page_image(data, name, number)
    image = page.image
    turns = int(frame.get("turned", 0)) % 4
    if turns:  # the reader turned it clockwise; PIL turns counter-clockwise
        image = image.rotate(-90 * turns, expand=True)
    skew = float(frame.get("skew", 0.0))
    if skew:  # levelled about its centre, corners white, as prepare.rotate did
        image = image.rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=(255, 255, 255))
    out = BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
