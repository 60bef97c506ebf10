"""Forms as files: the formats a form is handed out in, and the headers that name the file.

Used by the portal (published forms) and the workspace (any record its reader may see), so a form
downloads the same way, drawn by the same exporters, before and after publication.
"""

from __future__ import annotations

from urllib.parse import quote

from jixiao.exporters.report import Report

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
LABELS = {"xlsx": "Excel", "pdf": "PDF", "docx": "Word"}


def render(report: Report, fmt: str) -> bytes:
    """The report's forms as an XLSX workbook, a PDF (forms only) or a Word file (report and forms)."""
    if fmt == "xlsx":
        from jixiao.exporters import xlsx

        return xlsx.render(report)
    if fmt == "pdf":
        from jixiao.exporters import pdf

        return pdf.render(report, summary=False)
    if fmt == "docx":
        from jixiao.exporters import docx

        return docx.render(report)
    raise ValueError(f"unknown format {fmt!r}")


def attachment(ascii_stem: str, title: str, suffix: str) -> str:
    """A Content-Disposition: an ASCII name for old clients and the Chinese title (RFC 6266) for the rest."""
    return f"attachment; filename=\"{ascii_stem}.{suffix}\"; filename*=UTF-8''{quote(title)}.{suffix}"
