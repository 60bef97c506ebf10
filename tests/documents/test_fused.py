"""Run-together text: labels, amounts, indicator cells and fused weight/score split back into tab cells."""

from __future__ import annotations

import pytest

from jixiao.documents.fused import is_fused, unfuse

TABLE_HEAD = "绩效指标一级指标二级指标三级指标年度指标值实际完成值分值得分偏差原因分析及改进措施"


def cells(line: str) -> list[str]:
    """The tab cells of one unfused line read inside an indicator table."""
    return unfuse([TABLE_HEAD, line])[1].split("\t")


def test_a_name_run_into_its_label_marks_fused_text() -> None:
    """``项目名称家庭医生…`` (no separator after the label) means the cell separators were lost."""
    assert is_fused(["项目支出绩效自评表", "项目名称家庭医生签约服务补助"])


@pytest.mark.parametrize(
    "line", ["项目名称\t家庭医生签约服务补助", "项目名称：家庭医生签约服务补助", "项目名称 家庭医生签约"]
)
def test_a_separated_name_is_not_fused(line: str) -> None:
    """A tab, colon or space after 项目名称 is an ordinary form."""
    assert not is_fused([line])


def test_only_the_start_of_a_text_is_inspected() -> None:
    """A fused name after the first 80 lines does not make the text fused."""
    assert not is_fused([""] * 80 + ["项目名称家庭医生签约服务补助"])


def test_identity_line_is_cut_at_its_labels() -> None:
    """``主管部门X实施单位Y`` becomes label and value cells."""
    (line,) = unfuse(["主管部门自贡市自流井区卫生健康局实施单位自贡市自流井区基层卫生服务指导中心"])
    assert line.split("\t") == [
        "主管部门",
        "自贡市自流井区卫生健康局",
        "实施单位",
        "自贡市自流井区基层卫生服务指导中心",
    ]


def test_fused_amounts_split_after_two_decimals() -> None:
    """``120.00118.50112.6410.0095.05%9.51`` splits after every two-decimal amount, the rate keeping its %."""
    (line,) = unfuse(["年度资金总额120.00118.50112.6410.0095.05%9.51"])
    assert line.split("\t") == ["年度资金总额", "120.00", "118.50", "112.64", "10.00", "95.05%", "9.51"]


def test_fused_dashes_are_separate_cells() -> None:
    """``———`` after the amounts are three dash cells; a row of dashes only keeps them too."""
    assert unfuse(["其中：当年财政拨款120.00118.50112.64———"])[0].split("\t") == [
        "其中：当年财政拨款",
        "120.00",
        "118.50",
        "112.64",
        "—",
        "—",
        "—",
    ]
    assert unfuse(["上年结转资金———"])[0].split("\t") == ["上年结转资金", "—", "—", "—"]


def test_money_heading_is_cut_into_its_column_labels() -> None:
    """The funds heading becomes 项目资金（万元） and each column heading."""
    (line,) = unfuse(["项目资金（万元）年初预算数全年预算数全年执行数分值执行率得分"])
    assert line.split("\t") == ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]


def test_goal_line_is_cut_at_its_headings() -> None:
    """``年度总体目标预期目标…实际完成情况…`` separates the two texts at their headings."""
    (line,) = unfuse(["年度总体目标预期目标推进家庭医生签约服务提质扩面。实际完成情况全区签约6.72万人。"])
    assert line.split("\t") == [
        "年度总体目标",
        "预期目标",
        "推进家庭医生签约服务提质扩面。",
        "实际完成情况",
        "全区签约6.72万人。",
    ]


def test_table_heading_is_cut_into_columns() -> None:
    """The fused table heading becomes its column headings."""
    (line,) = unfuse([TABLE_HEAD])
    assert line.split("\t") == [
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]


def test_equal_weight_and_score_fused_as_1010() -> None:
    """``…6.72万人1010``: equal weight and score print fused and split in halves; leading labels are cut off."""
    assert cells("产出指标数量指标家庭医生签约服务人数≥6.5万人6.72万人1010") == [
        "产出指标",
        "数量指标",
        "家庭医生签约服务人数",
        "≥6.5万人",
        "6.72万人",
        "10",
        "10",
    ]


def test_unequal_weight_and_score_one_space_apart_with_a_note() -> None:
    """``10 9.55`` gives weight and score; the text after them is the deviation note."""
    assert cells("重点人群签约覆盖率≥75%71.6%10 9.55部分高龄老人家属认识不足，下一步开展入户宣传。") == [
        "重点人群签约覆盖率",
        "≥75%",
        "71.6%",
        "10",
        "9.55",
        "部分高龄老人家属认识不足，下一步开展入户宣传。",
    ]


def test_qualitative_target_repeated_as_actual() -> None:
    """With no sign, a phrase printed twice is target then actual (``持续完善持续完善``)."""
    assert cells("可持续影响指标家庭医生签约服务激励机制持续完善持续完善1010") == [
        "可持续影响指标",
        "家庭医生签约服务激励机制",
        "持续完善",
        "持续完善",
        "10",
        "10",
    ]


def test_deadline_target_ends_at_前() -> None:
    """A date target ends with 前; the date after it is the actual (``9月30日前10月20日``)."""
    assert cells("时效指标设备采购完成时间9月30日前10月20日10 8政府采购因1次流标重新招标。") == [
        "时效指标",
        "设备采购完成时间",
        "9月30日前",
        "10月20日",
        "10",
        "8",
        "政府采购因1次流标重新招标。",
    ]


def test_single_digit_weight_and_score_fused_as_55() -> None:
    """``48个55`` is actual 48个, weight 5 and score 5."""
    assert cells("家庭医生团队组建数≥48个48个55")[-3:] == ["48个", "5", "5"]


def test_names_with_digits_before_the_sign_are_kept_whole() -> None:
    """Digits inside a name before the comparison sign stay in the name."""
    assert cells("0-6岁儿童健康管理率≥92%93%1010")[:3] == ["0-6岁儿童健康管理率", "≥92%", "93%"]


def test_total_with_fused_weight_100() -> None:
    """``总分10098.51`` is the total: weight 100 and score 98.51."""
    assert unfuse(["总分10098.51"]) == ["总分\t100\t98.51"]
    assert unfuse(["总分100 98.51"]) == ["总分\t100\t98.51"]


def test_lines_of_other_shapes_are_unchanged() -> None:
    """Titles, year lines and blank lines pass through as they are."""
    lines = ["项目支出绩效自评表", "（2023年度）", ""]
    assert unfuse(lines) == lines


def test_a_table_line_that_cannot_be_split_is_left_as_printed() -> None:
    """An indicator line with no weight and score to find is not guessed at."""
    assert unfuse([TABLE_HEAD, "家庭医生签约服务说明文字"])[1] == "家庭医生签约服务说明文字"
