"""The column model of an indicator table from its heading cells."""

from __future__ import annotations

from jixiao.documents.reading.cellstream import make_stream
from jixiao.documents.reading.columns import heading_at
from jixiao.documents.text import split_lines


def _roles(text: str) -> list[str]:
    cells = make_stream(split_lines(text)).cells
    model = next(m for i in range(len(cells)) if (m := heading_at(cells, i)) is not None)
    return [c.role + ("~" if c.kept_apart else "") for c in model.columns]


def test_a_heading_on_two_rows_puts_the_targets_parts_in_the_target_group() -> None:
    """绩效指标|年度指标值|实际完成值… over 一级|二级|三级|指标性质|指标值|度量单位 folds to one ordered model."""
    text = (
        "绩效指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |\n"
        "一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 |"
    )
    assert _roles(text) == [
        "level1",
        "level2",
        "name",
        "target_op",
        "target",
        "target_unit",
        "actual",
        "weight",
        "score",
        "deviation",
    ]


def test_long_term_columns_are_kept_apart_from_the_annual_ones() -> None:
    """二级指标(长期) … 指标值(年度): the long-term columns are read but kept apart."""
    text = "一级指标|二级指标(长期)|三级指标(长期)|指标值(长期)|二级指标(年度)|三级指标(年度)|指标值(年度)"
    assert _roles(text) == ["level1", "level2~", "name~", "target~", "level2", "name", "target"]


def test_without_a_name_column_the_deepest_level_column_holds_the_indicators() -> None:
    """一级指标 | 二级指标 | 绩效标准 | 当年预期实现值: the 二级指标 column holds names, the 一级 one level 2."""
    assert _roles("一级指标|二级指标|绩效标准|当年预期实现值") == ["level1", "level2", "name", "ignore~", "target"]


def test_a_grid_of_projects_has_the_projects_own_columns_first() -> None:
    """单位名称 | 项目名称 | 预算数 | 年度目标 before the indicator columns: a grid of several projects."""
    roles = _roles("单位名称|项目名称|预算数|年度目标|一级指标|二级指标|三级指标|指标值|权重")
    assert roles[:4] == ["proj_unit", "proj_name", "proj_budget", "proj_goal"]


def test_an_evaluation_table_without_points_columns_gets_an_unnamed_score_column() -> None:
    """A heading that names no 分值 or 得分 still lets a trailing figure be read (a 自评得分 printed elsewhere)."""
    assert _roles("一级指标|二级指标|三级指标|年度指标值|实际完成指标值")[-1] == "score"
