"""Hostile files are refused with a clear message, in bounded time and memory, before any parser trusts them."""

from __future__ import annotations

import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook

from jixiao.core.errors import SourceError
from jixiao.documents import safety
from jixiao.documents.importer import import_bytes

SECONDS = 5.0
MEGABYTES = 64


@contextmanager
def bounded() -> Iterator[None]:
    """The block runs within SECONDS and allocates at most MEGABYTES at its peak."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    assert peak < MEGABYTES * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"


def refused(data: bytes, name: str, *words: str) -> SourceError:
    """Import ``data`` as ``name``; it must be refused, naming the file, with ``words`` in the message."""
    with bounded(), pytest.raises(SourceError) as info:
        import_bytes(data, name)
    for word in words:
        assert word in info.value.message, info.value.message
    assert info.value.location.file == name
    return info.value


def _workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "表1"
    ws.append(["项目名称", "测试项目"])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _replace(data: bytes, member: str, content: bytes | Callable[[bytes], bytes]) -> bytes:
    """The archive with one member's content replaced."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == member:
                body = content(body) if callable(content) else content
            dst.writestr(info.filename, body)
    return out.getvalue()


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'.encode() for n in range(1, 10)
    )
    + b"]>"
)


def _with_dtd(body: bytes) -> bytes:
    """An XML part with the entity declarations put in front of its root element."""
    if body.startswith(b"<?xml"):
        body = body.split(b"?>", 1)[1]
    return LAUGHS + body


def test_xlsx_with_an_entity_bomb_is_refused() -> None:
    """An XLSX whose sheet declares a billion-laughs DTD is refused before openpyxl parses it."""
    bomb = _replace(
        _workbook(),
        "xl/worksheets/sheet1.xml",
        lambda body: _with_dtd(body.replace("测试项目".encode(), b"&lol9;")),
    )
    refused(bomb, "bomb.xlsx", "实体")


def test_docx_with_an_entity_bomb_is_refused() -> None:
    """A DOCX whose document part declares entities is refused before python-docx parses it."""
    from docx import Document

    buffer = BytesIO()
    Document().save(buffer)
    bomb = _replace(buffer.getvalue(), "word/document.xml", _with_dtd)
    refused(bomb, "bomb.docx", "实体")


def test_entity_bomb_is_refused_by_openpyxl_too() -> None:
    """Even past the DTD check, openpyxl parses through defusedxml and refuses entities."""
    import openpyxl

    assert openpyxl.DEFUSEDXML is True


def test_zip_bomb_is_refused_from_its_directory() -> None:
    """An XLSX whose sheet inflates a thousandfold is refused from the zip directory, without inflating it."""
    zeros = b"\x00" * (20 * 1024 * 1024)
    bomb = _replace(_workbook(), "xl/worksheets/sheet1.xml", zeros)
    assert len(bomb) < 100_000
    refused(bomb, "bomb.xlsx", "压缩炸弹")


def test_total_uncompressed_size_is_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    """The entries of an archive together may not inflate past the limit."""
    monkeypatch.setattr(safety, "MAX_UNCOMPRESSED", 2_000)
    refused(_workbook(), "big.xlsx", "超过上限")


def test_too_many_zip_entries_are_refused_before_the_directory_is_read() -> None:
    """An archive declaring more entries than any form needs is refused from its end record."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        for n in range(safety.MAX_ZIP_ENTRIES):
            archive.writestr(f"x/{n}", b"")
    refused(out.getvalue(), "many.xlsx", "过多")


def _sheet_xml(rows: bytes, dimension: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="' + dimension + b'"/><sheetData>' + rows + b"</sheetData></worksheet>"
    )


def test_a_sheet_claiming_a_million_rows_is_read_as_it_is() -> None:
    """A <dimension> claiming A1:Z1048576 over three real rows costs nothing: only stored rows are read."""
    from jixiao.documents import xlsx

    rows = b"".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>行{n}</t></is></c></row>'.encode() for n in (1, 2, 3)
    )
    data = _replace(_workbook(), "xl/worksheets/sheet1.xml", _sheet_xml(rows, b"A1:Z1048576"))
    with bounded():
        (part,) = xlsx.read(data, "claim.xlsx")
    assert [r.cells[0].text for r in part.rows if r.cells] == ["行1", "行2", "行3"]


def test_a_sheet_with_a_millionth_row_is_refused_in_bounded_time() -> None:
    """A stored row numbered 1,048,576 is refused when the row limit is reached, not read up to."""
    row = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    data = _replace(_workbook(), "xl/worksheets/sheet1.xml", _sheet_xml(row, b"A1:A1048576"))
    refused(data, "rows.xlsx", f"超过 {safety.MAX_ROWS} 行")


def _pdf_with_stream(stream: bytes) -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>\nstream\n" + stream + b"\nendstream",
    ]
    out = BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def test_pdf_decompression_bomb_is_refused_without_inflating_it() -> None:
    """A PDF whose content stream inflates to 300 MB is measured in steps and refused, never held in memory."""
    squeeze = zlib.compressobj(9)
    chunk = b"\x00" * (1024 * 1024)
    stream = b"".join(squeeze.compress(chunk) for _ in range(300)) + squeeze.flush()
    bomb = _pdf_with_stream(stream)
    assert len(bomb) < 1_000_000
    refused(bomb, "bomb.pdf", "解压炸弹")


def test_pdf_without_a_text_layer_is_refused() -> None:
    """A PDF with no text (a scan) is refused with a hint to use a text PDF."""
    refused(_pdf_with_stream(zlib.compress(b"0 0 m 100 100 l S")), "scan.pdf", "没有文字层")


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("form.xlsx", b"%PDF-1.7\n%binary", ("扩展名是 .xlsx", "PDF")),
        ("form.pdf", b"PK\x03\x04" + b"\x00" * 40, ("扩展名是 .pdf", "压缩包")),
        ("form.txt", b"PK\x03\x04" + b"\x00" * 40, ("扩展名是 .txt", "二进制")),
        ("form.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, ("加密",)),
        ("form.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, ("旧版 Excel", ".xlsx")),
        ("form.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, ("旧版 Word", ".docx")),
        ("form.json", b"%PDF-1.4 not json", ("扩展名是 .json", "PDF")),
    ],
)
def test_content_must_match_the_extension(name: str, data: bytes, words: tuple[str, ...]) -> None:
    """A file whose content is not what its extension says is refused, naming both."""
    refused(data, name, *words)


def test_an_xlsx_that_is_a_word_document_is_refused() -> None:
    """A .xlsx holding a Word document is named for what it is."""
    from docx import Document

    buffer = BytesIO()
    Document().save(buffer)
    refused(buffer.getvalue(), "form.xlsx", "扩展名是 .xlsx", ".docx")


def test_oversized_file_is_refused_before_parsing() -> None:
    """Above 20 MB a file is refused on its size alone."""
    refused(b"PK\x03\x04" + b"\x00" * safety.MAX_BYTES, "huge.xlsx", "过大")


def test_truncated_archive_is_refused() -> None:
    """Half an XLSX is a clear error, not a crash."""
    data = _workbook()
    refused(data[: len(data) // 2], "half.xlsx", "损坏")


def test_deadline_stops_a_slow_read() -> None:
    """A reader past its deadline stops with a time-out message."""
    clock = safety.Deadline("slow.pdf", seconds=0)
    time.sleep(0.01)
    with pytest.raises(SourceError, match="超时"):
        clock.check()


@pytest.mark.shared
def test_pdf_page_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A PDF with more pages than the limit is refused before its pages are read."""
    from jixiao.exporters import pdf
    from jixiao.exporters.report import build_report
    from tests.exporters.helpers import gold_document

    monkeypatch.setattr(safety, "MAX_PAGES", 2)
    data = pdf.render(build_report(gold_document("002")), font="cid")
    refused(data, "many.pdf", "页数过多")
