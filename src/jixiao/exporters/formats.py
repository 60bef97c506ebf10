"""The renderers as one table: each format with its file suffix, its Chinese name and its writer.

The CLI (``jixiao export --to``), the portal and the workspace's downloads and the summary table's
downloads all look a format up here, so a format is added in one place and every caller names and
writes it the same way. The renderer modules import their format libraries only when they draw, so
this table costs nothing to import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jixiao.exporters import csv, docx, pdf, xlsx
from jixiao.exporters.model import Listing, Report


@dataclass(frozen=True)
class Written:
    """What a renderer wrote: the files, and the pages of a PDF (0 for the other formats)."""

    paths: list[Path]
    pages: int = 0


@dataclass(frozen=True)
class Renderer:
    """One output format.

    ``write`` puts the whole export at a path (a folder for the CSV package); ``download`` is the one
    file a web page hands out for a record (None where the format is several files); ``listing``
    draws a :class:`~jixiao.exporters.model.Listing` (None where the format has no such file).
    """

    format: str
    name: str  # the Chinese name, as the CLI's summary line says it: Excel 表格
    label: str  # the short name on a download button: Excel
    suffix: str  # ".xlsx"; "" where the export is a folder
    media_type: str
    write: Callable[[Report, Path], Written]
    download: Callable[[Report], bytes] | None = None
    listing: Callable[[Listing], bytes] | None = None


def _write_xlsx(report: Report, path: Path) -> Written:
    xlsx.write(report, path)
    return Written([path])


def _write_pdf(report: Report, path: Path) -> Written:
    return Written([path], pdf.write(report, path))


def _write_docx(report: Report, path: Path) -> Written:
    docx.write(report, path)
    return Written([path])


def _write_csv(report: Report, folder: Path) -> Written:
    return Written(csv.write(report, folder))


def _pdf_forms(report: Report) -> bytes:
    # a record's download is its forms: the 汇总表 page of a whole file's export would repeat them
    return pdf.render(report, summary=False)


RENDERERS: dict[str, Renderer] = {
    r.format: r
    for r in (
        Renderer(
            "xlsx",
            "Excel 表格",
            "Excel",
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _write_xlsx,
            xlsx.render,
            xlsx.render_listing,
        ),
        Renderer("pdf", "PDF 表格", "PDF", ".pdf", "application/pdf", _write_pdf, _pdf_forms),
        Renderer(
            "docx",
            "Word 报告",
            "Word",
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _write_docx,
            docx.render,
        ),
        Renderer(
            "csv",
            "开放数据（CSV）",
            "CSV",
            "",
            "text/csv; charset=utf-8",
            _write_csv,
            listing=csv.render_listing,
        ),
    )
}

# The formats one record downloads as in the web (one file each), in the order the buttons show them.
DOWNLOADS: dict[str, Renderer] = {f: r for f, r in RENDERERS.items() if r.download is not None}


def renderer(fmt: str) -> Renderer:
    """The renderer of ``fmt``; a format not in the table is a programming error."""
    try:
        return RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}") from None
