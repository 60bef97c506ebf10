"""One cell stream from pipe, tab, space, paragraph and run-together text."""

from __future__ import annotations

from jixiao.documents.reading.cellstream import make_stream
from jixiao.documents.text import split_lines


def _cells(text: str) -> list[str]:
    return [c.norm for c in make_stream(split_lines(text)).cells]


def test_pipe_rows_with_padding_give_only_the_printed_cells() -> None:
    """``a | b | ||||`` and a padding line ``||||`` give cells a, b and nothing else."""
    assert _cells("项目名称 | 禁毒经费 | ||||\n||||\n主管部门 | 某局 |") == ["项目名称", "禁毒经费", "主管部门", "某局"]


def test_space_rows_keep_a_bracket_opened_in_one_piece_and_closed_in_another() -> None:
    """``数量( ≥**个 ) >=4个`` is two cells: the name with its template bracket, and the target."""
    stream = make_stream(split_lines("景点开发数量( ≥**个 ) >=4个"))
    assert [c.text for c in stream.cells] == ["景点开发数量( ≥**个 )", ">=4个"]


def test_labels_broken_over_paragraphs_are_joined() -> None:
    """``数量`` / ``指标`` and ``年度`` / ``指标值`` on their own paragraphs are one label each; headings stay apart."""
    assert _cells("年度\n\n指标值\n\n数量\n\n指标\n\n执行率\n\n得分") == ["年度指标值", "数量指标", "执行率", "得分"]


def test_run_together_text_is_cut_at_labels_and_marked_fused() -> None:
    """A line whose separators were lost is cut at every label; the pieces are marked as fused."""
    stream = make_stream(split_lines("项目名称委托业务项目主管部门某区财政局实施单位某区评审中心"))
    assert [c.norm for c in stream.cells] == [
        "项目名称",
        "委托业务项目",
        "主管部门",
        "某区财政局",
        "实施单位",
        "某区评审中心",
    ]
    assert all(c.fused for c in stream.cells)


def test_a_title_and_a_phrase_in_a_sentence_are_not_cut() -> None:
    """…绩效目标表 is a title, and 未达指标值酌情扣分 a phrase: neither is cut at a label inside it."""
    assert _cells("岳阳楼区价格认证鉴定中心2023年度整体绩效目标表") == [
        "岳阳楼区价格认证鉴定中心2023年度整体绩效目标表"
    ]
    assert _cells("未达指标值酌情扣分") == ["未达指标值酌情扣分"]


def test_page_chunk_markers_of_a_preview_are_taken_out_and_the_text_rejoined() -> None:
    """``1、`` … ``2、`` opening each preview page are taken out; the page break inside a name is closed."""
    long = "项目名称监测项目主管部门某局" + "一级指标二级指标三级指标年初目标值(A)实际完成值(B)得分" * 2
    text = f"1、{long}产出指标质量指标取得2018-2022\n2、监测资料100%100%10{long}"
    assert "取得2018-2022监测资料100%100%10" in _cells(text)


def test_every_cell_knows_its_line_and_column() -> None:
    """A cell's line and 1-based column are where it was printed."""
    (first, second) = make_stream(split_lines("\n\n  项目名称 | 禁毒经费")).cells
    assert (first.line, first.column, second.line) == (3, 3, 3)
    assert second.column == 10
