"""The XLSX renderer: official layouts with merged cells, borders, widths, number formats and an A4 print setup."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from jixiao.exporters import xlsx
from jixiao.exporters.report import build_report
from tests.exporters.helpers import gold_document, read_back

pytestmark = pytest.mark.shared  # reads ../shared (seeds, gold, corpus): skipped, saying so, where absent


def _workbook(stem: str) -> Any:
    return load_workbook(BytesIO(xlsx.render(build_report(gold_document(stem)))))


def test_summary_sheet_then_one_sheet_per_project() -> None:
    """The 汇总表 comes first, then a sheet per project named after it."""
    wb = _workbook("004")
    assert wb.sheetnames == ["汇总表", "1.信息化运维项目", "2.医疗保险执行情况监督检查费"]
    assert wb["汇总表"]["A1"].value.endswith("项目支出绩效自评汇总表")


def test_form_has_title_merged_cells_and_borders() -> None:
    """Title and year line across the form; merged labels; every cell of the table ruled, covered ones too."""
    ws = _workbook("002")["1.宣传资料服务费"]
    assert ws["A1"].value == "财政项目支出绩效自评表" and ws["A2"].value == "（2024年度）"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:H1" in merged and "C3:H3" in merged  # title, project name
    assert any(r.startswith("A5:A9") for r in merged)  # 项目资金（万元） over its five rows
    # read as stored (read-only mode does not rebuild merged areas): covered cells carry the rule too
    data = xlsx.render(build_report(gold_document("002")))
    stored = load_workbook(BytesIO(data), read_only=True)["1.宣传资料服务费"]
    for row in stored.iter_rows(min_row=3, max_col=8):
        for cell in row:
            assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"


def test_money_is_a_number_with_a_fixed_format() -> None:
    """Money cells are numbers (not text) with two decimals and grouping; rates have their own format."""
    ws = _workbook("000")["1.基金监管工作经费"]
    cells = {c.coordinate: c for row in ws.iter_rows() for c in row}
    executed = next(c for c in cells.values() if c.value == 216212)
    assert executed.data_type == "n" and executed.number_format == "#,##0.00"
    rate = next(c for c in cells.values() if c.number_format == "0.00%")
    assert abs(rate.value - 0.8499) < 1e-12


def test_widths_and_a4_print_setup_fitted_to_width() -> None:
    """Column widths come from the layout; the sheet prints on A4, one page wide."""
    ws = _workbook("003").worksheets[1]
    assert ws.column_dimensions["D"].width == 26
    assert ws.page_setup.paperSize == "9" or ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_area


def test_wrapped_text_gets_room() -> None:
    """A long goal text makes its row taller than a one-line row."""
    ws = _workbook("003").worksheets[1]
    heights = [ws.row_dimensions[r].height or 0 for r in range(3, ws.max_row + 1)]
    assert max(heights) > 3 * min(h for h in heights if h)


def test_user_text_is_never_a_formula() -> None:
    """A project named =HYPERLINK("x") and a value "#N/A" are written as text, never as a formula or error."""
    doc = gold_document("002")
    p = doc.projects[0]
    ind = replace(p.indicators[0], actual="#N/A", deviation="+1 偏差")
    hostile = replace(p, name='=HYPERLINK("x")', unit="@SUM(A1)", indicators=(ind, *p.indicators[1:]))
    data = xlsx.render(build_report(replace(doc, projects=(hostile,))))
    with zipfile.ZipFile(BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = "".join(archive.read(n).decode() for n in sheets)
    assert "<f>" not in xml and "<f " not in xml and 't="e"' not in xml
    ws = load_workbook(BytesIO(data))['1.=HYPERLINK("x")']
    name = ws["C3"]
    assert name.value == '=HYPERLINK("x")' and name.data_type == "s" and name.quotePrefix
    # and it reads back as the same text
    result, _ = read_back(data, "hostile.xlsx")
    assert result.document.projects[0].name == '=HYPERLINK("x")'
    assert result.document.projects[0].indicators[0].actual == "#N/A"


def test_decimal_money_round_trips_exactly() -> None:
    """Money written from Decimal reads back as the same Decimal, never a float's tail."""
    doc = gold_document("004")
    p = doc.projects[0]
    assert p.funds.total is not None
    odd = replace(p, funds=replace(p.funds, total=replace(p.funds.total, executed=Decimal("162.35"))))
    result, _ = read_back(xlsx.render(build_report(replace(doc, projects=(odd,)))), "odd.xlsx")
    total = result.document.projects[0].funds.total
    assert total is not None and total.executed == Decimal("162.35")
