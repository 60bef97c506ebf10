"""Reading-order (pdftotext) tables: fragments, value lines, labels, wrapped names, deviation notes, widths."""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.model import Kind
from jixiao.documents import flow
from jixiao.documents.fields import Used
from jixiao.documents.result import Problems
from jixiao.documents.rows import Row, make_rows
from jixiao.documents.tables import Draft
from jixiao.documents.text import split_lines

D = Decimal
HEAD = "一级指标 二级指标 三级指标\n年度\n\n指标值\n实际\n\n完成值\n分值 得分\n\n偏差原因分析及\n改进措施\n\n"


def rows(text: str) -> list[Row]:
    return make_rows(split_lines(text))


def read(
    table: str, after: str = "", problems: Problems | None = None, used: Used | None = None
) -> tuple[list[Draft], list[Row]]:
    """Read a flowing table with the seed-like widths (names wrap at 20, notes at 16)."""
    return flow.read_table(
        rows(table),
        rows(after) if after else [],
        Kind.SELF_EVALUATION,
        problems or Problems("f.txt"),
        used or Used(),
        flow.Widths(name=20, deviation=16),
    )


def summary(draft: Draft) -> tuple[object, ...]:
    return (draft.level1, draft.level2, draft.name, draft.target, draft.actual, draft.weight, draft.score)


# -- scanning -------------------------------------------------------------------


def test_value_line_splits_into_cells_weight_score_and_note() -> None:
    """A value line gives the cells before 分值, then 分值 and 得分, then the start of a deviation note."""
    (tail,) = flow.scan(rows("=100% 100% 6 5.5 部分培训改为线上"), Used())
    assert isinstance(tail, flow.Tail)
    assert (tail.before, tail.weight, tail.score, tail.deviation) == (
        ["=100%", "100%"],
        D("6"),
        D("5.5"),
        "部分培训改为线上",
    )


def test_numbers_that_cannot_be_weight_and_score_make_no_value_line() -> None:
    """A score above twice its weight is no (分值, 得分) pair, so the line is plain fragments."""
    items = flow.scan(rows("覆盖 10 30"), Used())
    assert all(isinstance(i, flow.Frag) for i in items)


def test_header_pieces_are_placed_not_read() -> None:
    """The wrapped table heading (年度 / 指标值 / 偏差原因分析及 …) yields nothing and is marked placed."""
    found = rows(HEAD)
    used = Used()
    assert flow.scan(found, used) == []
    assert all(r.number in used.lines for r in found if not r.blank)


def test_labels_broken_one_or_two_characters_a_line_are_assembled() -> None:
    """``经济/成本/指标`` and ``服务/对象/满意/度指/标`` become whole level labels."""
    items = flow.scan(rows("经济\n\n成本\n\n指标\n服务\n对象\n满意\n度指\n标\n"), Used())
    assert [(i.text, i.line) for i in items if isinstance(i, flow.Label)] == [
        ("经济成本指标", 1),
        ("服务对象满意度指标", 6),
    ]


def test_labels_leading_a_value_line_are_peeled_off() -> None:
    """``社会效益指标 河湖水环境改善情况 持续改善 持续改善 15 15``: a label, then a value line with its name."""
    label, tail = flow.scan(rows("社会效益指标 河湖水环境改善情况 持续改善 持续改善 15 15"), Used())
    assert isinstance(label, flow.Label) and label.text == "社会效益指标"
    assert isinstance(tail, flow.Tail) and tail.before == ["河湖水环境改善情况", "持续改善", "持续改善"]


def test_a_fragment_right_of_another_is_marked() -> None:
    """The second piece of a line (a note printed beside a name) is marked as printed to the right."""
    items = flow.scan(rows("河湖长制培训完成及时 受汛期值守影响，"), Used())
    assert [(i.text, i.right) for i in items if isinstance(i, flow.Frag)] == [
        ("河湖长制培训完成及时", False),
        ("受汛期值守影响，", True),
    ]


def test_page_footer_inside_a_table_is_placed_and_ignored() -> None:
    """A ``- 5 -`` footer between two lines of a name is no fragment."""
    found = rows("河湖健康评估报告按期\n\n- 5 -\n\n提交率\n")
    used = Used()
    assert [i.text for i in flow.scan(found, used) if isinstance(i, flow.Frag)] == ["河湖健康评估报告按期", "提交率"]
    assert 3 in used.lines


# -- widths ---------------------------------------------------------------------


def test_full_lines_are_those_reaching_the_column_width() -> None:
    """A line within three units of its column's width is full (so the cell wraps on)."""
    widths = flow.Widths(name=20, deviation=16)
    assert widths.full("河湖长制工作会议计划", "name")
    assert widths.full("河湖长制工作会议计", "name")
    assert not widths.full("河湖长制工作会议", "name")
    assert not widths.full("完成次数", "name")
    assert widths.full("部分培训改为线上", "deviation")
    assert not widths.full("。", "deviation")


def test_widths_are_learnt_from_wrapped_names_and_notes() -> None:
    """Names wrapping at six characters and notes at five give widths 12 and 10."""
    table = (
        "家庭医生签约\n服务人数\n>=6万人 6.7万人 10 10\n重点人群签约\n覆盖率\n"
        ">=75% 71% 10 9.5 部分老人家\n属认识不足，\n下一步开展入\n户宣传。\n"
        "签约居民履约\n服务完成率\n>=90% 92% 10 10\n团队组建数 >=48个 48个 5 5\n"
    )
    assert flow.measure(rows(table)) == flow.Widths(name=12, deviation=10)


def test_a_whole_name_on_its_value_line_sets_the_name_width_when_little_wraps() -> None:
    """With no wrapped names to learn from, a name printed whole on its value line sets the width."""
    widths = flow.measure(rows("社会效益指标 河湖水环境改善情况很长很长的名字 持续改善 持续改善 15 15"))
    assert widths.name == 32


def test_an_empty_table_keeps_the_default_widths() -> None:
    """Nothing to learn from: the default widths."""
    assert flow.measure([]) == flow.Widths()


# -- reading --------------------------------------------------------------------

TABLE = (
    HEAD
    + """产出指标

数量指标

河湖长制工作会议计划

完成次数

>=4次 4 8 8

河湖长制培训完成及时 受汛期值守影响，
 时效指标

性
=100% 100% 6 5.5 部分培训改为线上

方式开展，后续将
加强线下实操培训
。

河湖健康评估报告按期

- 5 -

提交率

=100% 100% 5 5

效益指标

社会效益指标 河湖水环境改善情况 持续改善 持续改善 15 15
"""
)


def test_names_wrapped_over_lines_are_joined() -> None:
    """A name whose first line filled the column continues on the next fragment."""
    drafts, _ = read(TABLE)
    assert summary(drafts[0]) == ("产出指标", "数量指标", "河湖长制工作会议计划完成次数", ">=4次", "4", D("8"), D("8"))


def test_deviation_note_interleaved_with_name_and_label() -> None:
    """A note begun beside the name and continued after the value line is one note; the label between is level 2."""
    drafts, _ = read(TABLE)
    second = drafts[1]
    assert summary(second) == ("产出指标", "时效指标", "河湖长制培训完成及时性", "=100%", "100%", D("6"), D("5.5"))
    assert second.deviation == "受汛期值守影响，部分培训改为线上方式开展，后续将加强线下实操培训。"


def test_name_across_a_page_footer_and_the_next_row_after_a_note() -> None:
    """After a finished note the next fragments are the next row's name, across a page footer."""
    drafts, _ = read(TABLE)
    assert drafts[2].name == "河湖健康评估报告按期提交率"
    assert drafts[2].deviation is None


def test_labels_on_the_value_line_and_a_whole_row_on_one_line() -> None:
    """效益指标 on its own line and 社会效益指标 at the start of a value line both apply to that row."""
    drafts, _ = read(TABLE)
    assert summary(drafts[3]) == (
        "效益指标",
        "社会效益指标",
        "河湖水环境改善情况",
        "持续改善",
        "持续改善",
        D("15"),
        D("15"),
    )
    assert len(drafts) == 4


def test_every_line_of_the_table_is_placed() -> None:
    """Every printed line of the table, heading and footer included, is placed."""
    found = rows(TABLE)
    used = Used()
    flow.read_table(found, [], Kind.SELF_EVALUATION, Problems("f.txt"), used, flow.Widths(20, 16))
    assert [r.number for r in found if not r.blank and r.number not in used.lines] == []


def test_target_broken_over_lines_before_a_value_line_with_only_the_actual() -> None:
    """``≥1200.00(人`` / ``次)`` then ``1080.00(人次) 6.00 5.40 note``: the target is joined, the note kept."""
    drafts, _ = read(
        "经济\n\n成本\n\n指标\n\n示范区亩均防控成本 ≤85.00(元/亩) 82.40(元/亩) 4.00 4.00\n\n"
        "产出\n\n指标\n数量\n\n指标\n\n农民技术培训人次\n≥1200.00(人\n次)\n\n"
        "1080.00(人次) 6.00 5.40 部分培训受汛期影响取消，改为田间现场培训补足\n"
    )
    assert summary(drafts[0])[:3] == ("成本指标", "经济成本指标", "示范区亩均防控成本")
    second = drafts[1]
    assert summary(second) == (
        "产出指标",
        "数量指标",
        "农民技术培训人次",
        "≥1200.00(人次)",
        "1080.00(人次)",
        D("6.00"),
        D("5.40"),
    )
    assert second.deviation == "部分培训受汛期影响取消，改为田间现场培训补足"


def test_level_one_is_inferred_from_a_broken_level_two_label() -> None:
    """``服务/对象/满意/度指/标`` alone gives 满意度指标 as level 1."""
    drafts, _ = read("服务\n对象\n满意\n度指\n标\n示范区农户满意度 ≥90.00(%) 94.00(%) 10.00 10.00\n")
    assert summary(drafts[0])[:3] == ("满意度指标", "服务对象满意度指标", "示范区农户满意度")


def test_text_that_fits_no_row_is_warned_with_its_line() -> None:
    """Fragments after the last row that do not look like its note are warned, each at its own line."""
    problems = Problems("f.txt")
    drafts, _ = read(
        "产出指标 数量指标\n防汛物资储备品种数量 >=36种 38种 6 6\n一段无法归属的文字\n另一段\n", problems=problems
    )
    assert len(drafts) == 1
    assert [(w.location.file, w.location.line, w.text) for w in problems.items] == [
        ("f.txt", 3, "一段无法归属的文字"),
        ("f.txt", 4, "另一段"),
    ]


def test_values_printed_after_the_total_return_to_their_row() -> None:
    """A row with no target and actual takes the two wrapped cells printed after 总分, with a note."""
    table = "产出指标 数量指标\n防汛物资储备品种数量 >=36种 38种 6 6\n物资储备安全管理情况 10 10\n"
    after = "总分 100 99.10\n 未发生物资霉变损\n毁事件\n\n未发生物资霉变损\n毁事件\n"
    problems = Problems("f.txt")
    used = Used()
    drafts, left = read(table, after, problems, used)
    row = drafts[1]
    assert (row.name, row.target, row.actual) == (
        "物资储备安全管理情况",
        "未发生物资霉变损毁事件",
        "未发生物资霉变损毁事件",
    )
    assert (row.weight, row.score) == (D("10"), D("10"))
    assert [n.level for n in problems.items] == ["note"]
    assert {2, 3, 5, 6} <= used.lines
    assert [r.text for r in left if not r.blank] == ["总分 100 99.10"]


def test_text_after_the_total_stays_when_no_row_lacks_values() -> None:
    """With every row complete, lines after 总分 are handed back untouched."""
    after = "第一段说明文字\n第二段说明文字\n"
    drafts, left = read("产出指标 数量指标\n防汛物资储备品种数量 >=36种 38种 6 6\n", after)
    assert drafts[0].target == ">=36种"
    assert [r.text for r in left if not r.blank] == ["第一段说明文字", "第二段说明文字"]


def test_numbering_prefix_stripped_in_flowing_names() -> None:
    """``指标1：`` before a flowing name is dropped."""
    drafts, _ = read("产出指标 数量指标\n指标1：培训人次 >=200人次 210人次 10 10\n")
    assert drafts[0].name == "培训人次"
