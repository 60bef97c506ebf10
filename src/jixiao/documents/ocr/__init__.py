"""Scanned forms: image-only PDFs, page images and images in Word files, read by OCR.

The entry point is :func:`read_scan`; :func:`scan_pages` decides whether a file is a scan. The
pipeline, one module a step: :mod:`pages` (page images, bounded), :mod:`prepare` (seals, contrast,
noise, skew), :mod:`scan` (orientation, grid, recognition), :mod:`grid` (ruling lines to cells),
:mod:`layout` (text into cells or aligned columns), :mod:`reading` (the text pipeline, boxes and
confidence), :mod:`confidence` (the form's arithmetic as evidence), :mod:`engine` (RapidOCR).

Nothing of the OCR extra (numpy, OpenCV, RapidOCR) is imported until a scan is actually read, so
jixiao without the extra reads every other file as before, and says how to install it for a scan.
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.documents.ocr.pages import IMAGE_SUFFIXES, PageImage, docx_images, docx_pages, image_pages, is_scanned_pdf
from jixiao.documents.ocr.reading import Progress, read_pages
from jixiao.documents.result import ImportResult

__all__ = ["IMAGE_SUFFIXES", "Progress", "read_scan", "scan_pages"]


def scan_pages(data: bytes, name: str, suffix: str, has_form: bool = False) -> Iterator[PageImage] | None:
    """The pages to recognise when the file is a scan, else None (it has text to read).

    An image file is always a scan; a PDF when no page has a usable text layer; a Word file when
    its text holds no form (``has_form`` false) but its body has images.
    """
    from jixiao.documents.ocr.pages import pdf_pages

    if suffix in IMAGE_SUFFIXES:
        return image_pages(data, name)
    if suffix == ".pdf" and is_scanned_pdf(data, name):
        return pdf_pages(data, name)
    if suffix == ".docx" and not has_form and docx_images(data, name):
        return docx_pages(data, name)
    return None


def read_scan(pages: Iterator[PageImage], name: str, progress: Progress | None = None) -> ImportResult:
    """Recognise the pages of a scan and read its forms (see :func:`reading.read_pages`)."""
    return read_pages(pages, name, progress)
