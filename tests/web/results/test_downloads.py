"""The 结果应用情况 files opened and read back: every format prints the page's numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest

from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context
from jixiao.web.results import services
from tests.web.results.helpers import evaluated

pytestmark = pytest.mark.django_db


def test_report_files_print_the_tables_numbers(tree: Any, people: dict[str, Any], login: Any) -> None:
    """Two decided, one pending: PDF, Word, Excel and CSV each hold every row and the totals the page shows."""
    poor = evaluated(people, tree.unit_a1, "unit_a1", "差等项目", "差", budget="1234567.89")
    fair = evaluated(people, tree.unit_a1, "unit_a1", "中等项目", "中", budget="200000.05")
    evaluated(people, tree.unit_a2, "unit_a2", "良等项目", "良", budget="80000.00")
    evaluated(people, tree.unit_b1, "unit_b1", "教育项目", "优")  # another department: filtered out
    finance = Context(user=people["finance"])
    services.decide(finance, poor, "change", Decimal("0"), "停止实施")
    services.decide(finance, fair, "accept")
    client = login(people["finance"])
    query = {"year": "2025", "department": str(tree.dept_a.pk)}
    page = client.get("/work/results/", query).content.decode()
    rows = [
        # in project-name order, the columns of SummaryRow.cells()
        ["中等项目", "中", "71.50", "200,000.05", "压减 10%", "180,000.05", "同意建议", "180,000.05", "-20,000.00"],
        ["差等项目", "差", "36.50", "1,234,567.89", "削减或取消 50%", "617,283.95", "调整", "0.00", "-1,234,567.89"],
        ["良等项目", "良", "89.50", "80,000.00", "维持", "80,000.00", "未决定", "", ""],
    ]
    totals = ["1,514,567.94", "877,284.00", "180,000.05", "-1,254,567.89"]
    for value in totals:
        assert value in page  # the totals line under the table
    pdf = client.get("/work/results/download/pdf/", query)
    assert pdf["Content-Type"] == "application/pdf"
    import pdfplumber

    text = "\n".join(p.extract_text() or "" for p in pdfplumber.open(io.BytesIO(pdf.content)).pages)
    assert "测试市医疗保障局 2025 年度结果应用情况" in text and "教育项目" not in text
    for row in rows:
        assert " ".join(c for c in row if c) in text, row
    # the totals line: its label wraps in its cell, its four amounts read as one line
    assert "合计（3 个项目：良 1 个，中 1 个，差 1 个，1" in text and " ".join(totals) in text
    import docx

    word = docx.Document(io.BytesIO(client.get("/work/results/download/docx/", query).content))
    table = [[c.text for c in r.cells] for r in word.tables[0].rows]
    assert table[1:4] == rows
    assert [table[4][i] for i in (3, 5, 7, 8)] == totals
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get("/work/results/download/xlsx/", query).content))
    sheet = book.worksheets[0]
    values = [[c.value for c in r] for r in sheet.iter_rows(min_row=3, max_row=5)]
    assert [v[0] for v in values] == ["中等项目", "差等项目", "良等项目"]
    assert Decimal(str(values[1][5])) == Decimal("617283.95") and Decimal(str(values[1][3])) == Decimal("1234567.89")
    text_csv = client.get("/work/results/download/csv/", query).content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text_csv)))
    assert lines[2][:6] == ["差等项目", "差", "36.50", "1234567.89", "削减或取消 50%", "617283.95"]
    assert AuditEvent.objects.filter(event="export", detail__what="结果应用情况").count() == 4
