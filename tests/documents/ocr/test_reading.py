"""Scans of the gold documents read back through OCR: clean, coarse and degraded, as image PDFs and images.

The reduced set of the suite (seed 003: three pages, one project of 21 indicators, fund rows and
the seven 资金管理情况 rows); ``benchmarks/bench_ocr.py`` reads every seed.
"""

from __future__ import annotations

import socket
import zipfile
from dataclasses import replace
from io import BytesIO
from typing import Any

import pytest

from jixiao.core.errors import SourceError
from jixiao.documents.importer import import_bytes
from jixiao.documents.result import ImportResult
from tests.documents.ocr import testset
from tests.exporters.helpers import gold_document

pytestmark = pytest.mark.ocr
STEM = "003"


@pytest.fixture(scope="module")
def no_network() -> Any:
    """Every socket connection attempt fails the test: OCR must work offline."""
    attempts: list[object] = []
    real = socket.socket.connect

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network is not allowed while reading a scan")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    yield attempts
    socket.socket.connect = real  # type: ignore[method-assign]


def _read(variant: str, no_network: list[object]) -> ImportResult:
    result = import_bytes(testset.scan_of(STEM, testset.VARIANTS[variant]), f"{STEM}-{variant}.pdf")
    assert no_network == []
    return result


@pytest.fixture(scope="module")
def clean(no_network: list[object]) -> ImportResult:
    """Seed 003 printed, rasterised at 300 dpi into an image-only PDF, and read."""
    return _read("clean-300", no_network)


def _same_projects(result: ImportResult) -> None:
    gold = gold_document(STEM)
    assert [p.name for p in result.document.projects] == [p.name for p in gold.projects]
    assert [len(p.indicators) for p in result.document.projects] == [len(p.indicators) for p in gold.projects]


@pytest.mark.shared
def test_a_clean_300_dpi_scan_reads_at_least_97_percent(clean: ImportResult) -> None:
    """An image-only PDF at 300 dpi reads back at least 97% right (compare_gold), every project found."""
    score, diffs = testset.accuracy(STEM, clean)
    assert score >= 0.97, "\n".join(diffs[:20])
    _same_projects(clean)
    assert clean.layout == "scan"


@pytest.mark.shared
def test_every_value_of_a_scan_keeps_its_page_box_and_confidence(clean: ImportResult) -> None:
    """Each value read from a scan has its page, a box on that page and a confidence between 0 and 1."""
    doc = clean.document.projects[0]
    paths = ["projects[0].name", "projects[0].funds.total.adjusted", "projects[0].funds.total.executed"]
    paths += [f"projects[0].indicators[{k}].target" for k in range(len(doc.indicators))]
    missing = [p for p in paths if p not in clean.recognised]
    assert missing == []
    for path in paths:
        r = clean.recognised[path]
        where = clean.locations[path]
        assert r.page == where.page and r.page in (1, 2, 3)
        x0, top, x1, bottom = r.box
        assert 0 <= x0 < x1 <= 596 and 0 <= top < bottom <= 842  # inside an A4 page, in points
        assert 0 < r.confidence <= 1
    # the 2nd indicator's target is printed on page 2, in the 指标值 column of table 1
    target = clean.locations["projects[0].indicators[1].target"]
    assert target.page == 2 and target.cell is not None and target.cell.startswith("表1!E")


@pytest.mark.shared
def test_the_reading_json_of_a_scan_carries_each_values_box_and_each_pages_frame(clean: ImportResult) -> None:
    """What ``jixiao import`` writes (and the web keeps with the job): boxes, confidences, each page's size."""
    import json

    from jixiao.documents.result import reading_json

    reading = json.loads(reading_json(clean))["reading"]
    assert set(reading["recognised"]) == set(clean.recognised)
    name = reading["recognised"]["projects[0].name"]
    assert name["page"] == clean.recognised["projects[0].name"].page
    assert name["box"] == list(clean.recognised["projects[0].name"].box)
    pages = reading["pages"]
    assert [p["page"] for p in pages] == list(range(1, len(pages) + 1))
    for p in pages:  # A4 upright, in points; the test set's clean pages are level
        assert (round(p["width"]), round(p["height"]), p["turned"]) == (596, 842, 0) and abs(p["skew"]) < 0.5


@pytest.mark.shared
def test_a_150_dpi_scan_reads_at_least_90_percent(no_network: list[object]) -> None:
    """A coarse scan (150 dpi) still reads back at least 90% right, every project found."""
    result = _read("clean-150", no_network)
    score, diffs = testset.accuracy(STEM, result)
    assert score >= 0.90, "\n".join(diffs[:20])
    _same_projects(result)


@pytest.mark.shared
def test_a_degraded_scan_reads_at_least_90_percent(no_network: list[object]) -> None:
    """Skewed pages, a page scanned sideways, a red seal, salt noise and JPEG quality 40: at least 90%."""
    result = _read("combined", no_network)
    score, diffs = testset.accuracy(STEM, result)
    assert score >= 0.90, "\n".join(diffs[:20])
    _same_projects(result)


def _page_png(stem: str, page: int, dpi: int = 300) -> bytes:
    image = testset.rasterise(testset.printed(stem), dpi)[page]
    buffer = BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()


@pytest.mark.shared
def test_a_multi_page_tiff_is_read_as_one_scan() -> None:
    """A TIFF with the form's two pages reads the project whole, over the page break."""
    pages = testset.rasterise(testset.printed(STEM), 300)[1:]
    buffer = BytesIO()
    pages[0].save(buffer, format="TIFF", save_all=True, append_images=pages[1:], dpi=(300, 300), compression="tiff_lzw")
    result = import_bytes(buffer.getvalue(), "form.tiff")
    _same_projects(result)
    assert {r.page for r in result.recognised.values()} == {1, 2}


@pytest.mark.shared
def test_a_word_file_of_page_pictures_is_read_by_ocr() -> None:
    """A DOCX whose body is the form's pages pasted as pictures is read through OCR."""
    from docx import Document
    from docx.shared import Mm

    word = Document()
    word.add_paragraph("附件：绩效自评表（扫描件）")
    for page in testset.rasterise(testset.printed(STEM), 200)[1:]:
        buffer = BytesIO()
        page.save(buffer, format="PNG", dpi=(200, 200))
        word.add_picture(BytesIO(buffer.getvalue()), width=Mm(160))
    out = BytesIO()
    word.save(out)
    with zipfile.ZipFile(BytesIO(out.getvalue())) as archive:
        assert sum(n.startswith("word/media/") for n in archive.namelist()) == 2
    result = import_bytes(out.getvalue(), "report.docx")
    _same_projects(result)
    score, diffs = testset.accuracy(STEM, result)
    assert score >= 0.9, "\n".join(diffs[:20])


@pytest.mark.shared
def test_a_picture_that_is_not_a_form_is_a_located_error() -> None:
    """A page of text that is no form gives an error naming the file and page and what was recognised."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=(420, 300))
    sheet.setFont("STSong-Light", 20)
    sheet.drawString(40, 220, "会议纪要")
    sheet.drawString(40, 170, "本周五下午召开全体职工大会。")
    sheet.save()
    page = testset.rasterise(buffer.getvalue(), 200)[0]
    png = BytesIO()
    page.save(png, format="PNG")
    with pytest.raises(SourceError) as caught:
        import_bytes(png.getvalue(), "memo.png")
    error = caught.value
    assert error.location.file == "memo.png" and error.location.page == 1
    assert "会议纪要" in error.message and "项目名称" in error.message


def test_a_blank_picture_says_nothing_was_recognised() -> None:
    """A blank scanned page is refused as holding no text, with its file and page."""
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (1240, 1754), "white").save(buffer, format="JPEG")
    with pytest.raises(SourceError, match="没有识别出任何文字") as caught:
        import_bytes(buffer.getvalue(), "blank.jpg")
    assert caught.value.location.page == 1


@pytest.mark.shared
def test_a_form_without_ruling_lines_is_read_by_alignment() -> None:
    """A form printed without borders is read by its columns' alignment: the project and its first indicators found.

    A floor, not the goal: this path reads well under half of the fields of such a page today
    (figures in right-aligned neighbouring columns run together, a label's value runs on into the
    next label); ruled forms, the published kind, are read by their lines.
    """
    from jixiao.exporters import pdf
    from jixiao.exporters.report import build_report

    gold = gold_document("002")
    doc = replace(gold, projects=gold.projects[:1])
    page = testset.rasterise(pdf.render(build_report(doc), font="cid", summary=False), 300)[0]
    buffer = BytesIO()
    testset.without_borders(page).save(buffer, format="PNG", dpi=(300, 300))
    result = import_bytes(buffer.getvalue(), "unruled.png")
    assert result.layout == "scan"
    read, want = result.document.projects[0], doc.projects[0]
    assert read.name == want.name
    assert (read.department or "").startswith(want.department or "?")
    pairs = [(i.name, i.target) for i in read.indicators[:3]]
    assert pairs == [(i.name, i.target) for i in want.indicators[:3]]
