"""The blocks around the indicator table: identity, funds, goals, total, grade, footnotes and fund management."""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.model import FundManagementRow, FundRow, Kind
from jixiao.documents.fields import (
    Used,
    goal_head,
    money_unit_in,
    prose_figures,
    read_after,
    read_fund_management,
    read_funds,
    read_goals,
    read_grade,
    read_identity,
    read_total,
)
from jixiao.documents.result import Problems
from jixiao.documents.rows import Row, make_rows
from jixiao.documents.text import split_lines


def rows(text: str) -> list[Row]:
    return make_rows(split_lines(text))


def row(text: str) -> Row:
    (only,) = rows(text)
    return only


def unplaced(found: list[Row], used: Used) -> list[int]:
    """Line numbers of printed rows that a reader left unplaced."""
    return [r.number for r in found if not r.blank and r.number not in used.lines]


D = Decimal


# -- identity -------------------------------------------------------------------


def test_identity_labels_and_values_in_tab_cells() -> None:
    """Each label cell names the field of the value cells after it, several pairs to a row."""
    found = rows(
        "项目名称\t基本公共卫生服务项目区级配套\n"
        "主管部门\t杭州市临平区卫生健康局\t\t实施单位\t杭州市临平区卫生健康局\n"
        "项目性质\t经常性项目\t\t项目类别\t专项业务类"
    )
    used = Used()
    assert read_identity(found, used) == {
        "name": "基本公共卫生服务项目区级配套",
        "department": "杭州市临平区卫生健康局",
        "unit": "杭州市临平区卫生健康局",
        "nature": "经常性项目",
        "category": "专项业务类",
    }
    assert unplaced(found, used) == []


def test_a_project_name_wrapped_over_lines_is_joined() -> None:
    """A name broken by pdftotext onto the following lines is one string."""
    found = rows(
        "项目名称\n防汛防台物资储备及应急演练经\n\n费\n\n主管部门 上海市水务局 实施单位 上海市防汛物资储备管理所"
    )
    identity = read_identity(found, Used())
    assert identity["name"] == "防汛防台物资储备及应急演练经费"
    assert identity["unit"] == "上海市防汛物资储备管理所"


def test_label_and_value_sharing_a_cell_with_a_colon() -> None:
    """``项目名称：X`` and two ``key：value`` pairs on one line are split at their colons."""
    found = rows("项目名称：基层公共文化服务场馆免费开放\n主管部门：某区文化旅游体育局    实施单位：某区文化馆")
    assert read_identity(found, Used()) == {
        "name": "基层公共文化服务场馆免费开放",
        "department": "某区文化旅游体育局",
        "unit": "某区文化馆",
    }


def test_transfer_payment_identity_labels() -> None:
    """转移支付(项目)名称, 中央主管部门, 地方主管部门 and 资金使用单位 fill name, central, department and unit."""
    found = rows(
        "转移支付(项目)名称\t公共文化服务体系建设补助资金\n中央主管部门\t文化和旅游部\n"
        "地方主管部门\t绵阳市文化广播电视和旅游局\t资金使用单位\t绵阳市图书馆"
    )
    assert read_identity(found, Used()) == {
        "name": "公共文化服务体系建设补助资金",
        "central_department": "文化和旅游部",
        "department": "绵阳市文化广播电视和旅游局",
        "unit": "绵阳市图书馆",
    }


def test_contact_person_and_phone_are_placed_but_not_kept() -> None:
    """项目负责人 and 联系电话 are read over (placed) but not stored in the project."""
    found = rows("项目名称\t院前急救体系运行保障\n项目负责人\t张三\t联系电话\t0571-12345678")
    used = Used()
    assert read_identity(found, used) == {"name": "院前急救体系运行保障"}
    assert unplaced(found, used) == []


def test_project_period_range_gives_start_and_end_dates() -> None:
    """``项目期限 2024-01-01至2026-12-31`` gives the planned start and end dates."""
    identity = read_identity(rows("项目名称\t适龄女性HPV疫苗免费接种\n项目期限\t2024-01-01至2026-12-31"), Used())
    assert (identity["start_date"], identity["end_date"]) == ("2024-01-01", "2026-12-31")
    assert "_period" not in identity


def test_project_period_in_chinese_dates_is_made_iso() -> None:
    """``2024年1月1日至2024年12月31日`` (also with full-width digits) becomes ISO dates with zero padding."""
    for period in ("2024年1月1日至2024年12月31日", "２０２４年１月１日至２０２４年１２月３１日"):
        identity = read_identity(rows(f"项目名称\t院前急救体系运行保障\n项目期限\t{period}"), Used())
        assert (identity["start_date"], identity["end_date"]) == ("2024-01-01", "2024-12-31")


def test_project_period_with_slashes() -> None:
    """``2024/1/1-2024/12/31`` is a period too."""
    identity = read_identity(rows("项目名称\t院前急救\n实施期限\t2024/1/1-2024/12/31"), Used())
    assert (identity["start_date"], identity["end_date"]) == ("2024-01-01", "2024-12-31")


def test_a_period_with_only_one_date_sets_no_dates() -> None:
    """A period that does not print two full dates leaves both dates unset."""
    identity = read_identity(rows("项目名称\t院前急救\n项目期限\t2024年1月1日至2026年"), Used())
    assert "start_date" not in identity
    assert "end_date" not in identity


def test_planned_dates_in_separate_cells() -> None:
    """计划开始日期 and 计划完成日期 in their own cells are read, Chinese or dotted dates included."""
    found = rows("项目名称\t院前急救\n计划开始日期\t2023年3月1日\t计划完成日期\t2023.12.31")
    identity = read_identity(found, Used())
    assert (identity["start_date"], identity["end_date"]) == ("2023-03-01", "2023-12-31")


def test_money_unit_from_the_page_header() -> None:
    """The unit is read from ``单位：万元`` on the header line or from ``（元）`` after a label."""
    assert money_unit_in(rows("填报单位（盖章）：某区卫生健康局\t\t\t单位：万元")) == "万元"
    assert money_unit_in(rows("项目资金\n（元）")) == "元"
    assert money_unit_in(rows("金额单位：元")) == "元"
    assert money_unit_in(rows("项目名称\t甲")) is None


# -- funds ----------------------------------------------------------------------

FLOWING_FUNDS = """\
项目资金
（元）

     年初预算数 全年预算数 全年执行数  分值  执行率 得分

年度资金总额 412000.00 365800.00 331,208 10 90.55% 9.06

    其中：当年财政
拨款 412000 365800 331208 —

                上年结转资金 0 0 —
"""


def test_flowing_funds_rows_by_column() -> None:
    """Each amount goes to its column; ``331,208`` reads as 331208 and ``90.55%`` as rate 90.55."""
    result = read_funds(rows(FLOWING_FUNDS), Kind.SELF_EVALUATION, Problems("f.txt"), Used())
    assert result.money_unit == "元"
    assert result.funds.total == FundRow(
        initial=D("412000.00"), adjusted=D("365800.00"), executed=D("331208"), rate_pct=D("90.55")
    )


def test_self_evaluation_total_row_gives_the_execution_score() -> None:
    """The total row's 分值, 执行率 and 得分 are the 预算执行率 scoring row."""
    result = read_funds(rows(FLOWING_FUNDS), Kind.SELF_EVALUATION, Problems("f.txt"), Used())
    assert result.execution == (D("10"), D("90.55"), D("9.06"))


def test_a_fund_label_broken_over_two_lines_is_joined() -> None:
    """``其中：当年财政`` / ``拨款 412000 …`` is the current-appropriation row."""
    found = rows(FLOWING_FUNDS)
    used = Used()
    result = read_funds(found, Kind.SELF_EVALUATION, Problems("f.txt"), used)
    assert result.funds.current_appropriation == FundRow(
        initial=D("412000"), adjusted=D("365800"), executed=D("331208")
    )
    assert unplaced(found, used) == []


def test_a_dash_takes_its_column_position() -> None:
    """``上年结转资金 0 0 —``: the dash fills the 全年执行数 column, which is null, not shifted."""
    result = read_funds(rows(FLOWING_FUNDS), Kind.SELF_EVALUATION, Problems("f.txt"), Used())
    assert result.funds.carryover == FundRow(initial=D("0"), adjusted=D("0"), executed=None)


def test_broken_label_with_its_figures_on_a_separate_line() -> None:
    """``其中：当年财政`` / ``拨款`` / figures on the next line: the figures belong to the joined label."""
    text = (
        "项目资金\n（万元）\n年初预算数 全年预算数 全年执行数 分数 执行率(%) 得分\n"
        "年度资金总额： 268.50 268.50 231.64 10.00 86.27 8.63\n"
        "其中：当年财政\n\n拨款\n268.50 268.50 231.64 - 86.27 -\n"
    )
    result = read_funds(rows(text), Kind.SELF_EVALUATION, Problems("f.txt"), Used())
    assert result.money_unit == "万元"
    assert result.funds.current_appropriation == FundRow(
        initial=D("268.50"), adjusted=D("268.50"), executed=D("231.64"), rate_pct=D("86.27")
    )


def test_tabbed_funds_with_dashes_in_the_score_columns() -> None:
    """Dashes under 分值 and 得分 leave those columns empty; the sub-row keeps its rate."""
    text = (
        "项目资金 (万元)\t\t年初预算数\t全年预算数\t全年执行数\t分数\t执行率(%)\t得分\n"
        "\t年度资金总额\t86.40\t82.00\t79.53\t10.00\t96.98\t9.70\n"
        "\t其中：当年财政拨款\t86.40\t82.00\t79.53\t-\t96.98\t-\n"
        "\t其他资金\t—\t—\t—\t-\t—\t-\n"
    )
    result = read_funds(rows(text), Kind.SELF_EVALUATION, Problems("f.txt"), Used())
    assert result.funds.current_appropriation == FundRow(
        initial=D("86.40"), adjusted=D("82.00"), executed=D("79.53"), rate_pct=D("96.98")
    )
    assert result.funds.other == FundRow()
    assert result.execution == (D("10.00"), D("96.98"), D("9.70"))


def test_declaration_amounts_are_the_requested_column() -> None:
    """A declaration's single amount per row is 年度资金申请总额 (``requested``)."""
    text = "项目资金\t年度资金总额\t2860.50\n\t其中：财政拨款\t2860.50\n\t其他资金\t0.00"
    result = read_funds(rows(text), Kind.TARGET_DECLARATION, Problems("f.txt"), Used())
    assert result.funds.total == FundRow(requested=D("2860.50"))
    assert result.funds.current_appropriation == FundRow(requested=D("2860.50"))
    assert result.funds.other == FundRow(requested=D("0.00"))
    assert result.execution is None


def test_declaration_whole_project_row_is_not_a_fund_row() -> None:
    """``项目资金总额`` and ``其中：财政资金`` frame the block; the 当年财政拨款 beside them is read."""
    text = (
        "项目资金 (元)\t项目资金总额\t\t年度资金申请总额\t686,400.00\t\n"
        "\t其中：财政资金\t\t其中：当年财政拨款\t686,400.00\t\n"
        "\t\t\t上年结转资金\t0.00\t\n"
    )
    result = read_funds(rows(text), Kind.TARGET_DECLARATION, Problems("f.txt"), Used())
    assert result.money_unit == "元"
    assert result.funds.total == FundRow(requested=D("686400.00"))
    assert result.funds.current_appropriation == FundRow(requested=D("686400.00"))
    assert result.funds.carryover == FundRow(requested=D("0.00"))


def test_transfer_funds_columns_from_their_headings() -> None:
    """A transfer form's 全年预算数(A) / 全年执行数(B) / 预算执行率(B/A) headings give the columns."""
    text = (
        "资金投入情况 (万元)\t\t全年预算数(A)\t全年执行数(B)\t预算执行率(B/A)\n"
        "\t年度资金总额:\t1623.60\t1504.37\t92.7%\n\t其中:中央财政资金\t1260.00\t1187.42\t94.2%\n"
        "\t地方资金\t315.00\t268.35\t85.2%\n"
    )
    result = read_funds(rows(text), Kind.TRANSFER_SELF_EVALUATION, Problems("f.txt"), Used())
    assert result.funds.total == FundRow(adjusted=D("1623.60"), executed=D("1504.37"), rate_pct=D("92.7"))
    assert result.funds.central == FundRow(adjusted=D("1260.00"), executed=D("1187.42"), rate_pct=D("94.2"))
    assert result.funds.local == FundRow(adjusted=D("315.00"), executed=D("268.35"), rate_pct=D("85.2"))
    assert result.execution is None


def test_a_fund_row_repeated_over_a_page_break_is_kept_once() -> None:
    """The first printing of a row wins when a page break repeats it."""
    text = (
        "项目资金（万元）\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
        "年度资金总额\t10.00\t16.40\t16.40\t10\t100%\t10\n年度资金总额\t99.00\t99.00\t99.00\t10\t100%\t10\n"
    )
    result = read_funds(rows(text), Kind.SELF_EVALUATION, Problems("f.txt"), Used())
    assert result.funds.total is not None
    assert result.funds.total.initial == D("10.00")


def test_more_figures_than_columns_is_warned_with_its_line() -> None:
    """A funds row with more numbers than headings reads what fits and warns at that line."""
    text = (
        "项目资金（万元）\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
        "年度资金总额\t10.00\t16.40\t16.40\t10\t100%\t10\t99\n"
    )
    problems = Problems("f.txt")
    result = read_funds(rows(text), Kind.SELF_EVALUATION, problems, Used())
    assert result.funds.total == FundRow(
        initial=D("10.00"), adjusted=D("16.40"), executed=D("16.40"), rate_pct=D("100")
    )
    assert [(w.location.file, w.location.line) for w in problems.items] == [("f.txt", 2)]


def test_funds_written_as_prose() -> None:
    """Prose funding rows (``年初预算数82.00，…；上年结转资金：无``) give the figures named; 无 gives no row."""
    text = (
        "项目资金（万元）：年初预算数82.00，全年预算数82.00，全年执行数80.36，分值10，执行率98.00%，得分9.80。\n"
        "其中：当年财政拨款：年初预算数82.00，全年预算数82.00，全年执行数80.36；上年结转资金：无；其他资金：无。"
    )
    found = rows(text)
    used = Used()
    result = read_funds(found, Kind.SELF_EVALUATION, Problems("f.txt"), used)
    assert result.money_unit == "万元"
    assert result.funds.total == FundRow(
        initial=D("82.00"), adjusted=D("82.00"), executed=D("80.36"), rate_pct=D("98.00")
    )
    assert result.funds.current_appropriation == FundRow(initial=D("82.00"), adjusted=D("82.00"), executed=D("80.36"))
    assert result.funds.carryover is None
    assert result.funds.other is None
    assert result.execution == (D("10"), D("98.00"), D("9.80"))
    assert unplaced(found, used) == []


def test_prose_figures_by_their_words() -> None:
    """Each column word before a figure names its column; ``为`` and colons may stand between."""
    assert prose_figures("年初预算数82.00，全年预算数为1,200.50，执行率：98%") == {
        "initial": D("82.00"),
        "adjusted": D("1200.50"),
        "rate_pct": D("98"),
    }


# -- goals ----------------------------------------------------------------------


def test_goal_and_outcome_in_two_wrapped_columns() -> None:
    """Two columns printed one after the other are split where the first column's lines stop being full."""
    text = """\
年度
总体
目标

预期目标 实际完成情况

贯彻落实河湖长制工作要求，组织召开河湖长制工作会
议，开展河湖长业务培训，编制年度河湖健康评估报告
，推动河湖水环境持续改善。

全年召开河湖长制工作会议4次，完成河湖长
业务培训2次，其中1次因汛期值守改为线上开
展；河湖长制工作机制运行良好。
"""
    goals = read_goals(rows(text), Kind.SELF_EVALUATION, Used())
    assert goals == {
        "goal": (
            "贯彻落实河湖长制工作要求，组织召开河湖长制工作会议，开展河湖长业务培训，"
            "编制年度河湖健康评估报告，推动河湖水环境持续改善。"
        ),
        "outcome": "全年召开河湖长制工作会议4次，完成河湖长业务培训2次，其中1次因汛期值守改为线上开展；"
        "河湖长制工作机制运行良好。",
    }


def test_goal_and_outcome_in_tab_cells() -> None:
    """With 预期目标 and 实际完成情况 headings, the text cells below go to them in order."""
    text = (
        "年度 总体 目标\t预期目标\t\t\t实际完成情况\n\t对区内24个助餐点给予运营补贴。\t\t\t全年对24个助餐点发放补贴。"
    )
    assert read_goals(rows(text), Kind.SELF_EVALUATION, Used()) == {
        "goal": "对区内24个助餐点给予运营补贴。",
        "outcome": "全年对24个助餐点发放补贴。",
    }


def test_a_goal_left_empty_leaves_the_outcome_under_its_own_heading() -> None:
    """Tab cells: a text under 截至7月31日完成情况 is the outcome even when the 年度目标 cell beside it is empty."""
    text = "年度总体目标\t\t年度目标\t\t\t\t截至7月31日完成情况\n\t\t\t\t\t\t已完成四成。"
    assert read_goals(rows(text), Kind.MONITORING, Used()) == {"outcome": "已完成四成。"}
    filled = "年度总体目标\t\t年度目标\t\t\t\t截至7月31日完成情况\n\t\t硬化道路10公里\t\t\t\t已完成四成。"
    assert read_goals(rows(filled), Kind.MONITORING, Used()) == {"goal": "硬化道路10公里", "outcome": "已完成四成。"}


def test_keyed_goal_lines() -> None:
    """``预期目标：…`` and ``实际完成情况：…`` each give their field; 年度总体目标： alone is a heading."""
    text = "年度总体目标：\n预期目标：保障综合文化站免费开放。\n实际完成情况：17个综合文化站全部免费开放。"
    assert read_goals(rows(text), Kind.SELF_EVALUATION, Used()) == {
        "goal": "保障综合文化站免费开放。",
        "outcome": "17个综合文化站全部免费开放。",
    }


def test_declaration_overall_goal_and_annual_goal() -> None:
    """项目总目标（中长期） and 年度目标 headings give overall_goal and goal."""
    text = (
        "总体目标\t项目总目标（中长期）\t\t\t年度目标\n\t持续实施基本公共卫生服务项目。\t\t\t2024年按每人30元标准配套。"
    )
    assert read_goals(rows(text), Kind.TARGET_DECLARATION, Used()) == {
        "overall_goal": "持续实施基本公共卫生服务项目。",
        "goal": "2024年按每人30元标准配套。",
    }


def test_a_declarations_single_text_is_its_goal() -> None:
    """A declaration's one goal text (even wrapped in ``<p>``) is its 年度总体目标."""
    text = "项目 绩效 目标\t项目总目标\t\t年度总体目标\t\n\t\t\t<p>围绕市容环境卫生管理目标，全年开展专项检查12次。</p>"
    assert read_goals(rows(text), Kind.TARGET_DECLARATION, Used()) == {
        "goal": "围绕市容环境卫生管理目标，全年开展专项检查12次。"
    }


def test_goal_heading_names_with_brackets_and_colons() -> None:
    """Goal headings are recognised with a bracketed note or a trailing colon; other words are not."""
    assert goal_head("项目总目标（中长期）") == "overall_goal"
    assert goal_head("年度目标：") == "goal"
    assert goal_head("全年实际完成情况") == "outcome"
    assert goal_head("目标") is None


# -- total, grade, footnotes --------------------------------------------------------


def test_total_score_is_the_last_number_after_the_weight() -> None:
    """``总分 100 96.50`` scores 96.50, also in tab cells and full-width digits."""
    assert read_total(row("总分 100 96.50")) == D("96.50")
    assert read_total(row("总分\t\t\t\t\t100.00\t96.70\t")) == D("96.70")
    assert read_total(row("总分\t１００\t９８.５")) == D("98.5")


def test_total_score_named_by_its_label() -> None:
    """``总分：100 得分：99.36`` scores what follows 得分, not the 100."""
    assert read_total(row("总分：100    得分：99.36")) == D("99.36")
    assert read_total(row("总分:100；得分:99.00")) == D("99.00")


def test_named_score_wins_over_a_later_number() -> None:
    """When the row names its 得分, a number printed after it (the full mark) is not the score."""
    assert read_total(row("总分：得分98.51（满分100分）")) == D("98.51")


def test_a_total_without_figures_has_no_score() -> None:
    """A bare 总分 label gives no score."""
    assert read_total(row("总分")) is None


def test_grades_after_their_label() -> None:
    """The grade character after 评分等级 / 自评等级 is read, in cells or after a colon."""
    assert read_grade(row("评分等级\t优\t\t")) == "优"
    assert read_grade(row("评分等级\t\t良\t")) == "良"
    assert read_grade(row("自评等级：中")) == "中"
    assert read_grade(row("评分等级\t\t")) is None


def test_after_the_table_total_grade_notes_are_placed_and_the_rest_returned() -> None:
    """Total, grade, numbered footnotes, 说明 and page footers are placed; other text is left for the caller."""
    found = rows(
        "总分\t\t100\t96.50\n评分等级\t良\n注：1.本表金额单位为万元。\n2.得分保留两位小数。\n"
        "说明\t无\n第 3 页\n这是一段无法归类的文字"
    )
    used = Used()
    total, grade, rest = read_after(found, used)
    assert (total, grade) == (D("96.50"), "良")
    assert [r.number for r in rest] == [7]
    assert unplaced(found, used) == [7]


def test_a_grade_printed_on_the_total_row() -> None:
    """``总分 100 92 评分等级 优`` gives both the total and the grade."""
    total, grade, rest = read_after(rows("总分 100 92 评分等级 优"), Used())
    assert (total, grade, rest) == (D("92"), "优", [])


# -- fund management --------------------------------------------------------------


def test_fund_management_rows_item_description_remedy() -> None:
    """Each 资金管理情况 row gives item, 情况说明 and 存在问题和改进措施; the heading row is skipped."""
    text = (
        "资金管理情况\t\t情况说明\t\t存在问题和改进措施\n"
        "\t分配科学性\t按照因素法分配。\t\t无\n"
        "\t执行准确性\t中央资金执行率94.2%。\t\t地方配套资金执行率偏低。\t督促加快支出进度。\n"
    )
    assert read_fund_management(rows(text), Used()) == (
        FundManagementRow("分配科学性", "按照因素法分配。", "无"),
        FundManagementRow("执行准确性", "中央资金执行率94.2%。", "地方配套资金执行率偏低。督促加快支出进度。"),
    )


def test_fund_management_description_wrapped_onto_the_next_line() -> None:
    """In reading-order text a lone line after a row continues its description."""
    text = "资金管理情况 情况说明 存在问题和改进措施\n分配科学性 按照因素法分配， 无\n综合考虑服务人口。"
    assert read_fund_management(rows(text), Used()) == (
        FundManagementRow("分配科学性", "按照因素法分配，综合考虑服务人口。", "无"),
    )
