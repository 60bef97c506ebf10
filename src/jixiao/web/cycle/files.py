"""Forms as files: the formats a form is handed out in, and the headers that name the file.

Used by the portal (published forms) and the workspace (any record its reader may see), so a form
downloads the same way, drawn by the same exporters, before and after publication.
"""

from __future__ import annotations

from urllib.parse import quote

from jixiao.exporters.formats import DOWNLOADS
from jixiao.exporters.model import Report

# format -> media type and format -> button label, from the exporters' one table of renderers
FORMATS = {fmt: r.media_type for fmt, r in DOWNLOADS.items()}
LABELS = {fmt: r.label for fmt, r in DOWNLOADS.items()}


def render(report: Report, fmt: str) -> bytes:
    """The report's forms as an XLSX workbook, a PDF (forms only) or a Word file (report and forms)."""
    renderer = DOWNLOADS.get(fmt)
    if renderer is None or renderer.download is None:
        raise ValueError(f"unknown format {fmt!r}")
    return renderer.download(report)


def attachment(ascii_stem: str, title: str, suffix: str) -> str:
    """A Content-Disposition: an ASCII name for old clients and the Chinese title (RFC 6266) for the rest."""
    return f"attachment; filename=\"{ascii_stem}.{suffix}\"; filename*=UTF-8''{quote(title)}.{suffix}"
