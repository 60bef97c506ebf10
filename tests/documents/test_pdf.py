"""The PDF reader: ruled tables cell by cell with merged cells whole, text around them by line, every cell's page."""

from __future__ import annotations

from io import BytesIO

import pytest

from jixiao.core.errors import SourceError
from jixiao.documents import pdf
from jixiao.documents.importer import import_bytes


def _pdf(pages: int = 1) -> bytes:
    """A small PDF in the built-in Chinese font: a title line and a ruled table with merged cells on each page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("t", fontName="STSong-Light", fontSize=10, leading=13)
    story: list[object] = []
    for n in range(pages):
        data = [
            ["项目名称", "", f"测试项目{n + 1}"],
            ["项目资金", "年度资金总额", "445,000.00"],
            ["", "其他资金", "0.00"],
        ]
        table = Table(data, colWidths=[80, 120, 200])
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                    ("FONT", (0, 0), (-1, -1), "STSong-Light"),
                    ("SPAN", (0, 0), (1, 0)),
                    ("SPAN", (0, 1), (0, 2)),
                ]
            )
        )
        if n:
            story.append(PageBreak())
        story += [Paragraph("财政项目支出绩效自评表", style), table, Paragraph("- 1 -", style)]
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(story)
    return buffer.getvalue()


def test_table_cells_come_back_with_merged_cells_whole() -> None:
    """The title is a line; the table's merged cells are read once, at their first position, with page and cell."""
    (page,) = pdf.read(_pdf(), "t.pdf")
    rows = [[c.text if c else None for c in r.cells] for r in page.rows]
    assert rows[0] == ["财政项目支出绩效自评表"]
    assert rows[1] == ["项目名称", None, "测试项目1"]
    assert rows[2] == ["项目资金", "年度资金总额", "445,000.00"]
    assert rows[3] == [None, "其他资金", "0.00"]
    assert rows[-1] == ["- 1 -"]
    cell = page.rows[2].cells[2]
    assert cell is not None and cell.location.page == 1 and cell.location.cell == "表1!C2"


def test_each_page_is_a_part() -> None:
    """A two-page PDF gives two parts, the second with its page number on every cell."""
    parts = pdf.read(_pdf(2), "t.pdf")
    assert [p.name for p in parts] == ["第1页", "第2页"]
    cell = parts[1].rows[1].cells[2]
    assert cell is not None and cell.text == "测试项目2" and cell.location.page == 2


def test_a_pdf_that_is_no_form_is_refused() -> None:
    """A PDF with text but no 项目名称 label is refused as holding no project."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("STSong-Light", 12)
    page.drawString(72, 720, "会议纪要")
    page.save()
    with pytest.raises(SourceError, match="没有找到任何项目"):
        import_bytes(buffer.getvalue(), "memo.pdf")


def test_a_broken_pdf_is_a_clear_error() -> None:
    """A PDF cut in half is refused with a message, not a parser crash."""
    data = _pdf()
    with pytest.raises(SourceError, match="PDF"):
        import_bytes(data[: len(data) // 3], "half.pdf")
