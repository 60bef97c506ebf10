"""Tab-separated indicator tables: headings, label peeling, columns, labels after a break, page repeats, prefixes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.model import Kind
from jixiao.documents.fields import Used
from jixiao.documents.result import Problems
from jixiao.documents.rows import Row, make_rows
from jixiao.documents.tables import (
    Draft,
    adopt_labels_after_break,
    drop_page_repeats,
    finish,
    header_columns,
    read_table,
    strip_prefix,
    two_row_heading,
)
from jixiao.documents.text import split_lines

D = Decimal
SELF_HEAD = "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
DECL_HEAD = "一级指标\t二级指标\t三级指标\t指标值\n"


def rows(text: str) -> list[Row]:
    return make_rows(split_lines(text))


def read(text: str, kind: Kind = Kind.SELF_EVALUATION, problems: Problems | None = None) -> list[Draft]:
    """Read a table the way the reader does: rows, labels after breaks, repeats dropped."""
    drafts = read_table(rows(text), kind, problems or Problems("t.txt"), Used())
    adopt_labels_after_break(drafts)
    return drop_page_repeats(drafts)


def levels(drafts: list[Draft]) -> list[tuple[str, str | None, str]]:
    return [(d.level1, d.level2, d.name) for d in drafts]


# -- names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "printed, name",
    [
        ("指标1：培训次数", "培训次数"),
        ("指标4:15分钟健身圈覆盖率", "15分钟健身圈覆盖率"),
        ("指标 12 ： 参训人次", "参训人次"),
        ("1、培训次数", "培训次数"),
        ("3．群众满意度", "群众满意度"),
    ],
)
def test_indicator_numbering_is_stripped(printed: str, name: str) -> None:
    """``指标1：`` / ``1、`` numbering is not part of the name."""
    assert strip_prefix(printed) == name


@pytest.mark.parametrize("name", ["15分钟健身圈覆盖率", "0-6岁儿童健康管理率", "2型糖尿病患者规范管理人数"])
def test_names_starting_with_digits_keep_them(name: str) -> None:
    """A name that begins with a number but no numbering keeps its digits."""
    assert strip_prefix(name) == name


# -- headings -----------------------------------------------------------------


def test_heading_columns_in_printed_order() -> None:
    """The heading row names its columns in printed order, including 分值 before 年度指标值."""
    head = "一级指标\t二级指标\t三级指标\t分值\t年度指标值\t实际完成值\t得分\t偏差原因分析及改进措施"
    assert header_columns(rows(head)[0]) == [
        "level1",
        "level2",
        "name",
        "weight",
        "target",
        "actual",
        "score",
        "deviation",
    ]


def test_split_target_heading_columns() -> None:
    """指标方向 / 指标值 / 度量单位 are the three parts of the target; 绩效指标 is a frame cell."""
    head = "绩效指标\t一级指标\t二级指标\t三级指标\t指标方向\t指标值\t度量单位"
    assert header_columns(rows(head)[0]) == ["level1", "level2", "name", "target_op", "target", "target_unit"]


# -- rows ---------------------------------------------------------------------


def test_self_evaluation_rows_with_carried_labels() -> None:
    """Values map to their columns; labels of merged cells carry down to the rows below."""
    drafts = read(
        SELF_HEAD + "产出指标\t数量指标\t补贴助餐服务点数量\t=24.00(个)\t24.00(个)\t15.00\t15.00\t\n"
        "\t\t年度助餐服务人次\t≥18.00(万人次)\t16.20(万人次)\t10.00\t9.00\t部分助餐点因装修暂停服务一个月。\n"
        "\t质量指标\t食品安全检查合格率\t=100.00(%)\t100.00(%)\t10.00\t10.00\t\n"
    )
    indicators = finish(drafts)
    assert [(i.level1, i.level2) for i in indicators] == [("产出指标", "数量指标")] * 2 + [("产出指标", "质量指标")]
    second = indicators[1]
    assert (second.name, second.target, second.actual) == ("年度助餐服务人次", "≥18.00(万人次)", "16.20(万人次)")
    assert (second.weight, second.score) == (D("10.00"), D("9.00"))
    assert second.deviation == "部分助餐点因装修暂停服务一个月。"
    assert indicators[0].deviation is None


def test_weight_before_target_follows_the_heading() -> None:
    """A table printing 分值 before 年度指标值 reads each cell under its own heading."""
    drafts = read(
        "一级指标\t二级指标\t三级指标\t分值\t年度指标值\t实际完成值\t得分\t偏差原因分析及改进措施\n"
        "产出指标\t数量指标\t受益幼儿人数\t10\t≥7800人\t7725人\t9.90\t部分幼儿年中转园。\n"
    )
    (d,) = drafts
    assert (d.target, d.actual, d.weight, d.score, d.deviation) == (
        "≥7800人",
        "7725人",
        D("10"),
        D("9.90"),
        "部分幼儿年中转园。",
    )


def test_all_number_row_under_weight_first_columns() -> None:
    """``5 2 2 5`` under 分值/年度指标值/实际完成值/得分 keeps each number in its column."""
    (d,) = read(
        "一级指标\t二级指标\t三级指标\t分值\t年度指标值\t实际完成值\t得分\n产出指标\t数量指标\t补助资金拨付批次\t5\t2\t2\t5\n"
    )
    assert (d.weight, d.target, d.actual, d.score) == (D("5"), "2", "2", D("5"))


def test_split_target_cells_are_joined_without_spaces() -> None:
    """Sign, value and unit cells join into one target (``≥5.2万人``); a missing unit cell is fine."""
    drafts = read(
        "绩效指标\t一级指标\t二级指标\t三级指标\t指标方向\t指标值\t度量单位\n"
        "\t产出指标\t数量指标\t65岁及以上老年人健康管理人数\t≥\t5.2\t万人\n"
        "\t\t质量指标\t居民电子健康档案建档率\t≥\t90\t%\n"
        "\t成本指标\t经济成本指标\t疫苗采购单价\t≤\t329元/剂\t\n"
        "\t满意度指标\t服务对象满意度指标\t受种者满意度\t定性\t优良中低差\t\n",
        Kind.TARGET_DECLARATION,
    )
    assert [d.target for d in drafts] == ["≥5.2万人", "≥90%", "≤329元/剂", "定性优良中低差"]


def test_split_target_and_actual_under_a_two_row_heading_are_joined() -> None:
    """符号 | 数值 | 单位 under merged 年度指标值 and 实际完成值 headings: each triple joins into its field."""
    drafts = read(
        "一级指标\t二级指标\t三级指标\t分值\t年度指标值\t\t\t实际完成值\t\t\t得分\t偏差原因分析及改进措施\n"
        "\t\t\t\t符号\t数值\t计量单位\t符号\t数值\t计量单位\n"
        "产出指标\t数量指标\t收容所面积\t10\t≥\t200\t平方米\t\t204.46\t平方米\t10\t无\n"
        "\t时效指标\t项目完工时限\t10\t\t2023年12月\t\t\t2023年11月\t\t10\n"
    )
    assert [(d.target, d.actual, d.weight, d.score, d.deviation) for d in drafts] == [
        ("≥200平方米", "204.46平方米", D("10"), D("10"), "无"),
        ("2023年12月", "2023年11月", D("10"), D("10"), None),
    ]
    assert [d.name for d in drafts] == ["收容所面积", "项目完工时限"]  # the 符号 row is no indicator


def test_split_target_in_one_heading_row_under_weight_first_columns() -> None:
    """分值 before 符号 | 数值 | 单位 on one heading row: the actual after the unit stays the actual."""
    (d,) = read(
        "一级指标\t二级指标\t三级指标\t分值\t符号\t数值\t单位\t实际完成值\t得分\t偏差原因分析及改进措施\n"
        "产出指标\t数量指标\t钢结构圈养围栏\t10\t≥\t120\t米\t121.5米\t10\t无\n"
    )
    assert (d.target, d.actual, d.weight, d.score, d.deviation) == ("≥120米", "121.5米", D("10"), D("10"), "无")


def test_parts_of_split_values_without_tabs_fill_the_value_groups_in_order() -> None:
    """Flowing heading rows (no cell positions): each run of 符号/数值/单位 replaces the next value group."""
    top = rows("一级指标  二级指标  三级指标  年度指标值  实际完成值  分值  得分")[0]
    sub = rows("符号  数值  单位  符号  数值  单位")[0]
    columns, positions = two_row_heading(top, sub)
    assert columns == [
        "level1",
        "level2",
        "name",
        "target_op",
        "target",
        "target_unit",
        "actual_op",
        "actual",
        "actual_unit",
        "weight",
        "score",
    ]
    assert positions == {}


def test_weight_inside_level_one_label_is_dropped_from_the_label() -> None:
    """``产出指标(50分)`` is stored as 产出指标 and the row's own 分值 is read."""
    (d,) = read(SELF_HEAD + "产出指标(50分)\t数量指标\t健身路径维护数量\t≥35公里\t36.2公里\t10\t10\t\n")
    assert (d.level1, d.weight) == ("产出指标", D("10"))


def test_numbering_prefixes_are_stripped_in_rows_but_leading_digits_kept() -> None:
    """``指标1：`` goes; ``指标4:15分钟…`` keeps 15分钟."""
    drafts = read(
        SELF_HEAD + "产出指标\t数量指标\t指标1：维护更新健身路径数量\t≥60套\t62套\t10\t10\t\n"
        "\t质量指标\t指标4:15分钟健身圈覆盖率\t≥95%\t96%\t10\t10\t\n"
    )
    assert [d.name for d in drafts] == ["维护更新健身路径数量", "15分钟健身圈覆盖率"]


def test_cost_indicator_as_the_first_level_one() -> None:
    """成本指标 in the level-1 column with 经济成本指标 is a level-1 group of its own."""
    drafts = read(
        SELF_HEAD + "成本指标\t经济成本指标\t助餐点运营补贴标准执行情况\t按标准执行\t达成指标\t10.00\t10.00\t\n"
        "产出指标\t数量指标\t补贴助餐服务点数量\t=24.00(个)\t24.00(个)\t15.00\t15.00\t\n"
    )
    assert levels(drafts)[0][:2] == ("成本指标", "经济成本指标")
    assert levels(drafts)[1][:2] == ("产出指标", "数量指标")


def test_cost_indicator_in_the_level_two_column_stays_under_output() -> None:
    """A lone 成本指标 in the level-2 column under 产出指标 is a level-2 item of 产出."""
    drafts = read(
        DECL_HEAD + "产出指标\t数量指标\t培训人次\t≥200人次\n"
        "\t成本指标\t人均培训成本\t≤500元\n"
        "效益指标\t社会效益指标\t参训人员技能提升\t明显\n",
        Kind.TARGET_DECLARATION,
    )
    assert levels(drafts) == [
        ("产出指标", "数量指标", "培训人次"),
        ("产出指标", "成本指标", "人均培训成本"),
        ("效益指标", "社会效益指标", "参训人员技能提升"),
    ]


def test_cost_indicator_after_a_level_one_in_the_same_row_is_level_two() -> None:
    """``产出指标 | 成本指标 | name``: 成本指标 in second position is a level 2."""
    (d,) = read(DECL_HEAD + "产出指标\t成本指标\t评估服务单价控制\t≤0.79(万元/万亩)\n", Kind.TARGET_DECLARATION)
    assert (d.level1, d.level2) == ("产出指标", "成本指标")


def test_level_one_inferred_when_only_level_two_prints() -> None:
    """Rows under 数量指标 with no level 1 printed read as 产出指标."""
    drafts = read(
        DECL_HEAD + "\t数量指标\t监测测报点数量\t≥120个\n\t质量指标\t测报准确率\t≥90%\n", Kind.TARGET_DECLARATION
    )
    assert [d.level1 for d in drafts] == ["产出指标", "产出指标"]


def test_late_level_one_renames_the_rows_read_under_it() -> None:
    """A level-1 label printed in the middle of its merged cell renames the rows above it."""
    drafts = read(
        DECL_HEAD
        + "\t数量指标\t监测测报点数量\t≥120个\n\t\t防控作业面积\t≥3000亩\n项目完成指标\t质量指标\t成灾率\t≤0.3‰\n",
        Kind.TARGET_DECLARATION,
    )
    assert [d.level1 for d in drafts] == ["项目完成指标"] * 3


def test_misread_level_one_label_reads_as_its_level_twos_class() -> None:
    """An unknown ``X指标`` before a known level 2 is a misread level 1: 厂址指标 + 数量指标 is 产出指标."""
    (d,) = read(DECL_HEAD + "厂址指标\t数量指标\t培训人次\t≥200人次\n", Kind.TARGET_DECLARATION)
    assert (d.level1, d.level2, d.name) == ("产出指标", "数量指标", "培训人次")


def test_weight_and_score_stay_in_their_columns_when_a_cell_is_missing() -> None:
    """With one value cell missing, the two numbers still go to 分值 and 得分."""
    (d,) = read(SELF_HEAD + "产出指标\t数量指标\t培训场次\t≥6场\t10\t10\n")
    assert (d.weight, d.score) == (D("10"), D("10"))


def test_a_lone_cell_in_the_table_is_warned_with_its_line() -> None:
    """A single cell with no label and no value is no indicator: a warning at its line."""
    problems = Problems("t.txt")
    drafts = read(
        DECL_HEAD + "产出指标\t数量指标\t培训人次\t≥200人次\n\t孤立的一段文字\n", Kind.TARGET_DECLARATION, problems
    )
    assert len(drafts) == 1
    assert [(w.location.line, w.text) for w in problems.items] == [(3, "孤立的一段文字")]


def test_more_cells_than_headings_is_warned() -> None:
    """A row with more value cells than the heading has columns warns at its line."""
    problems = Problems("t.txt")
    read(DECL_HEAD + "产出指标\t数量指标\t培训人次\t≥200人次\t多余\n", Kind.TARGET_DECLARATION, problems)
    assert [w.location.line for w in problems.items] == [2]


def test_every_table_row_is_placed() -> None:
    """Headings, labels-only rows and indicator rows are all marked as placed."""
    found = rows(DECL_HEAD + "绩效\t指标\n产出指标\n\t数量指标\t培训人次\t≥200人次\n")
    used = Used()
    read_table(found, Kind.TARGET_DECLARATION, Problems("t.txt"), used)
    assert [r.number for r in found if not r.blank and r.number not in used.lines] == []


# -- page breaks ----------------------------------------------------------------


def test_row_at_page_foot_adopts_the_satisfaction_group_after_the_break() -> None:
    """An unlabelled 满意度 row before a break belongs to the 满意度指标 group whose label opens the next page."""
    drafts = read(
        DECL_HEAD + "效益指标\t社会效益指标\t政策知晓率\t≥80%\n\t\t居民对服务满意度\t≥90%\n\n"
        "满意度指标\t服务对象满意度指标\t参训人员满意度\t≥90%\n",
        Kind.TARGET_DECLARATION,
    )
    assert levels(drafts)[1] == ("满意度指标", "服务对象满意度指标", "居民对服务满意度")
    assert levels(drafts)[0][:2] == ("效益指标", "社会效益指标")


def test_row_that_fits_its_own_group_stays_before_the_break() -> None:
    """An unlabelled row whose name does not fit the next group keeps the labels above it."""
    drafts = read(
        DECL_HEAD + "效益指标\t社会效益指标\t政策知晓率\t≥80%\n\t\t群众健康素养水平\t≥30%\n\n"
        "满意度指标\t服务对象满意度指标\t参训人员满意度\t≥90%\n",
        Kind.TARGET_DECLARATION,
    )
    assert levels(drafts)[1] == ("效益指标", "社会效益指标", "群众健康素养水平")


def test_row_that_does_not_fit_timeliness_moves_to_the_next_group() -> None:
    """Under 时效指标 an unlabelled row without a time word goes to the group after the break."""
    drafts = read(
        DECL_HEAD + "产出指标\t时效指标\t资金拨付及时率\t=100%\n\t\t受益群众覆盖面\t≥80%\n\n"
        "效益指标\t社会效益指标\t群众健康素养\t提升\n",
        Kind.TARGET_DECLARATION,
    )
    assert levels(drafts)[1] == ("效益指标", "社会效益指标", "受益群众覆盖面")


def test_without_a_page_break_labels_are_never_adopted_backwards() -> None:
    """With no break between them, a row keeps the labels above it even if its name fits the next group."""
    drafts = read(
        DECL_HEAD + "效益指标\t社会效益指标\t政策知晓率\t≥80%\n\t\t居民对服务满意度\t≥90%\n"
        "满意度指标\t服务对象满意度指标\t参训人员满意度\t≥90%\n",
        Kind.TARGET_DECLARATION,
    )
    assert levels(drafts)[1] == ("效益指标", "社会效益指标", "居民对服务满意度")


def test_a_block_printed_again_after_a_page_break_is_kept_once() -> None:
    """Rows repeated after a blank line (page break) are dropped; the rows after them are kept."""
    drafts = read(
        DECL_HEAD + "产出指标\t数量指标\t培训人次\t≥200人次\n\t质量指标\t合格率\t≥95%\n\t\t测报准确率\t≥90%\n\n"
        "产出指标\t质量指标\t合格率\t≥95%\n\t\t测报准确率\t≥90%\n效益指标\t社会效益指标\t知晓率\t≥80%\n",
        Kind.TARGET_DECLARATION,
    )
    assert [d.name for d in drafts] == ["培训人次", "合格率", "测报准确率", "知晓率"]
    assert drafts[-1].lines == [8]


def test_a_repeated_heading_marks_the_break_too() -> None:
    """A table heading printed again is a page break, so the repeated row after it is dropped."""
    drafts = read(
        DECL_HEAD
        + "产出指标\t数量指标\t培训人次\t≥200人次\n\t质量指标\t合格率\t≥95%\n"
        + DECL_HEAD
        + "\t质量指标\t合格率\t≥95%\n效益指标\t社会效益指标\t知晓率\t≥80%\n",
        Kind.TARGET_DECLARATION,
    )
    assert [d.name for d in drafts] == ["培训人次", "合格率", "知晓率"]


def test_identical_rows_without_a_break_are_both_kept() -> None:
    """Two identical rows one after the other, with no break, are two printed indicators."""
    drafts = read(
        DECL_HEAD + "产出指标\t数量指标\t培训人次\t≥200人次\n\t\t培训人次\t≥200人次\n", Kind.TARGET_DECLARATION
    )
    assert len(drafts) == 2


def test_same_name_with_another_target_after_a_break_is_kept() -> None:
    """A row after a break with the same name but another target is no repeat."""
    drafts = read(
        DECL_HEAD + "产出指标\t数量指标\t培训人次\t≥200人次\n\n\t\t培训人次\t≥300人次\n", Kind.TARGET_DECLARATION
    )
    assert [d.target for d in drafts] == ["≥200人次", "≥300人次"]
