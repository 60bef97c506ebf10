"""Fused indicator runs cut back into cells by the grammar of values and the table's model."""

from __future__ import annotations

from jixiao.documents.reading.cellstream import Cell, make_stream
from jixiao.documents.reading.columns import heading_at
from jixiao.documents.reading.fusedrows import has_glued_value, split_cell
from jixiao.documents.text import split_lines


def _model(heading: str):  # type: ignore[no-untyped-def]
    cells = make_stream(split_lines(heading)).cells
    return next(m for i in range(len(cells)) if (m := heading_at(cells, i)) is not None)


def _split(text: str, heading: str) -> list[str]:
    cell = Cell(text, text, 1, 1, fused=True)
    return [c.norm for c in split_cell(cell, _model(heading), False)]


def test_figures_at_the_end_of_a_run_fill_the_numeric_columns() -> None:
    """监测数据必须合格100%100%10 is a name, a target, an actual and a score."""
    assert _split("监测数据必须合格100%100%10", "一级指标|二级指标|三级指标|年初目标值(A)|实际完成值(B)|得分") == [
        "监测数据必须合格",
        "100%",
        "100%",
        "10",
    ]


def test_figures_inside_a_name_stay_in_the_name() -> None:
    """取得2018-2022监测资料100%100%10: the range belongs to the name."""
    assert _split("取得2018-2022监测资料100%100%10", "一级指标|二级指标|三级指标|年初目标值(A)|实际完成值(B)|得分")[
        0
    ] == ("取得2018-2022监测资料")


def test_a_run_of_several_rows_is_cut_after_each_rows_figures() -> None:
    """…完成率%901010010国家级公益林管护面积万亩2810810: two rows, each with its unit and four figures."""
    cells = _split(
        "天然林管护完成率%901010010国家级公益林管护面积万亩2810810",
        "指标名称|计量单位|指标性质|指标值|指标权重(分)|全年完成值|指标得分(分)",
    )
    assert cells == [
        "天然林管护完成率",
        "%",
        "90",
        "10",
        "100",
        "10",
        "国家级公益林管护面积",
        "万亩",
        "≥8",
        "10",
        "8",
        "10",
    ]


def test_an_explanation_and_a_qualitative_target_are_cut_off_the_name() -> None:
    """反映… opens the 绩效标准 column; 长远 glued to a name is its qualitative target."""
    assert _split("大楼安检巡察次数反映大楼保卫巡检情况200次", "一级指标|二级指标|绩效标准|当年预期实现值") == [
        "大楼安检巡察次数",
        "反映大楼保卫巡检情况",
        "200次",
    ]
    assert _split("对当地文物保护影响长远", "一级指标|二级指标|三级指标|指标目标值") == ["对当地文物保护影响", "长远"]


def test_a_name_glued_to_its_signed_target_in_a_delimited_row() -> None:
    """科目调整次数≤10次 holds a name and a target; ≥**人 inside a name is template residue, not a target."""
    assert has_glued_value(Cell("科目调整次数≤10次", "科目调整次数≤10次", 1, 1))
    assert not has_glued_value(Cell("受益人口数≥**人", "受益人口数≥人", 1, 1))
