"""Cleaning extraction markup: HTML, LaTeX, Markdown and odd spaces become plain tab-separated text."""

from __future__ import annotations

import pytest

from jixiao.documents.markup import clean_line, is_rule, join_cell


def test_paragraph_tags_are_removed_from_a_goal() -> None:
    """``<p>`` around a goal is removed and the goal text kept."""
    assert clean_line("\t\t\t<p>围绕绿化市容行业重点工作，组织开展宣传活动不少于6场。</p>").strip() == (
        "围绕绿化市容行业重点工作，组织开展宣传活动不少于6场。"
    )


def test_html_table_cells_become_tab_separated() -> None:
    """``<td>`` cells become tab-separated cells and the row tags disappear."""
    text = clean_line("<tr><td>数量指标</td><td>培训人次</td><td>≥200人次</td></tr>")
    assert [c for c in text.split("\t") if c] == ["数量指标", "培训人次", "≥200人次"]
    assert "<" not in text


def test_inline_html_tags_are_dropped_but_a_less_than_sign_stays() -> None:
    """Formatting tags such as ``<strong>`` go; a ``<`` used as a comparison sign is kept."""
    assert clean_line("<strong>总分</strong>").strip() == "总分"
    assert clean_line("投诉率 < 5%") == "投诉率 < 5%"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("$\\geq 90\\%$", "≥ 90%"),
        ("$= 100.00$ (%)", "= 100.00 (%)"),
        ("$\\leq 2$ 小时", "≤ 2 小时"),
        ("$\\geqslant 5$ 次", "≥ 5 次"),
        ("$\\text{≥}3$场", "≥3场"),
        ("$1\\sim 3$天", "1~ 3天"),
        ("单价 $\\times$ 数量", "单价 × 数量"),
    ],
)
def test_latex_math_becomes_plain_symbols(raw: str, expected: str) -> None:
    """LaTeX comparison signs, percent and text commands become the printed symbols; ``$`` is dropped."""
    assert clean_line(raw) == expected


def test_latex_inside_a_tab_row_keeps_the_cells() -> None:
    """A LaTeX target inside a tab-separated indicator row is cleaned without merging cells."""
    text = clean_line("\t\t质量指标\t信息公开申请依法答复率\t$= 100.00$ (%)\t")
    assert text.split("\t")[2:] == ["质量指标", "信息公开申请依法答复率", "= 100.00 (%)"]


def test_markdown_bold_and_heading_marks_are_removed() -> None:
    """``**bold**`` and ``## heading`` marks are removed from titles and labels."""
    assert clean_line("**中央对地方转移支付区域绩效目标自评表**") == "中央对地方转移支付区域绩效目标自评表"
    assert clean_line("## 财政项目支出绩效自评表") == "财政项目支出绩效自评表"
    assert clean_line("**项目名称**\t社区助餐") == "项目名称\t社区助餐"


def test_markdown_pipe_row_becomes_a_tab_row() -> None:
    """A Markdown pipe table row becomes tab-separated cells, trimmed."""
    assert clean_line("| 一级指标 | 二级指标 | 三级指标 |") == "一级指标\t二级指标\t三级指标"


def test_a_pipe_inside_ordinary_text_is_kept() -> None:
    """A ``|`` inside prose is not a table row and stays."""
    assert clean_line("系统可用率|响应时间") == "系统可用率|响应时间"


def test_odd_spaces_become_plain_spaces_and_invisibles_vanish() -> None:
    """NBSP and the ideographic space become spaces; zero-width characters and stray BOMs are removed."""
    assert clean_line("项目\xa0名称\u3000社区助餐") == "项目 名称 社区助餐"
    assert clean_line("助\u200b餐\ufeff点") == "助餐点"


def test_trailing_space_is_removed_and_indent_kept() -> None:
    """A cleaned line loses its trailing spaces but keeps its leading indent (pdftotext columns)."""
    assert (
        clean_line("    其中：当年财政拨款 412000 365800 331208 —   ")
        == "    其中：当年财政拨款 412000 365800 331208 —"
    )


@pytest.mark.parametrize("line", ["---", "--\t----", "|---|---|", "| :--- | ---: |", "-------\t---------------"])
def test_table_rules_are_recognised(line: str) -> None:
    """Markdown separator lines, with or without pipes and tabs, are rules."""
    assert is_rule(line)


@pytest.mark.parametrize("line", ["- 7 -", "—— 1 ——", "--", "----合计", "-5.00"])
def test_page_numbers_and_negative_numbers_are_not_rules(line: str) -> None:
    """Page footers, short dashes, text and negative numbers are not rule lines."""
    assert not is_rule(line)


def test_join_cell_removes_line_breaks_and_spaces_between_chinese() -> None:
    """A name broken by the extraction joins without spaces."""
    assert join_cell("河湖长制工作会\n议") == "河湖长制工作会议"
    assert join_cell("≥ 6.00 (场)") == "≥6.00(场)"


def test_join_cell_keeps_one_space_between_latin_words() -> None:
    """Between two Latin words or numbers one space survives; next to Chinese none does."""
    assert join_cell("Windows 10  系统") == "Windows 10系统"
    assert join_cell("购置 DR 设备") == "购置DR设备"


def test_join_cell_of_blank_text_is_empty() -> None:
    """Only white space joins to the empty string."""
    assert join_cell(" \n\t ") == ""
