"""The PDF renderer: the forms as published, A4, a Chinese font (embedded TrueType or the built-in CID font)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest

from jixiao.core.model import Indicator
from jixiao.exporters import fonts, pdf
from jixiao.exporters.report import build_report
from tests.exporters.helpers import gold_document, read_back

pytestmark = pytest.mark.shared  # reads ../shared (seeds, gold, corpus): skipped, saying so, where absent


def test_without_a_truetype_font_the_builtin_cid_font_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where no CJK TrueType font is installed, the PDF uses STSong-Light and its text still extracts."""
    monkeypatch.setattr(fonts, "CANDIDATES", ())
    monkeypatch.delenv("JIXIAO_CJK_FONT", raising=False)
    chosen = fonts.register("auto")
    assert chosen.name == fonts.CID_FONT and not chosen.embedded
    data = pdf.render(build_report(gold_document("004")), font="auto")
    with pdfplumber.open(BytesIO(data)) as doc:
        text = doc.pages[1].extract_text()
    assert "财政项目支出绩效自评表" in text and "信息化运维项目" in text


def test_an_installed_truetype_font_is_embedded(monkeypatch: pytest.MonkeyPatch) -> None:
    """JIXIAO_CJK_FONT or an installed wqy font is registered as an embedded TrueType font."""
    path = fonts.find_truetype()
    if path is None:  # no CJK TrueType font on this machine: the name of a missing one is refused
        monkeypatch.setenv("JIXIAO_CJK_FONT", "/nonexistent/font.ttf")
        monkeypatch.setattr(fonts, "CANDIDATES", ())
        assert fonts.find_truetype() is None
        return
    monkeypatch.setenv("JIXIAO_CJK_FONT", str(path))
    chosen = fonts.register("auto")
    assert chosen.embedded and chosen.path == Path(path)
    data = pdf.render(build_report(gold_document("003")), font=str(path))
    assert b"/FontFile2" in data  # the TrueType outlines are in the file


def test_pages_are_a4_with_title_year_and_page_numbers() -> None:
    """Each form starts a page with its title and year; pages are A4 and numbered."""
    data = pdf.render(build_report(gold_document("002")), font="cid")
    with pdfplumber.open(BytesIO(data)) as doc:
        assert len(doc.pages) == 9  # the 汇总表, then eight one-page forms
        page = doc.pages[1]
        assert round(page.width) == 595 and round(page.height) == 842
        lines = page.extract_text().splitlines()
    assert lines[0] == "财政项目支出绩效自评表" and lines[1] == "（2024年度）"
    assert lines[-1] == "- 2 -"


def test_a_long_form_runs_over_pages_and_reads_back_whole() -> None:
    """A form with 60 indicators runs over several pages; its side labels repeat and every row reads back."""
    doc = gold_document("000")
    p = doc.projects[0]
    many = tuple(
        Indicator(
            "产出指标",
            "数量指标",
            f"培训计划完成次数之{n}",
            "≥1次",
            "1",
            Decimal("1"),
            Decimal("1"),
            "因疫情防控原因改为线上方式开展。" * (n % 3),
        )
        for n in range(60)
    )
    long = replace(p, indicators=many)
    data = pdf.render(build_report(replace(doc, projects=(long,))), font="cid")
    with pdfplumber.open(BytesIO(data)) as pages:
        assert len(pages.pages) >= 4
        later = pages.pages[2].extract_text()
    assert "培训计划完成次数" in later and "产出指标" in later  # the merged label printed again after the break
    result, _ = read_back(data, "long.pdf")
    back = result.document.projects[0]
    assert [i.name for i in back.indicators] == [i.name for i in many]
    assert all(i.level1 == "产出指标" and i.level2 == "数量指标" for i in back.indicators)
