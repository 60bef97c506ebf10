"""Finding the forms: titles and kinds, years, project regions, sections, boilerplate and running page heads."""

from __future__ import annotations

import pytest

from jixiao.core.model import Kind
from jixiao.documents.forms import (
    document_kind,
    document_year,
    is_boilerplate,
    is_footer,
    is_grade,
    is_project_start,
    is_total,
    running_heads,
    split_projects,
    split_sections,
    title_kind,
    year_of,
)
from jixiao.documents.rows import Row, make_rows
from jixiao.documents.text import split_lines


def rows(text: str) -> list[Row]:
    return make_rows(split_lines(text))


def row(text: str) -> Row:
    (only,) = rows(text)
    return only


def numbers(found: list[Row]) -> list[int]:
    """The line numbers of the rows that print something."""
    return [r.number for r in found if not r.blank]


# -- titles, kinds, years ------------------------------------------------------


@pytest.mark.parametrize(
    "title, kind",
    [
        ("财政项目支出绩效自评表", Kind.SELF_EVALUATION),
        ("项目支出绩效自评表", Kind.SELF_EVALUATION),
        ("某区农业农村局2023年度项目支出绩效自评表", Kind.SELF_EVALUATION),
        ("财政项目支出绩效目标申报表", Kind.TARGET_DECLARATION),
        ("上海市林业总站2023年度项目绩效目标汇总表", Kind.TARGET_DECLARATION),
        ("中央对地方转移支付区域绩效目标自评表", Kind.TRANSFER_SELF_EVALUATION),
        ("2022年度公共文化服务体系建设补助资金转移支付绩效自评报告", Kind.TRANSFER_SELF_EVALUATION),
        ("**中央对地方转移支付区域绩效目标自评表**", Kind.TRANSFER_SELF_EVALUATION),
    ],
)
def test_form_titles_name_their_kind(title: str, kind: Kind) -> None:
    """Each form title names its kind; a transfer-payment title wins over the 自评表 it also contains."""
    assert title_kind(title) is kind


@pytest.mark.parametrize("text", ["项目名称", "绩效自评报告", "自评表", "年度总体目标", "总分"])
def test_other_lines_are_no_titles(text: str) -> None:
    """Labels and a bare 自评报告 are not form titles."""
    assert title_kind(text) is None


def test_a_long_paragraph_mentioning_a_form_is_no_title() -> None:
    """A narrative line longer than a title is not taken for one even if it names the form."""
    prose = "根据市财政局要求，本局对2022年度项目开展自评，" * 3 + "并填写财政项目支出绩效自评表。"
    assert title_kind(prose) is None


@pytest.mark.parametrize(
    "text, year",
    [
        ("(2022 年度)", 2022),
        ("（2023年度）", 2023),
        ("（2023年）", 2023),
        ("(2024)", 2024),
        ("2024年度项目支出绩效目标申报表", 2024),
    ],
)
def test_year_lines_give_the_year(text: str, year: int) -> None:
    """The 年度 of a title or year line, with either brackets and spacing."""
    assert year_of(text) == year


@pytest.mark.parametrize("text", ["2023年", "计划2024年上半年建成", "(1999年度)", "项目名称"])
def test_a_year_in_passing_is_not_the_forms_year(text: str) -> None:
    """A bare 年 in prose and years outside 20xx are not a form's year."""
    assert year_of(text) is None


# -- frame lines ------------------------------------------------------------------


@pytest.mark.parametrize("text", ["- 7 -", "— 1 —", "第 3 页 共 9 页", "第3页", "第 2 页，共 5 页", "3/9"])
def test_page_numbers_are_footers(text: str) -> None:
    """Every page-number style seen is a footer."""
    assert is_footer(row(text))


@pytest.mark.parametrize("text", ["- 7", "100", "第三季度"])
def test_numbers_and_words_are_not_footers(text: str) -> None:
    """A stray number or a word is not a page footer."""
    assert not is_footer(row(text))


@pytest.mark.parametrize(
    "text",
    ["绩", "效", "年度", "绩效指标", "(2023年度)", "填表人：张三", "联系电话：0731-1234567", "财政项目支出绩效自评表"],
)
def test_frame_lines_are_boilerplate(text: str) -> None:
    """Vertical label pieces, year lines, signatures and titles belong to the form's frame."""
    assert is_boilerplate(row(text))


@pytest.mark.parametrize("text", ["项目名称", "说明", "河湖长制工作会议计划", "总分 100 97.73"])
def test_content_lines_are_not_boilerplate(text: str) -> None:
    """Labels, names and totals are content, not frame."""
    assert not is_boilerplate(row(text))


@pytest.mark.parametrize(
    "text",
    [
        "项目名称\t社区助餐",
        "项目名称：社区助餐",
        "项目名称 社区助餐",
        "\t项目名称\t社区助餐",
        "转移支付(项目)名称\t补助",
    ],
)
def test_project_name_label_opens_a_project(text: str) -> None:
    """A row whose first cell is the 项目名称 label (in any separator) opens a project."""
    assert is_project_start(row(text))


def test_a_name_mentioned_mid_line_opens_no_project() -> None:
    """项目名称 inside other text does not open a project."""
    assert not is_project_start(row("新增项目名称统计"))


@pytest.mark.parametrize(
    "text",
    ["总分\t\t\t\t\t100.00\t96.70", "总分 100 96.50", "总分：100    得分：99.36", "总分10098.51", "合计\t100\t98"],
)
def test_total_rows_are_recognised(text: str) -> None:
    """总分 rows in tab, space, keyed and fused layouts close the table."""
    assert is_total(row(text))


@pytest.mark.parametrize("text", ["总分数", "总分值说明", "分值"])
def test_words_starting_like_a_total_are_not_totals(text: str) -> None:
    """Words that merely start with 总分 are not the total row."""
    assert not is_total(row(text))


@pytest.mark.parametrize("text", ["评分等级\t优", "自评等级：良", "绩效等级 中"])
def test_grade_rows_are_recognised(text: str) -> None:
    """Each grade label opens a grade row."""
    assert is_grade(row(text))


def test_running_page_head_is_found_only_when_repeated() -> None:
    """A publication header printed on two pages is a running head; a repeated indicator name is not."""
    found = running_heads(
        rows(
            "某区民政局2024年度部门决算\n项目名称\t社区助餐\n管理人员满意度\n"
            "某区民政局2024年度部门决算\n管理人员满意度\n上海市医疗保障局\n"
        )
    )
    assert found == {"某区民政局2024年度部门决算"}


def test_a_repeated_office_name_is_a_running_head() -> None:
    """An office name (ending in 局) repeated as a lone line is a running head."""
    assert running_heads(rows("上海市医疗保障局\n项目名称\t甲\n上海市医疗保障局\n")) == {"上海市医疗保障局"}


def test_a_repeated_form_title_is_not_a_running_head() -> None:
    """A form title printed above each form is never taken for a page header."""
    text = "某区民政局2024年度项目支出绩效自评表\n项目名称\t甲\n某区民政局2024年度项目支出绩效自评表\n项目名称\t乙\n"
    assert running_heads(rows(text)) == set()


# -- regions ------------------------------------------------------------------

TWO_FORMS = """\
某区卫生健康局2024年度部门预算公开
以下为本局项目绩效目标。
2024年度项目支出绩效目标申报表

填报单位（盖章）：某区卫生健康局\t\t\t单位：万元
项目名称\t社区卫生服务补助
主管部门\t某区卫生健康局\t实施单位\t某区社区卫生服务中心
项目资金\t年度资金总额\t120.00
总体目标\t年度目标
\t完成社区卫生服务补助发放。
绩效指标\t一级指标\t二级指标\t三级指标\t指标值
\t产出指标\t数量指标\t补助机构数\t≥12家
2025年度项目支出绩效目标申报表
填报单位（盖章）：某区卫生健康局\t\t\t单位：万元
项目名称\t家庭医生签约
主管部门\t某区卫生健康局
"""


def test_preamble_ends_where_the_first_forms_title_begins() -> None:
    """Lines before the first form's title are the preamble; the title opens the first region."""
    preamble, regions = split_projects(rows(TWO_FORMS))
    assert numbers(preamble) == [1, 2]
    assert regions[0].rows[0].number == 3


def test_title_and_filing_unit_lines_belong_to_the_next_form() -> None:
    """The next form's title and its 填报单位/单位：万元 line start its region, not end the previous one."""
    _, regions = split_projects(rows(TWO_FORMS))
    assert len(regions) == 2
    assert regions[0].rows[0].number == 3
    assert regions[0].rows[-1].number == 12
    assert numbers(regions[1].rows) == [13, 14, 15, 16]


def test_each_region_takes_kind_and_year_from_its_own_title() -> None:
    """A region's kind and year come from the title printed above its 项目名称."""
    _, regions = split_projects(rows(TWO_FORMS))
    assert [(r.kind, r.year) for r in regions] == [
        (Kind.TARGET_DECLARATION, 2024),
        (Kind.TARGET_DECLARATION, 2025),
    ]


def test_a_form_without_its_own_title_inherits_kind_and_year() -> None:
    """Forms printed one after another without a title carry the previous title's kind and year."""
    _, regions = split_projects(rows("财政项目支出绩效自评表\n(2023年度)\n项目名称\t甲\n总分\t100\t98\n项目名称\t乙\n"))
    assert [(r.kind, r.year) for r in regions] == [(Kind.SELF_EVALUATION, 2023)] * 2


def test_text_without_a_project_name_has_no_region() -> None:
    """Without any 项目名称 every row is preamble and there is no region."""
    text = "关于2023年度部门整体支出绩效自评的说明\n本局全年预算执行率98%。"
    preamble, regions = split_projects(rows(text))
    assert regions == []
    assert numbers(preamble) == [1, 2]


def test_document_kind_is_the_most_common_title() -> None:
    """The document's kind is the kind most of its forms' titles name."""
    text = (
        "财政项目支出绩效自评表\n项目名称\t甲\n财政项目支出绩效自评表\n项目名称\t乙\n"
        "财政项目支出绩效目标申报表\n项目名称\t丙\n"
    )
    preamble, regions = split_projects(rows(text))
    assert document_kind(preamble, regions) is Kind.SELF_EVALUATION


def test_a_transfer_payment_title_decides_the_kind() -> None:
    """A transfer-payment title anywhere makes the document a transfer self-evaluation."""
    text = (
        "中央对地方转移支付区域绩效目标自评表\n项目名称\t甲\n"
        "财政项目支出绩效自评表\n项目名称\t乙\n财政项目支出绩效自评表\n项目名称\t丙\n"
    )
    preamble, regions = split_projects(rows(text))
    assert document_kind(preamble, regions) is Kind.TRANSFER_SELF_EVALUATION


@pytest.mark.parametrize(
    "body, kind",
    [
        ("中央主管部门\t国家医疗保障局", Kind.TRANSFER_SELF_EVALUATION),
        ("一级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分", Kind.SELF_EVALUATION),
        ("一级指标\t二级指标\t三级指标\t年度指标值", Kind.TARGET_DECLARATION),
    ],
)
def test_without_a_title_the_kind_is_guessed_from_labels(body: str, kind: Kind) -> None:
    """With no title, 中央主管部门 means transfer, 实际完成值/得分 self-evaluation, 指标值 alone a declaration."""
    preamble, regions = split_projects(rows(f"项目名称\t甲\n{body}\n"))
    assert document_kind(preamble, regions) is kind


def test_no_title_and_no_telling_labels_gives_no_kind() -> None:
    """A form with only identity lines has no kind."""
    preamble, regions = split_projects(rows("项目名称\t甲\n主管部门\t某局\n"))
    assert document_kind(preamble, regions) is None


def test_document_year_is_the_most_common_title_year() -> None:
    """The document's year is the one most of its titles print."""
    text = "自评表(2023年度)\n项目名称\t甲\n(2023年度)\n项目名称\t乙\n(2024年度)\n项目名称\t丙\n"
    preamble, regions = split_projects(rows(text))
    assert document_year(preamble, regions) == 2023


def test_without_a_title_year_the_planned_dates_give_the_year() -> None:
    """No year in any title: the year of the planned start date is used."""
    preamble, regions = split_projects(rows("项目名称\t甲\n计划开始日期\t2023-01-01\t计划完成日期\t2023-12-31\n"))
    assert document_year(preamble, regions) == 2023


# -- sections -----------------------------------------------------------------

SELF_EVALUATION = """\
项目名称\t社区老年人助餐服务点运营补贴
主管部门\t某区民政局\t实施单位\t某区养老服务发展中心
项目资金 (万元)\t\t年初预算数\t全年预算数\t全年执行数\t分数\t执行率(%)\t得分
\t年度资金总额\t86.40\t82.00\t79.53\t10.00\t96.98\t9.70
年度 总体 目标\t预期目标\t\t实际完成情况
\t对区内24个助餐点给予运营补贴。\t\t全年对24个助餐点发放补贴。
一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施
产出指标\t数量指标\t补贴助餐服务点数量\t=24个\t24个\t90\t86.70\t
总分\t\t\t\t\t100.00\t96.70
评分等级\t优
"""


def test_a_self_evaluation_cuts_into_its_sections_in_order() -> None:
    """Identity, funds, goals, table and after follow each other, each opened by its heading."""
    parts = split_sections(rows(SELF_EVALUATION))
    assert {name: numbers(found) for name, found in parts.items()} == {
        "identity": [1, 2],
        "funds": [3, 4],
        "fund_management": [],
        "goals": [5, 6],
        "table": [7, 8],
        "after": [9, 10],
    }


def test_a_transfer_form_has_a_fund_management_section() -> None:
    """资金管理情况 opens its own section between funds and goals; 说明 and the notes follow the table."""
    text = (
        "转移支付(项目)名称\t公共文化服务体系建设补助资金\n中央主管部门\t文化和旅游部\n"
        "资金投入情况 (万元)\t\t全年预算数(A)\t全年执行数(B)\t预算执行率(B/A)\n"
        "\t年度资金总额:\t1623.60\t1504.37\t92.7%\n"
        "资金管理情况\t\t情况说明\t\t存在问题和改进措施\n\t分配科学性\t按照因素法分配。\t\t无\n"
        "总体目标完成情况\t\t总体目标\t\t全年实际完成情况\n\t\t支持免费开放。\t\t全年免费开放。\n"
        "绩效指标\t一级指标\t二级指标\t三级指标\t指标值\t全年实际完成值\t未完成原因和改进措施\n"
        "\t产出指标\t数量指标\t免费开放场馆数量\t≥20个\t20个\t\n"
        "\t说明\t无\n注：1.本表金额单位为万元。\n"
    )
    parts = split_sections(rows(text))
    assert numbers(parts["fund_management"]) == [5, 6]
    assert numbers(parts["goals"]) == [7, 8]
    assert numbers(parts["table"]) == [9, 10]
    assert numbers(parts["after"]) == [11, 12]


def test_a_keyed_form_table_opens_at_its_first_level_heading() -> None:
    """In a key：value form the table opens at 绩效指标完成情况 or at （一）产出指标."""
    text = "项目名称：甲\n年度总体目标：完成培训。\n（一）产出指标\n指标1：培训人次\n年度指标值：≥200人次\n"
    parts = split_sections(rows(text))
    assert numbers(parts["goals"]) == [2]
    assert numbers(parts["table"]) == [3, 4, 5]


def test_identity_labels_never_open_the_funds_section() -> None:
    """An identity row that mentions a funding word stays in the identity section."""
    text = "项目名称\t其他资金管理项目\n主管部门\t某局\n项目资金\t年度资金总额\t10.00\n"
    parts = split_sections(rows(text))
    assert numbers(parts["identity"]) == [1, 2]
    assert numbers(parts["funds"]) == [3]
