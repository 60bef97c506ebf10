"""Rows and cells: splitting cleaned lines, reading printed numbers and dashes, display widths, aligned text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.documents.rows import (
    Row,
    cell_text,
    fold,
    is_dash,
    is_number,
    is_space_aligned,
    make_rows,
    number,
    width,
)
from jixiao.documents.text import split_lines


def rows(text: str) -> list[Row]:
    return make_rows(split_lines(text))


@pytest.mark.parametrize(
    "cell, value",
    [
        ("216,212", Decimal("216212")),
        ("1,198,607.35", Decimal("1198607.35")),
        ("84.99%", Decimal("84.99")),
        ("10", Decimal("10")),
        ("0.00", Decimal("0.00")),
        ("-6.20", Decimal("-6.20")),
        (" 96.50 ", Decimal("96.50")),
    ],
)
def test_printed_numbers_are_read(cell: str, value: Decimal) -> None:
    """Amounts with thousands separators, rates with %, signs and padding read as Decimals."""
    assert is_number(cell)
    assert number(cell) == value


def test_printed_precision_is_kept() -> None:
    """``445000.00`` keeps its two decimals (the model keeps printed precision)."""
    assert str(number("445000.00")) == "445000.00"


def test_full_width_digits_are_folded() -> None:
    """Full-width digits and percent sign (``１０.５％``) read like ASCII ones."""
    assert fold("１０.５％") == "10.5%"
    assert is_number("１０.５％")
    assert number("１０.５％") == Decimal("10.5")


@pytest.mark.parametrize("cell", ["10分", "1.", "3.14.15", "≥90%", "", "N/A", "1e5", "约10"])
def test_text_is_not_a_number(cell: str) -> None:
    """Cells with units, comparison signs, words or malformed digits are not numbers."""
    assert not is_number(cell)
    assert number(cell) is None


@pytest.mark.parametrize("cell", ["—", "－", "-", "–", "/", "——", "--", "无数据", " — "])
def test_dashes_mean_not_applicable(cell: str) -> None:
    """Every dash form (em, full-width, hyphen, en, slash, double) and 无数据 is a dash, not a number."""
    assert is_dash(cell)
    assert not is_number(cell)
    assert number(cell) is None


@pytest.mark.parametrize("cell", ["0", "0.00", "无", "-5", ""])
def test_zero_and_words_are_not_dashes(cell: str) -> None:
    """A printed zero, a negative number, 无 and an empty cell are not dashes."""
    assert not is_dash(cell)


def test_width_counts_cjk_and_full_width_as_two() -> None:
    """Display width: ASCII 1, CJK characters and full-width forms 2."""
    assert width("abc") == 3
    assert width("项目") == 4
    assert width("（万元）") == 8
    assert width("≥90%") == 4


def test_cell_text_joins_a_wrapped_cell() -> None:
    """cell_text removes the line breaks and spaces of a wrapped cell."""
    assert cell_text("应急演练参演单位到位\n率") == "应急演练参演单位到位率"


def test_tab_rows_keep_their_empty_cells() -> None:
    """A tab-separated line keeps empty cells in ``cells``; ``filled`` drops them."""
    (row,) = rows("\t其中：当年财政拨款\t86.40\t\t79.53")
    assert row.tabbed
    assert row.cells == ("", "其中：当年财政拨款", "86.40", "", "79.53")
    assert row.filled == ["其中：当年财政拨款", "86.40", "79.53"]


def test_plain_rows_split_at_every_space() -> None:
    """In reading-order text a line splits at every run of spaces; the NBSP indent is kept as ``indent``."""
    (row,) = rows("\xa0\xa0\xa0\xa0其中：当年财政拨款 412000 365800 331208 —")
    assert not row.tabbed
    assert row.cells == ("其中：当年财政拨款", "412000", "365800", "331208", "—")
    assert row.indent == 4


def test_rule_lines_become_blank_rows() -> None:
    """A Markdown rule inside a table becomes a blank row (a break), keeping its line number."""
    result = rows("满意度指标\t服务对象满意度指标\t信息公开申请人满意度\t≥90%\n-------\t--------\t-----")
    assert result[1].number == 2
    assert result[1].blank


def test_squeezed_row_text_ignores_spaces_and_width() -> None:
    """``squeezed`` folds full-width forms and drops all spaces, for label matching."""
    (row,) = rows("服务对象满意度 指标（１０分）")
    assert row.squeezed == "服务对象满意度指标(10分)"


ALIGNED = """\
项目名称          学前教育普惠性民办幼儿园生均补助
主管部门          成都市温江区教育局                          实施单位      成都市温江区教育局
项目资金（万元）      年初预算数      全年预算数      全年执行数      分值      执行率      得分
  年度资金总额        860.00          842.40          842.40          10        100.00%     10.00
  其中：当年财政拨款  860.00          842.40          842.40          —         —           —
产出指标    数量指标        补助普惠性民办幼儿园数量          10    ≥42所                 42所                10
"""


def test_pdftotext_layout_text_is_space_aligned() -> None:
    """Text whose columns are aligned with runs of spaces is recognised as ``-layout`` output."""
    assert is_space_aligned(ALIGNED.splitlines())


def test_space_aligned_rows_split_on_wide_gaps_only() -> None:
    """In aligned text two or more spaces separate cells, so a cell may hold single spaces."""
    result = rows(ALIGNED + "总分 说明                                             100     99.90\n")
    assert result[1].cells == ("主管部门", "成都市温江区教育局", "实施单位", "成都市温江区教育局")
    assert result[5].cells[-1] == "10"
    assert result[6].cells == ("总分 说明", "100", "99.90")


def test_reading_order_text_is_not_space_aligned() -> None:
    """Plain pdftotext reading order (single spaces, a wide gap here and there) is not aligned."""
    lines = [
        "项目名称 河湖长制工作经费",
        "主管部门 上海市水务局 实施单位 上海市水务局",
        "     年初预算数 全年预算数 全年执行数  分值  执行率 得分",
        "年度资金总额 412000.00 365800.00 331,208 10 90.55% 9.06",
        ">=4次 4 8 8",
        "河湖长制业务培训计划",
    ]
    assert not is_space_aligned(lines)


def test_too_few_lines_are_never_called_aligned() -> None:
    """Fewer than five non-tab lines give no verdict: not aligned."""
    assert not is_space_aligned(ALIGNED.splitlines()[:4])


def test_tab_lines_do_not_count_towards_alignment() -> None:
    """Tab-separated lines are left out when judging whether text is space-aligned."""
    tabbed = ["一级指标\t二级指标\t三级指标"] * 10
    assert not is_space_aligned(tabbed)
