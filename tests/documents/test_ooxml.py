"""What an XLSX or DOCX holds is counted before it is parsed; real workbooks and documents pass the counts."""

from __future__ import annotations

import random
import zipfile
from io import BytesIO

import pytest

from jixiao.core.errors import SourceError
from jixiao.documents import ooxml, xlsx
from jixiao.documents.importer import import_bytes
from tests.hostile import _archive, _workbook_members, xlsx_with_shared_strings


def _sheet(rows: bytes, after: bytes = b"", prefix: bytes = b"") -> bytes:
    p = prefix + b":" if prefix else b""
    ns = (b"xmlns:" + prefix) if prefix else b"xmlns"
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><'
        + p
        + b"worksheet "
        + ns
        + b'="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><'
        + p
        + b"sheetData>"
        + rows
        + b"</"
        + p
        + b"sheetData>"
        + after
        + b"</"
        + p
        + b"worksheet>"
    )


def _workbook(sheet: bytes) -> bytes:
    members = _workbook_members()
    members["xl/worksheets/sheet1.xml"] = sheet
    return _archive(members)


def _counts(data: bytes) -> ooxml.Counts:
    counts = ooxml.Counts()
    with zipfile.ZipFile(BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                ooxml._measure(archive, info, counts, "x.xlsx", ".xlsx")
    return counts


def test_cells_and_strings_are_counted_prefixed_or_not() -> None:
    """Cells written as ``<c>`` and as ``<x:c>`` both count; so do the shared strings."""
    rows = b"".join(
        b'<row r="%d"><c r="A%d"><v>1</v></c><c r="B%d" t="s"><v>0</v></c></row>' % (r, r, r) for r in (1, 2)
    )
    assert _counts(_workbook(_sheet(rows))).cells == 4
    prefixed = rows.replace(b"<row", b"<x:row").replace(b"</row", b"</x:row").replace(b"<c ", b"<x:c ")
    prefixed = prefixed.replace(b"</c>", b"</x:c>").replace(b"<v>", b"<x:v>").replace(b"</v>", b"</x:v>")
    assert _counts(_workbook(_sheet(prefixed, prefix=b"x"))).cells == 4
    assert _counts(xlsx_with_shared_strings(50)).strings == 50


def test_more_shared_strings_than_cells_are_refused() -> None:
    """Five thousand strings for a two-cell sheet are not what Excel or WPS save."""
    with pytest.raises(SourceError, match="共享字符串表有 5000 项以上，而工作表只有 2 个单元格"):
        import_bytes(xlsx_with_shared_strings(5000), "strings.xlsx")
    # a few unused strings, as an editor might leave, are allowed
    with pytest.raises(SourceError, match="无法判断表格种类"):
        import_bytes(xlsx_with_shared_strings(500), "strings.xlsx")


def test_a_giant_cell_is_refused() -> None:
    """One inline string of 3 MB (Excel holds at most 32,767 characters in a cell) is refused by its size."""
    rnd = random.Random(3)
    text = "".join(rnd.choice("绩效目标申报自评") for _ in range(1_000_000)).encode()
    rows = b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + text + b"</t></is></c></row>"
    with pytest.raises(SourceError, match="超过 2 MB 的单元格或字符串"):
        xlsx.read(_workbook(_sheet(rows)), "giant.xlsx")


def test_a_long_tail_after_the_sheets_data_is_not_a_giant_cell() -> None:
    """Three megabytes of merged cells after the data are not one cell: the watch ends with the data."""
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%d</t></is></c></row>' % (r, r, r) for r in range(1, 4)
    )
    merges = b"".join(b'<mergeCell ref="A%d:B%d"/>' % (n, n) for n in range(1, 120_000))
    sheet = _sheet(rows, after=b'<mergeCells count="119999">' + merges + b"</mergeCells>")
    assert len(sheet) > 3 * ooxml.MB
    (part,) = xlsx.read(_workbook(sheet), "merged.xlsx")
    assert [r.cells[0].text for r in part.rows if r.cells] == ["1", "2", "3"]


def test_a_workbook_of_many_cells_is_refused_after_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the cell limit the workbook is refused, naming the limit."""
    monkeypatch.setattr(ooxml, "MAX_CELLS", 100)
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r) for r in range(1, 200))
    with pytest.raises(SourceError, match="超过 100 个单元格"):
        xlsx.read(_workbook(_sheet(rows)), "cells.xlsx")


def _document(body: bytes) -> bytes:
    from docx import Document

    buffer = BytesIO()
    Document().save(buffer)
    with zipfile.ZipFile(BytesIO(buffer.getvalue())) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members["word/document.xml"] = members["word/document.xml"].replace(b"<w:body>", b"<w:body>" + body, 1)
    return _archive(members)


def test_a_document_of_too_many_elements_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """python-docx parses every part whole: a document past the element limit is refused before it."""
    monkeypatch.setattr(ooxml, "MAX_ELEMENTS", 5_000)
    body = b"".join(b"<w:p><w:r><w:t>%d</w:t></w:r></w:p>" % n for n in range(2_000))
    with pytest.raises(SourceError, match="Word 文件的内容过大"):
        import_bytes(_document(body), "many.docx")


def test_a_document_declaring_too_much_xml_is_refused_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    """The declared sizes of the XML parts suffice to refuse an oversized document."""
    monkeypatch.setattr(ooxml, "MAX_DOCUMENT_XML", 10_000)
    monkeypatch.setattr(ooxml, "_measure", lambda *args: pytest.fail("inflated"))
    with pytest.raises(SourceError, match="Word 文件的内容过大") as info:
        import_bytes(_document(b"<w:p/>" * 10), "big.docx")
    assert "个元素以上" not in info.value.message  # no element was counted
