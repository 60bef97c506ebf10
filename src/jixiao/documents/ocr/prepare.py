"""What a real scan needs before it is read: seals removed, contrast, noise, rotation and skew.

Each step is a pure function on numpy images (OpenCV does the pixel work), so each can be tested
on its own and the order is visible in :func:`clean`:

1. a red seal (公章) is removed by its colour, before the page becomes grey, so the black text
   under it stays (where a seal covers text, the overlap is dark, not red, and is kept);
2. contrast is stretched so the paper is white and the ink black (a grey or yellowed scan);
3. salt-and-pepper noise is removed where the page has it, speck by speck (a median filter over
   the whole page would erase thin lines and strokes); white specks inside strokes do not
   hinder the recogniser and are left;
4. skew is measured from the page's horizontal structure (ruling lines and text lines) by the
   projection-profile method and undone, so ruling lines become straight for :mod:`grid`.

Turning a page scanned sideways or upside down needs the engine's text detector and is done in
:mod:`jixiao.documents.ocr.scan`.
"""

from __future__ import annotations

from typing import Any

MAX_SKEW = 5.0  # degrees; a form scanned more crooked than this is rescanned, not read
_SPECKS_PER_MEGAPIXEL = 600  # tiny blots of ink above which a page is treated as noisy


def remove_red(rgb: Any) -> Any:
    """The page with red ink (seals, red stamps) turned white; black and blue text kept."""
    import numpy as np

    r = rgb[:, :, 0].astype(np.int16)
    g = rgb[:, :, 1].astype(np.int16)
    b = rgb[:, :, 2].astype(np.int16)
    red = (r - np.maximum(g, b) > 50) & (r > 110)
    out = rgb.copy()
    out[red] = 255
    return out


def to_grey(rgb: Any) -> Any:
    """Luminance of an RGB page."""
    import cv2

    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def stretch(grey: Any) -> Any:
    """Contrast stretched between the ink (0.1th percentile) and the paper (90th percentile)."""
    import numpy as np

    # the paper is most of a page, so a high percentile is its colour even on a dense form; the
    # ink is a small share of a sparse page, so only the very darkest pixels stand for it (a
    # higher percentile on a sparse noisy page is noise, and stretching it would blacken it)
    low, high = np.percentile(grey[::2, ::2], (0.1, 90))
    if high - low < 40:  # a blank or nearly blank page: nothing to stretch
        return grey
    scaled = (grey.astype(np.float32) - low) * (255.0 / (high - low))
    return np.clip(scaled, 0, 255).astype(np.uint8)


def denoise(grey: Any) -> Any:
    """Specks (salt-and-pepper noise, also smeared by JPEG) removed; a clean page is returned as is.

    A speck is a blot of ink of at most a few pixels standing alone. A clean page has few (a dot
    of 、 is larger); a noisy one has thousands. Only the specks are whitened: a median filter over
    the whole page would also erase the one-pixel lines and strokes of a 150 dpi scan.
    """
    import cv2
    import numpy as np

    dark = (grey < 160).astype(np.uint8)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    tiny = stats[:, cv2.CC_STAT_AREA] <= 4
    tiny[0] = False  # the background
    if int(tiny.sum()) / (grey.size / 1_000_000) < _SPECKS_PER_MEGAPIXEL:
        return grey
    out = grey.copy()
    out[tiny[labels]] = 255
    return out


def _binary_small(grey: Any, width: int = 900) -> Any:
    import cv2

    scale = width / grey.shape[1]
    small = cv2.resize(grey, (width, max(1, round(grey.shape[0] * scale))), interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def _profile_score(ink: Any, angle: float) -> float:
    import cv2
    import numpy as np

    h, w = ink.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    turned = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
    rows = turned.sum(axis=1, dtype=np.float64)
    # straight lines of ink concentrate in few rows: the sum of squared steps peaks when level
    return float(np.sum(np.diff(rows) ** 2))


def skew_angle(grey: Any) -> float:
    """The rotation (degrees, counter-clockwise positive as OpenCV turns) that levels the page."""
    import numpy as np

    ink = _binary_small(grey)
    if np.count_nonzero(ink) < 100:
        return 0.0
    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5)
    # among equal scores the smallest turn wins: a level page is not turned by a rounding step
    best = max(coarse, key=lambda a: (_profile_score(ink, float(a)), -abs(a)))
    fine = np.round(np.arange(best - 0.5, best + 0.51, 0.05), 2)
    return float(max(fine, key=lambda a: (_profile_score(ink, float(a)), -abs(a))))


def rotate(image: Any, angle: float) -> Any:
    """The image turned by ``angle`` degrees about its centre, the uncovered corners white."""
    import cv2

    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    white = (255, 255, 255) if image.ndim == 3 else 255
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=white)


def deskew(grey: Any) -> tuple[Any, float]:
    """The page levelled, and the angle it was turned by (0 when already level)."""
    angle = skew_angle(grey)
    if abs(angle) < 0.1:  # under a pixel across a 300 dpi form: turning would only blur it
        return grey, 0.0
    return rotate(grey, angle), angle


def clean(rgb: Any) -> tuple[Any, float]:
    """Seal, contrast, noise and skew handled: the grey page ready for the grid and the engine."""
    grey = denoise(stretch(to_grey(remove_red(rgb))))
    return deskew(grey)
