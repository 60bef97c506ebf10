"""The Chinese font of the PDF forms.

ReportLab embeds TrueType outlines only, so Debian's ``fonts-wqy-zenhei`` (TrueType in a .ttc) is
the font of choice; Noto CJK, the other common Chinese font, has PostScript (CFF) outlines that
ReportLab cannot embed. Where no such font is installed (CI installs only Python packages) the
PDF uses ReportLab's built-in CID font ``STSong-Light``: not embedded, drawn by the viewer's own
宋体, and its text is still extractable, so the forms read back either way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CID_FONT = "STSong-Light"
# Searched in this order. JIXIAO_CJK_FONT names another TrueType file (.ttf or .ttc), or is
# "cid" to use the built-in font even where a TrueType font is installed (as CI sees it).
CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),
)


@dataclass(frozen=True)
class PdfFont:
    """A registered font: the name to use in ReportLab and whether it is embedded."""

    name: str
    embedded: bool
    path: Path | None = None


def find_truetype() -> Path | None:
    """The first installed CJK TrueType font file, or None."""
    custom = os.environ.get("JIXIAO_CJK_FONT")
    if custom == "cid":
        return None
    paths = ([Path(custom)] if custom else []) + list(CANDIDATES)
    return next((p for p in paths if p.is_file()), None)


def register(prefer: str = "auto") -> PdfFont:
    """Register and return the font for the forms.

    ``prefer`` is ``"auto"`` (an installed TrueType font, else the CID font), ``"cid"`` (always the
    built-in ``STSong-Light``) or a path to a TrueType file.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    path: Path | None = None
    if prefer not in ("auto", "cid"):
        path = Path(prefer)
    elif prefer == "auto":
        path = find_truetype()
    if path is not None:
        name = f"jixiao-{path.stem}"
        if name not in pdfmetrics.getRegisteredFontNames():
            # subfontIndex 0: the regular face of a .ttc collection
            pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
        return PdfFont(name, True, path)
    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return PdfFont(CID_FONT, False)
