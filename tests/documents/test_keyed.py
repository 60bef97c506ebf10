"""Indicator tables written as ``key：value`` lines: blocks, one-line forms, level headings, placeholders."""

from __future__ import annotations

from decimal import Decimal

from jixiao.documents.fields import Used
from jixiao.documents.keyed import is_keyed, read_keyed
from jixiao.documents.result import Problems
from jixiao.documents.rows import Row, make_rows
from jixiao.documents.tables import Draft
from jixiao.documents.text import split_lines

D = Decimal

BLOCKS = """\
绩效指标完成情况：
（一）产出指标
1.数量指标
指标1：街道综合文化站免费开放数量
年度指标值：=17个
实际完成值：17个
分值：10    得分：10
偏差原因分析及改进措施：无
指标2：公益培训学员结业率
年度指标值：≥90%
实际完成值：86%
分值：10    得分：9.56
偏差原因分析及改进措施：部分学员因工作时间冲突中途退课，
下一年度增设周末和晚间班次。
（二）效益指标
1.社会效益指标
指标3：场馆年接待群众人次
年度指标值：≥35万人次
实际完成值：38.2万人次
分值：15    得分：15
偏差原因分析及改进措施：/
"""

ONE_LINE = """\
一、产出指标
（一）数量指标
指标1:举办区级群众性体育赛事；年度指标值:≥12项；实际完成值:14项；分值:15；得分:15；偏差原因分析及改进措施:/
（二）时效指标
指标4:赛事按计划举办率；年度指标值:100%；实际完成值:92%；分值:10；得分:9.2；偏差原因分析及改进措施:1项赛事因高温延期。
三、满意度指标
（一）服务对象满意度指标
指标1:参赛群众满意度；年度指标值:≥90%；实际完成值:95%；分值:10；得分:10；偏差原因分析及改进措施:/
"""


def rows(text: str) -> list[Row]:
    return make_rows(split_lines(text))


def read(text: str, used: Used | None = None) -> list[Draft]:
    return read_keyed(rows(text), Problems("k.txt"), used or Used())


def test_key_value_blocks_are_recognised_as_keyed() -> None:
    """Lines of 年度指标值：/实际完成值： make a keyed table."""
    assert is_keyed(rows(BLOCKS))
    assert is_keyed(rows(ONE_LINE))


def test_a_tab_table_is_not_keyed() -> None:
    """A tab-separated table with no ``key：value`` cells is not keyed."""
    table = "一级指标\t二级指标\t三级指标\t年度指标值\n产出指标\t数量指标\t培训人次\t≥200人次\n"
    assert not is_keyed(rows(table))


def test_one_keyed_value_is_not_enough() -> None:
    """A single 年度指标值： mention does not make the table keyed."""
    assert not is_keyed(rows("年度指标值：≥200人次\n产出指标\t数量指标\t培训人次\t≥200人次"))


def test_one_indicator_per_block_under_level_headings() -> None:
    """Each ``指标N：`` opens an indicator; （一）产出指标 and 1.数量指标 headings give its levels."""
    drafts = read(BLOCKS)
    assert [(d.level1, d.level2, d.name) for d in drafts] == [
        ("产出指标", "数量指标", "街道综合文化站免费开放数量"),
        ("产出指标", "数量指标", "公益培训学员结业率"),
        ("效益指标", "社会效益指标", "场馆年接待群众人次"),
    ]


def test_block_values_and_two_keys_on_one_line() -> None:
    """年度指标值, 实际完成值 and ``分值：10    得分：9.56`` on one line fill their fields."""
    second = read(BLOCKS)[1]
    assert (second.target, second.actual, second.weight, second.score) == ("≥90%", "86%", D("10"), D("9.56"))


def test_deviation_wrapped_onto_the_next_line_is_joined() -> None:
    """A note continuing on a line without a key belongs to the deviation above."""
    assert read(BLOCKS)[1].deviation == "部分学员因工作时间冲突中途退课，下一年度增设周末和晚间班次。"


def test_placeholder_deviations_无_kept_and_slash_null() -> None:
    """``无`` is printed text and kept; ``/`` is an empty-cell placeholder and reads as null."""
    drafts = read(BLOCKS)
    assert drafts[0].deviation == "无"
    assert drafts[2].deviation is None


def test_every_keyed_line_is_placed() -> None:
    """Headings, keys and wrapped notes are all placed."""
    used = Used()
    found = rows(BLOCKS)
    read_keyed(found, Problems("k.txt"), used)
    assert [r.number for r in found if not r.blank and r.number not in used.lines] == []


def test_a_stray_line_after_a_null_deviation_is_left_unplaced() -> None:
    """A line that continues no deviation is not placed, so the reader can warn about it."""
    used = Used()
    found = rows(BLOCKS + "这一行不属于任何字段\n")
    read_keyed(found, Problems("k.txt"), used)
    assert [r.number for r in found if not r.blank and r.number not in used.lines] == [22]


def test_one_line_keyed_indicators_split_at_semicolons() -> None:
    """``指标1:…；年度指标值:…；…`` on one line is one indicator with all its fields."""
    drafts = read(ONE_LINE)
    first = drafts[0]
    assert (first.level1, first.level2, first.name) == ("产出指标", "数量指标", "举办区级群众性体育赛事")
    assert (first.target, first.actual, first.weight, first.score, first.deviation) == (
        "≥12项",
        "14项",
        D("15"),
        D("15"),
        None,
    )
    assert drafts[1].deviation == "1项赛事因高温延期。"
    assert drafts[1].score == D("9.2")


def test_numbering_restarting_per_level_one_still_opens_new_indicators() -> None:
    """``指标1:`` printed again under 满意度指标 is a new indicator, not the first one again."""
    drafts = read(ONE_LINE)
    assert len(drafts) == 3
    assert (drafts[2].level1, drafts[2].level2, drafts[2].name) == (
        "满意度指标",
        "服务对象满意度指标",
        "参赛群众满意度",
    )


def test_names_keep_leading_digits_after_the_numbering_key() -> None:
    """``指标1：15分钟健身圈覆盖率`` keeps 15分钟 in the name."""
    (draft,) = read("（一）产出指标\n1.质量指标\n指标1：15分钟健身圈覆盖率\n年度指标值：≥95%\n实际完成值：96%\n")
    assert draft.name == "15分钟健身圈覆盖率"


def test_dashes_in_keyed_values_are_null() -> None:
    """A ``—`` actual or score is null."""
    (draft,) = read("（一）产出指标\n指标1：培训人次\n年度指标值：≥200人次\n实际完成值：—\n分值：10    得分：—\n")
    assert (draft.actual, draft.weight, draft.score) == (None, D("10"), None)


def test_level_keys_inside_a_block() -> None:
    """``三级指标：`` opens an indicator and ``一级指标：`` / ``二级指标：`` after it set its levels."""
    (draft,) = read(
        "三级指标：家庭医生签约人数\n一级指标：产出指标\n二级指标：数量指标\n年度指标值：≥6.5万人\n实际完成值：6.72万人\n"
    )
    assert (draft.level1, draft.level2, draft.name, draft.target) == (
        "产出指标",
        "数量指标",
        "家庭医生签约人数",
        "≥6.5万人",
    )


def test_level_inferred_from_a_level_two_heading_alone() -> None:
    """Under a lone 1.数量指标 heading the level 1 is 产出指标."""
    (draft,) = read("1.数量指标\n指标1：培训人次\n年度指标值：≥200人次\n实际完成值：210人次\n")
    assert (draft.level1, draft.level2) == ("产出指标", "数量指标")
