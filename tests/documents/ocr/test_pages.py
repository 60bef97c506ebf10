"""Page sources of scans: what is a scan, and bounds on size and page count before anything is decoded."""

from __future__ import annotations

import struct
import time
import zlib
from io import BytesIO

import pytest

from jixiao.core.errors import SourceError
from jixiao.documents.importer import import_bytes
from jixiao.documents.ocr.pages import MAX_SCAN_PAGES, is_scanned_pdf
from tests.documents.ocr import testset


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _bomb_png(side: int) -> bytes:
    """A PNG whose header claims ``side`` x ``side`` pixels; its data inflates to all of them (zeros)."""
    raw = zlib.compressobj(9)
    row = b"\x00" * (side + 1)
    data = b"".join(raw.compress(row) for _ in range(64)) + raw.flush()  # only the first rows: enough to claim
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def test_a_decompression_bomb_image_is_refused_before_decoding() -> None:
    """A PNG claiming 60000 x 60000 pixels is refused at once, naming the size, without decoding it."""
    data = _bomb_png(60_000)
    assert len(data) < 200_000
    start = time.monotonic()
    with pytest.raises(SourceError, match="解压炸弹") as caught:
        import_bytes(data, "bomb.png")
    assert time.monotonic() - start < 2
    assert "60000×60000" in caught.value.message and caught.value.location.file == "bomb.png"


def test_an_image_file_that_is_no_image_is_refused() -> None:
    """A .jpg that holds text is refused with a message naming the formats that can be read."""
    with pytest.raises(SourceError, match="PNG、JPEG 或 TIFF"):
        import_bytes("项目名称\t某项目\n".encode(), "form.jpg")


@pytest.mark.shared
def test_a_scan_with_too_many_pages_is_refused_before_any_is_read() -> None:
    """An image-only PDF over the page limit is refused up front, naming the count and the limit."""
    from PIL import Image

    tiny = Image.new("RGB", (20, 28), "white")
    data = testset.image_pdf([tiny] * (MAX_SCAN_PAGES + 1), 10)
    assert is_scanned_pdf(data, "long.pdf")
    start = time.monotonic()
    with pytest.raises(SourceError, match=f"{MAX_SCAN_PAGES + 1} 页，上限 {MAX_SCAN_PAGES} 页"):
        import_bytes(data, "long.pdf")
    assert time.monotonic() - start < 10


@pytest.mark.shared
def test_a_pdf_with_a_text_layer_is_not_a_scan() -> None:
    """The exporter's own PDF (text layer) goes to the text reader; its rasterised copy is a scan."""
    printed = testset.printed("003")
    assert not is_scanned_pdf(printed, "003.pdf")
    assert is_scanned_pdf(testset.image_pdf(testset.rasterise(printed, 50), 50), "003-scan.pdf")


def test_a_pdf_with_little_text_and_no_picture_is_not_a_scan() -> None:
    """A PDF with a few characters and no image is a (short) text PDF, left to the text reader."""
    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.drawString(72, 720, "memo")
    sheet.save()
    assert not is_scanned_pdf(buffer.getvalue(), "memo.pdf")


def test_a_scan_of_many_full_colour_pages_is_checked_a_page_at_a_time() -> None:
    """Eight A4 pages at 300 dpi in Flate-coded colour (208 MB decoded) are a scan, checked one picture at a time.

    Every stream is decoded through the bounded decoders before pdfium sees the file; a picture checked is let
    go, so the check holds one page, and a scan is not refused for the sum of its pages.
    """
    import tracemalloc

    from PIL import Image, ImageDraw

    from jixiao.documents.ocr.pages import pdf_pages

    pages = []
    for k in range(8):  # distinct pages (a PDF writer stores one copy of a repeated picture)
        page = Image.new("RGB", (2480, 3508), "white")
        ImageDraw.Draw(page).rectangle((200 + 100 * k, 300, 400 + 100 * k, 500), fill=(0, 0, 0))
        pages.append(page)
    data = testset.image_pdf(pages, 300)
    tracemalloc.start()
    try:
        assert is_scanned_pdf(data, "eight.pdf")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * 2**20  # one page (26 MB) and its pieces, not the eight
    rendered = [(p.number, p.total, round(p.image.width, -1), round(p.image.height, -1)) for p in pdf_pages(data, "x")]
    assert rendered == [(k, 8, 2480, 3510) for k in range(1, 9)]
