"""The OCR test set, made at test time: gold documents printed by the PDF exporter, rasterised, degraded.

Nothing binary is committed: every scan is rendered from a gold document (``../shared/gold``)
by jixiao's own PDF exporter, rasterised with pdfium at a chosen resolution, optionally degraded
the way real scans are (skew, a page turned sideways, JPEG artefacts, salt-and-pepper noise, a
red seal stamped over a column), and wrapped into an image-only PDF. The suite uses a few pages;
``benchmarks/bench_ocr.py`` uses the whole set.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from jixiao.core.serialize import dumps
from jixiao.documents.result import ImportResult
from jixiao.exporters import pdf
from jixiao.exporters.report import build_report
from tests.exporters.helpers import gold_document, gold_path
from tests.shared import score

Image = Any  # a PIL image


def printed(stem: str) -> bytes:
    """The gold document of a seed as the PDF exporter prints it (built-in CID font: same on every machine)."""
    return pdf.render(build_report(gold_document(stem)), font="cid")


def rasterise(data: bytes, dpi: int) -> list[Image]:
    """Every page of a PDF as an RGB image at ``dpi``."""
    return list(pages_of(data, dpi))


def pages_of(data: bytes, dpi: int) -> Iterator[Image]:
    """The pages of a PDF as RGB images at ``dpi``, one at a time (a long document never held whole)."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(data)
    try:
        for i in range(len(doc)):
            page = doc[i]
            yield page.render(scale=dpi / 72).to_pil().convert("RGB")
            page.close()
    finally:
        doc.close()


def image_pdf(pages: Iterable[Image], dpi: int) -> bytes:
    """An image-only PDF (no text layer), one page per image, lossless, at ``dpi``."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    sheet = canvas.Canvas(buffer)
    for image in pages:
        width, height = image.width * 72 / dpi, image.height * 72 / dpi
        sheet.setPageSize((width, height))
        sheet.drawImage(ImageReader(image), 0, 0, width, height)
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


# -- degradations ------------------------------------------------------------------


def skew(image: Image, degrees: float) -> Image:
    """The page turned by a few degrees, as fed crooked into a scanner."""
    return image.rotate(degrees, resample=3, expand=False, fillcolor=(255, 255, 255))


def sideways(image: Image) -> Image:
    """The page scanned a quarter turn off (landscape)."""
    return image.rotate(90, expand=True)


def jpeg(image: Image, quality: int = 40) -> Image:
    """The page saved as a JPEG of the given quality and decoded again."""
    from PIL import Image as PILImage

    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return PILImage.open(BytesIO(buffer.getvalue())).convert("RGB")


def salt(image: Image, share: float = 0.01, seed: int = 7) -> Image:
    """Salt-and-pepper noise: ``share`` of the pixels turned black or white at random."""
    import numpy as np
    from PIL import Image as PILImage

    pixels = np.array(image)
    rng = np.random.default_rng(seed)
    hit = rng.random(pixels.shape[:2]) < share
    colour = rng.random(pixels.shape[:2]) < 0.5
    pixels[hit & colour] = 0
    pixels[hit & ~colour] = 255
    return PILImage.fromarray(pixels)


def seal(image: Image, centre: tuple[float, float] = (0.78, 0.45), diameter_mm: float = 42) -> Image:
    """A red round seal (ring, star, arc of characters' strokes) printed over the page, multiplied like ink."""
    import numpy as np
    from PIL import Image as PILImage
    from PIL import ImageDraw

    dpi = image.width / (210 / 25.4)
    r = diameter_mm / 25.4 * dpi / 2
    cx, cy = centre[0] * image.width, centre[1] * image.height
    stamp = PILImage.new("L", image.size, 0)
    draw = ImageDraw.Draw(stamp)
    width = max(2, int(r / 14))
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=width)
    star = [
        (
            cx + r * 0.3 * math.cos(math.pi / 2 + k * math.pi / 5) * (1 if k % 2 == 0 else 0.4),
            cy - r * 0.3 * math.sin(math.pi / 2 + k * math.pi / 5) * (1 if k % 2 == 0 else 0.4),
        )
        for k in range(10)
    ]
    draw.polygon(star, fill=255)
    for k in range(14):  # the arc of characters, as short thick strokes
        a = math.pi * (0.15 + 0.7 * k / 13)
        x, y = cx - r * 0.72 * math.cos(a), cy - r * 0.72 * math.sin(a)
        draw.rectangle((x - r * 0.06, y - r * 0.06, x + r * 0.06, y + r * 0.06), fill=255)
    alpha = np.array(stamp, dtype=np.float32)[:, :, None] / 255 * 0.85
    ink = np.array([205, 30, 35], dtype=np.float32) / 255
    pixels = np.array(image, dtype=np.float32)
    out = pixels * (1 - alpha) + pixels * ink * alpha  # red ink multiplies what is under it
    return PILImage.fromarray(out.clip(0, 255).astype(np.uint8))


def without_borders(image: Image) -> Image:
    """The page with its ruling lines whitened: a form printed without borders (read by alignment)."""
    import cv2
    import numpy as np
    from PIL import Image as PILImage

    pixels = np.array(image)
    ink = (cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY) < 128).astype(np.uint8)
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (120, 1)))
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 120)))
    pixels[cv2.dilate(np.maximum(across, down), np.ones((5, 5), np.uint8)) > 0] = 255
    return PILImage.fromarray(pixels)


@dataclass(frozen=True)
class Variant:
    """One way of making a scan: resolution and what is done to each page (by page index)."""

    name: str
    dpi: int
    change: Callable[[int, Image], Image] | None = None


def _combined(i: int, image: Image) -> Image:
    """All degradations in one copy: skew, one page sideways, a seal, noise, JPEG quality 40."""
    image = seal(image)
    image = sideways(image) if i == 1 else skew(image, (1.0, -2.0, 3.0)[i % 3])
    return jpeg(salt(image, 0.005), 40)


VARIANTS = {
    "clean-300": Variant("clean-300", 300),
    "clean-150": Variant("clean-150", 150),
    "skew": Variant("skew", 300, lambda i, im: skew(im, (1.0, -2.0, 3.0)[i % 3])),
    "sideways": Variant("sideways", 300, lambda i, im: sideways(im) if i == 1 else im),
    "jpeg-40": Variant("jpeg-40", 300, lambda i, im: jpeg(im, 40)),
    "salt": Variant("salt", 300, lambda i, im: salt(im, 0.01)),
    "seal": Variant("seal", 300, lambda i, im: seal(im)),
    "combined": Variant("combined", 300, _combined),
    # not a degradation: the same form printed without ruling lines (benchmarks/bench_ocr.py --variants unruled)
    "unruled": Variant("unruled", 300, lambda i, im: without_borders(im)),
}
DEGRADED = ("skew", "sideways", "jpeg-40", "salt", "seal", "combined")


def scan_of(stem: str, variant: Variant) -> bytes:
    """The image-only PDF of a seed's gold document made by ``variant``."""
    change = variant.change or (lambda i, page: page)
    return image_pdf((change(i, page) for i, page in enumerate(pages_of(printed(stem), variant.dpi))), variant.dpi)


def accuracy(stem: str, result: ImportResult) -> tuple[float, list[str]]:
    """Field accuracy of a reading against the seed's gold file (compare_gold.py), and the differences."""
    correct, counted, diffs = score(gold_path(stem), json.loads(dumps(result.document)))
    return correct / counted, diffs


def write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` and return it."""
    path.write_bytes(data)
    return path
