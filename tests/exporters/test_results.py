"""The 结果应用情况 table written by the listing renderers (XLSX, CSV): exact amounts, totals, safe names."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from jixiao.core.results.summary import SummaryInput, SummaryTable, build_summary
from jixiao.core.scoring import load_pack
from jixiao.core.scoring.application import Decision, Outcome, check_decision, propose
from jixiao.exporters.formats import RENDERERS
from jixiao.exporters.results import results_listing


def _table() -> SummaryTable:
    items = []
    for name, score, prior, decision in (
        ('=HYPERLINK("x")', "58", "200000.01", Decision("accept")),
        ("营养餐", "92.5", "1000000.00", Decision("change", Decimal("1100000.00"), "扩面")),
        ("教师培训", "75", "333333.33", None),
    ):
        p = propose(Outcome(name, Decimal(score)), load_pack(), prior_budget=Decimal(prior))
        amount = None if decision is None else check_decision(p, decision)
        items.append(SummaryInput("市教育局", 2025, p, amount, "" if decision is None else "同意建议"))
    return build_summary(items)[0]


def test_the_listing_carries_rows_and_totals() -> None:
    """Headings, one row per project with Decimal amounts, a totals line naming grades and undecided projects."""
    listing = results_listing(_table())
    assert listing.title == "市教育局 2025 年度结果应用情况"
    assert [c.label for c in listing.columns][:4] == ["项目", "等级", "得分", "上年预算（元）"]
    assert listing.totals[0] == "合计（3 个项目：优 1 个，中 1 个，差 1 个，1 个未决定）"
    assert listing.totals[3] == Decimal("1533333.34")
    assert listing.totals[7] == Decimal("1200000.01")


def test_xlsx_writes_amounts_to_the_fen_and_names_as_text() -> None:
    """The workbook has the title, the headings, each amount as an exact number and a formula-like name as text."""
    renderer = RENDERERS["xlsx"]
    assert renderer.listing is not None
    sheet = load_workbook(io.BytesIO(renderer.listing(results_listing(_table()))))["结果应用情况"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "市教育局 2025 年度结果应用情况"
    assert values[1][:3] == ["项目", "等级", "得分"]
    first = values[2]
    assert first[0] == '=HYPERLINK("x")' and sheet.cell(3, 1).data_type == "s"
    assert (first[1], first[4], Decimal(str(first[5]))) == ("差", "削减或取消 50%", Decimal("100000.01"))
    assert Decimal(str(values[-1][3])) == Decimal("1533333.34")


def test_csv_writes_exact_decimals() -> None:
    """The CSV line of each project carries the amounts as exact decimal text; undecided cells are empty."""
    renderer = RENDERERS["csv"]
    assert renderer.listing is not None
    text = renderer.listing(results_listing(_table())).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][-1] == "增减（元）"
    teachers = next(r for r in rows if r[0] == "教师培训")
    assert teachers[3:9] == ["333333.33", "压减 10%", "300000.00", "未决定", "", ""]
    assert rows[-1][8] == "0.00"


def test_the_pdf_and_word_reports_print_each_row_as_the_table_does() -> None:
    """Read back, the PDF's lines and the Word table's cells are the summary rows' printed cells, a formula as text."""
    import docx
    import pdfplumber

    from jixiao.exporters import docx as word
    from jixiao.exporters import pdf

    table = _table()
    listing = results_listing(table)
    text = "\n".join(p.extract_text() or "" for p in pdfplumber.open(io.BytesIO(pdf.render_listing(listing))).pages)
    assert text.startswith("市教育局 2025 年度结果应用情况")
    for row in table.rows:
        assert " ".join(c for c in row.cells() if c) in text, row
    cells = [[c.text for c in r.cells] for r in docx.Document(io.BytesIO(word.render_listing(listing))).tables[0].rows]
    assert cells[0] == [c.label for c in listing.columns]
    assert cells[1:4] == [list(row.cells()) for row in table.rows]
    assert cells[4][0] == listing.totals[0] and cells[4][3] == "1,533,333.34" and cells[4][7] == "1,200,000.01"
