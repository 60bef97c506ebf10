"""The label vocabulary: level labels, weights inside labels, table columns and funding rows."""

from __future__ import annotations

import pytest

from jixiao.documents.vocab import (
    CLASS_NAMES,
    LEVEL1,
    as_of_heading,
    fund_column,
    fund_row_key,
    is_label_prefix,
    level_of,
    squeeze,
    strip_weight,
    table_column,
)


def test_squeeze_folds_width_and_drops_every_space() -> None:
    """Labels compare after NFKC folding and without any white space."""
    assert squeeze(" 服务对象满意度 指标\t（１０分） ") == "服务对象满意度指标(10分)"


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("产出指标", (1, "output")),
        ("产出 指标", (1, "output")),
        ("效益指标", (1, "effect")),
        ("满意度指标", (1, "satisfaction")),
        ("项目完成指标", (1, "output")),
        ("数量指标", (2, "output")),
        ("社会效益指标", (2, "effect")),
        ("服务对象满意度 指标", (2, "satisfaction")),
        ("经济成本指标", (2, "cost")),
    ],
)
def test_level_labels_answer_their_level_and_class(cell: str, expected: tuple[int, str]) -> None:
    """Known level labels, however spaced, give (level, class)."""
    assert level_of(cell) == expected


def test_cost_indicator_answers_level_one() -> None:
    """成本指标 alone answers level 1 (cost); the readers decide when it is a level-2 item under 产出."""
    assert level_of("成本指标") == (1, "cost")


@pytest.mark.parametrize("cell", ["产出指标(50分)", "产出指标（50分）", "产出指标 ( 50 分 )"])
def test_weight_in_a_level_one_label_is_split_off(cell: str) -> None:
    """``产出指标(50分)`` in any bracket or spacing is 产出指标 with weight 50, and still a level-1 label."""
    assert strip_weight(squeeze(cell)) == ("产出指标", "50")
    assert level_of(cell) == (1, "output")


def test_decimal_weight_in_a_label() -> None:
    """A weight with decimals (``成本指标（20.5 分）``) is split off too."""
    assert strip_weight("成本指标（20.5 分）") == ("成本指标", "20.5")


def test_label_without_weight_comes_back_unchanged() -> None:
    """A label with brackets that hold no 分 weight stays as it is."""
    assert strip_weight("产出指标(五十分)") == ("产出指标(五十分)", None)
    assert strip_weight("年度(/项目)指标值") == ("年度(/项目)指标值", None)


@pytest.mark.parametrize("cell", ["厂址指标", "指标", "培训人次", "", "数量指标值"])
def test_other_text_is_no_level_label(cell: str) -> None:
    """Misread labels, bare 指标, names and near-misses are not level labels."""
    assert level_of(cell) is None


@pytest.mark.parametrize("fragment", ["时效", "可持", "服务对象满意", "满意度指", "绩效"])
def test_starts_of_labels_broken_over_lines(fragment: str) -> None:
    """The first pieces of a label broken over lines are recognised as label prefixes."""
    assert is_label_prefix(fragment)


@pytest.mark.parametrize("fragment", ["指标", "河湖", "数量指标x"])
def test_other_fragments_are_not_label_prefixes(fragment: str) -> None:
    """Fragments that begin no level label are not prefixes."""
    assert not is_label_prefix(fragment)


@pytest.mark.parametrize(
    "heading, column",
    [
        ("年度指标值", "target"),
        ("年度(/项目)指标值", "target"),
        ("年度（/项目）指标值", "target"),
        ("实际 完成值", "actual"),
        ("全年实际完成值", "actual"),
        ("分值", "weight"),
        ("权重", "weight"),
        ("得分", "score"),
        ("偏差原因分析及改进措施", "deviation"),
        ("未完成原因和改进措施", "deviation"),
        ("指标方向", "target_op"),
        ("度量单位", "target_unit"),
        ("三级指标", "name"),
    ],
)
def test_table_headings_name_their_column(heading: str, column: str) -> None:
    """Each printed table heading maps to the field its column holds."""
    assert table_column(heading) == column


def test_unknown_heading_names_no_column() -> None:
    """A cell that is no heading maps to no column."""
    assert table_column("目标") is None


@pytest.mark.parametrize(
    "label, key",
    [
        ("年度资金总额", "total"),
        ("年度资金总额：", "total"),
        ("年度资金申请总额", "total"),
        ("其中：当年财政拨款", "current_appropriation"),
        ("其中:当年财政拨款", "current_appropriation"),
        ("其 中：财政拨款", "current_appropriation"),
        ("上年结转资金", "carryover"),
        ("其他资金", "other"),
        ("其中:中央财政资金", "central"),
        ("地方资金", "local"),
        ("项目资金总额", "_whole"),
        ("其中：财政资金", "_whole"),
    ],
)
def test_fund_row_labels_name_their_row(label: str, key: str) -> None:
    """Funding-row labels, with either colon and a trailing colon, map to the schema's row keys."""
    assert fund_row_key(label) == key


def test_every_level_one_class_has_its_standard_name() -> None:
    """Every class a level-1 label maps to has a standard printed name."""
    assert set(LEVEL1.values()) == set(CLASS_NAMES)


@pytest.mark.parametrize(
    ("printed", "column", "field"),
    [
        ("截至7月31日执行数", "fund", "executed"),
        ("截止 6月底 执行数", "fund", "executed"),
        ("1-7月执行数", "fund", "executed"),
        ("全年预计执行数", "fund", "forecast"),
        ("年度预算数", "fund", "adjusted"),
        ("截至9月30日完成值", "table", "actual"),
        ("全年预计完成值", "table", "forecast"),
        ("偏差原因类型", "table", "cause"),
        ("偏差原因分析", "table", "deviation"),
        ("完成目标可能性", "table", "likelihood"),
        ("纠偏措施/备注", "table", "remedy"),
    ],
)
def test_monitoring_headings_name_their_field_whatever_the_date(printed: str, column: str, field: str) -> None:
    """A monitoring form's heading names its field with any as-of date printed in it, or none."""
    assert (fund_column(printed) if column == "fund" else table_column(printed)) == field


def test_a_heading_without_a_date_is_left_as_printed() -> None:
    """Only a leading as-of date is folded: 全年执行数 and 截至 inside a name stay."""
    assert as_of_heading("全年执行数") == "全年执行数"
    assert as_of_heading("截至7月31日执行数") == "截至监控日执行数"
    assert as_of_heading("培训截至率") == "培训截至率"
