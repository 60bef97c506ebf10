"""Where scanned pages come from: image-only PDFs, page images (PNG, JPEG, TIFF), images in a DOCX.

Pages are produced one at a time (a generator), each released before the next is rendered, so a
long scan is read within the memory of one page. Every source is bounded before it is decoded:
at most :data:`MAX_SCAN_PAGES` pages, and no page larger than :data:`MAX_PIXELS` pixels (an image
whose header claims more is refused without decoding it: the "decompression bomb" of images).
Only Pillow and pypdfium2 are used here, both installed with jixiao itself, so telling a scan
from a text PDF needs no OCR extra.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from jixiao.core.errors import Location, SourceError
from jixiao.documents import pdfstreams, safety

DPI = 300  # A4 at 300 dpi: the resolution OCR needs for 9-point Chinese text, and no more
MAX_PIXELS = 48_000_000  # one page: A3 at 300 dpi is 17.4 million; more is not a scanned form
MAX_SCAN_PAGES = 300  # pages of one scan (a year's forms of a large department fit)
MIN_TEXT_CHARS = 20  # a page with fewer characters in its text layer has no usable text
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"II*\x00": "TIFF", b"MM\x00*": "TIFF"}
_A4_LONG_INCHES = 297 / 25.4


@dataclass
class PageImage:
    """One page to recognise: its number in the source, the image and its resolution."""

    number: int
    image: Any  # a PIL image
    dpi: float
    total: int


def image_kind(data: bytes) -> str | None:
    """``PNG``, ``JPEG`` or ``TIFF`` from the first bytes, or None."""
    return next((kind for magic, kind in _MAGIC.items() if data.startswith(magic)), None)


def _refuse_size(width: int, height: int, where: Location) -> None:
    if width * height > MAX_PIXELS:
        raise SourceError(
            f"图片尺寸过大（{width}×{height} 像素，上限 {MAX_PIXELS // 1_000_000} 百万像素），"
            "不像扫描的表格页，疑似“解压炸弹”，已拒绝",
            where,
        )


def _dpi_of(image: Any) -> float:
    """The image's resolution: as stored, else assumed from an A4 page's long side."""
    stored = image.info.get("dpi")
    if stored and float(stored[0]) >= 72:
        return float(stored[0])
    return float(max(image.size)) / _A4_LONG_INCHES


def _bounded(image: Any, dpi: float) -> tuple[Any, float]:
    """The image in RGB, brought down to :data:`DPI` when scanned finer (OCR gains nothing above it)."""
    image = image.convert("RGB")
    if dpi > DPI * 1.1:
        scale = DPI / dpi
        image = image.resize((round(image.width * scale), round(image.height * scale)))
        dpi = DPI
    return image, dpi


def image_pages(data: bytes, name: str) -> Iterator[PageImage]:
    """The pages of a PNG, JPEG or (multi-page) TIFF file; refuses other content and oversized images."""
    from PIL import Image, ImageSequence

    kind = image_kind(data)
    if kind is None:
        raise SourceError("文件内容不是 PNG、JPEG 或 TIFF 图片，无法识别", Location(file=name))
    if kind == "PNG" and len(data) >= 24:
        # the size a PNG claims is in its first chunk: refuse a bomb before Pillow looks at it
        _refuse_size(int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big"), Location(file=name))
    try:
        image = Image.open(BytesIO(data))  # reads the header only; pixels are decoded on demand
        frames = getattr(image, "n_frames", 1)
    except Image.DecompressionBombError:
        raise SourceError("图片尺寸过大，疑似“解压炸弹”，已拒绝", Location(file=name)) from None
    except Exception as exc:  # Pillow raises many types for a broken image
        raise SourceError(f"图片文件有误，无法读取：{type(exc).__name__}: {exc}"[:300], Location(file=name)) from None
    if frames > MAX_SCAN_PAGES:
        raise SourceError(f"图片页数过多（{frames} 页，上限 {MAX_SCAN_PAGES} 页）", Location(file=name))
    for n, frame in enumerate(ImageSequence.Iterator(image), start=1):
        where = Location(file=name, page=n)
        _refuse_size(frame.width, frame.height, where)
        try:
            page, dpi = _bounded(frame, _dpi_of(frame))
        except Exception as exc:  # truncated or corrupt pixel data
            raise SourceError(f"图片第 {n} 页无法解码：{type(exc).__name__}: {exc}"[:300], where) from None
        yield PageImage(n, page, dpi, frames)


def pdf_text_pages(data: bytes, stop_at_text: bool = False) -> tuple[int, int, int]:
    """(pages, pages with a usable text layer, pages with an image) of a PDF, read with pdfium.

    With ``stop_at_text`` the count stops at the first page with text (enough to say it is no scan).
    """
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    pdf = pypdfium2.PdfDocument(data)
    try:
        count = len(pdf)
        with_text = with_image = 0
        for i in range(min(count, safety.MAX_PAGES)):
            page = pdf[i]
            textpage = page.get_textpage()
            if textpage.count_chars() >= MIN_TEXT_CHARS:
                with_text += 1
            textpage.close()
            if next(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2), None) is not None:
                with_image += 1
            page.close()
            if with_text and stop_at_text:
                break
        return count, with_text, with_image
    finally:
        pdf.close()


def scanned_pdf_pages(data: bytes, name: str) -> int:
    """The pages of the PDF when it is a scan (no usable text layer, pages of pictures), else 0."""
    # pdfium decodes in C with no bound of ours: every stream is first decoded through the bounded decoders
    pdfstreams.check_streams(data, name, MAX_PIXELS)
    try:
        count, with_text, with_image = pdf_text_pages(data, stop_at_text=True)
    except Exception:  # a PDF pdfium cannot open: let the text-layer reader say what is wrong
        return 0
    return count if with_text == 0 and with_image > 0 else 0


def is_scanned_pdf(data: bytes, name: str) -> bool:
    """True when no page of the PDF has a usable text layer but its pages are pictures: read by OCR."""
    return scanned_pdf_pages(data, name) > 0


def image_count(data: bytes) -> int:
    """The pages (frames) of a page image from its headers, no pixel decoded; 0 when it is no image we read."""
    from PIL import Image

    if image_kind(data) is None:
        return 0
    try:
        with Image.open(BytesIO(data)) as image:
            return int(getattr(image, "n_frames", 1))
    except Exception:  # a broken or oversized image: reading it says what is wrong
        return 0


def pdf_pages(data: bytes, name: str, dpi: float = DPI) -> Iterator[PageImage]:
    """Every page of a PDF rendered at ``dpi`` (less for a page so large it would pass :data:`MAX_PIXELS`)."""
    import pypdfium2

    pdfstreams.check_streams(data, name, MAX_PIXELS)  # again: this may be called on a PDF nobody checked
    try:
        pdf = pypdfium2.PdfDocument(data)
    except Exception as exc:  # pdfium's own error for a broken file
        raise SourceError(f"PDF 文件有误，无法读取：{exc}"[:300], Location(file=name)) from None
    try:
        count = len(pdf)
        if count > MAX_SCAN_PAGES:
            raise SourceError(f"扫描件页数过多（{count} 页，上限 {MAX_SCAN_PAGES} 页）", Location(file=name))
        for i in range(count):
            page = pdf[i]
            width, height = page.get_size()
            # a page drawn on a huge canvas is rendered coarser rather than at any memory cost
            scale = min(dpi / 72, (MAX_PIXELS / max(width * height, 1.0)) ** 0.5)
            image = page.render(scale=scale).to_pil().convert("RGB")
            page.close()
            yield PageImage(i + 1, image, scale * 72, count)
    finally:
        pdf.close()


_EMBED = re.compile(rb'r:embed="([^"]+)"')
_REL = re.compile(rb"<Relationship\b[^>]*>")
_ATTR = re.compile(rb'(\w+)="([^"]*)"')


def docx_images(data: bytes, name: str) -> list[bytes]:
    """The images of a Word document's body in the order they appear (logos and icons left out)."""
    safety.check_zip(data, name, ".docx")
    with zipfile.ZipFile(BytesIO(data)) as archive:
        names = set(archive.namelist())
        if "word/_rels/document.xml.rels" not in names:
            return []
        targets: dict[bytes, str] = {}
        for rel in _REL.findall(archive.read("word/_rels/document.xml.rels")):
            attrs = dict(_ATTR.findall(rel))
            if attrs.get(b"Id") and attrs.get(b"Target"):
                targets[attrs[b"Id"]] = "word/" + attrs[b"Target"].decode("utf-8", "replace").lstrip("/")
        body = archive.read("word/document.xml")
        images: list[bytes] = []
        seen: set[str] = set()
        for rid in _EMBED.findall(body):
            member = targets.get(rid)
            if member is None or member in seen or member not in names:
                continue
            seen.add(member)
            blob = archive.read(member)
            if image_kind(blob) is not None and len(blob) > 4096:  # a form page is never a few kilobytes
                images.append(blob)
            if len(images) > MAX_SCAN_PAGES:
                raise SourceError(f"Word 文件中的图片过多（上限 {MAX_SCAN_PAGES} 张）", Location(file=name))
        return images


def docx_pages(data: bytes, name: str) -> Iterator[PageImage]:
    """The images of a Word document as pages, numbered in the order they appear."""
    images = docx_images(data, name)
    for n, blob in enumerate(images, start=1):
        for page in image_pages(blob, f"{name}（第{n}张图片）"):
            yield PageImage(n, page.image, page.dpi, len(images))


PREVIEW_DPI = 100  # a page shown beside its reading: enough to read 9-point text on screen
MAX_PREVIEW_SIDE = 1600  # pixels on the long side of a page shown in the web


def page_image(data: bytes, name: str, number: int, dpi: float = PREVIEW_DPI) -> PageImage:
    """Page ``number`` of a scan as it is read (:func:`pdf_pages`, :func:`image_pages`, :func:`docx_pages`),
    for showing beside its reading: a PDF renders that page alone, at ``dpi``; no side past
    :data:`MAX_PREVIEW_SIDE` pixels. Refused like a scan (:class:`SourceError`) when there is no such page.
    """
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == ".pdf":
        import pypdfium2

        pdfstreams.check_streams(data, name, MAX_PIXELS)  # pdfium decodes in C: the bounded decoders first
        try:
            pdf = pypdfium2.PdfDocument(data)
        except Exception as exc:
            raise SourceError(f"PDF 文件有误，无法读取：{exc}"[:300], Location(file=name)) from None
        try:
            count = len(pdf)
            if not 1 <= number <= min(count, MAX_SCAN_PAGES):
                raise SourceError(f"没有第 {number} 页", Location(file=name))
            page = pdf[number - 1]
            width, height = page.get_size()
            scale = min(dpi / 72, MAX_PREVIEW_SIDE / max(width, height, 1.0))
            image = page.render(scale=scale).to_pil().convert("RGB")
            page.close()
            return PageImage(number, image, scale * 72, count)
        finally:
            pdf.close()
    pages = docx_pages(data, name) if suffix == ".docx" else image_pages(data, name)
    for page in pages:
        if page.number == number:
            factor = min(1.0, MAX_PREVIEW_SIDE / max(page.image.size))
            if factor < 1.0:
                size = (max(1, round(page.image.width * factor)), max(1, round(page.image.height * factor)))
                page.image = page.image.resize(size)
                page.dpi *= factor
            return page
    raise SourceError(f"没有第 {number} 页", Location(file=name))
