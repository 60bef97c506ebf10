"""The one rule for text in spreadsheets and CSV: nothing a filer types ever runs as a formula."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from jixiao.exporters.safe import csv_text, xlsx_text

STARTS = ["=1+1", "+1", "-1", "@SUM(1+9)*cmd|' /C calc'!A0", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", STARTS)
def test_csv_text_prefixes_every_formula_start(text: str) -> None:
    """Text starting with = + - @ tab or CR gets one apostrophe in front, nothing else changes."""
    assert csv_text(text) == "'" + text


@pytest.mark.parametrize("text", ["业务培训经费", "1+1", "（=1）", "", "#N/A"])
def test_csv_text_leaves_other_text_alone(text: str) -> None:
    """Ordinary text, even with a sign inside it, is written as it is."""
    assert csv_text(text) == text


def test_xlsx_text_is_a_text_cell_with_the_quote_prefix_where_needed() -> None:
    """In a saved workbook the cells are strings (never formulas or errors), the formula-like ones quoted."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("表")
    cells = []
    for text in [*STARTS, "#N/A", "业务培训经费"]:
        cell = WriteOnlyCell(sheet)
        cell.quotePrefix = xlsx_text(cell, text)
        cells.append(cell)
    sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    read = [c for c in next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())]
    assert [c.value for c in read] == [*STARTS, "#N/A", "业务培训经费"]
    assert {c.data_type for c in read} == {"s"}
    assert [c.quotePrefix for c in read] == [True] * len(STARTS) + [False, False]
