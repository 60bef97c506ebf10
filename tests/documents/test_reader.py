"""Whole sources read into documents: every layout, every line accounted for, warnings with file and line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.core.errors import SourceError
from jixiao.core.model import Execution, FundManagementRow, FundRow, Indicator, Kind
from jixiao.documents.reader import read_text
from jixiao.documents.result import ImportResult
from jixiao.documents.text import read_bytes

D = Decimal


def read(text: str, name: str = "form.txt") -> ImportResult:
    return read_text(read_bytes(text.encode("utf-8"), name))


def problems(result: ImportResult) -> list[tuple[str | None, int | None, str]]:
    return [(w.location.file, w.location.line, w.text) for w in result.problems]


TABBED = """\
财政项目支出绩效自评表
(2024年度)

项目名称\t社区老年人助餐服务点运营补贴
主管部门\t某区民政局\t实施单位\t某区养老服务发展中心
项目资金 (万元)\t\t年初预算数\t全年预算数\t全年执行数\t分数\t执行率(%)\t得分
\t年度资金总额\t86.40\t82.00\t79.53\t10.00\t96.98\t9.70
\t其中：当年财政拨款\t86.40\t82.00\t79.53\t-\t96.98\t-
\t上年结转资金\t0.00\t0.00\t0.00\t-\t0.00\t-
年度 总体 目标\t预期目标\t\t\t实际完成情况
\t对区内24个助餐点给予运营补贴。\t\t\t全年对24个助餐点发放补贴。
一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施
成本指标\t经济成本指标\t助餐点运营补贴标准执行情况\t按标准执行\t达成指标\t10.00\t10.00\t
产出指标\t数量指标\t年度助餐服务人次\t≥18.00(万人次)\t16.20(万人次)\t40.00\t36.00\t部分助餐点装修暂停服务。
\t时效指标\t补贴资金按季度拨付\t及时\t部分达成指标并具有一定效果\t10.00\t8.00\t
满意度指标\t服务对象满意度指标\t就餐老年人满意度\t≥90.00(%)\t93.50(%)\t30.00\t30.00\t
总分\t\t\t\t\t100.00\t93.70\t
评分等级\t优\t\t\t\t\t
"""


def test_tabbed_self_evaluation_is_read_whole() -> None:
    """A tab-separated self-evaluation gives every project field, in the schema's shape, with no warning."""
    result = read(TABBED)
    assert result.ok
    assert result.layout == "tabbed"
    doc = result.document
    assert (doc.kind, doc.year) == (Kind.SELF_EVALUATION, 2024)
    (project,) = doc.projects
    assert (project.name, project.department, project.unit) == (
        "社区老年人助餐服务点运营补贴",
        "某区民政局",
        "某区养老服务发展中心",
    )
    assert project.money_unit == "万元"
    assert project.funds.total == FundRow(
        initial=D("86.40"), adjusted=D("82.00"), executed=D("79.53"), rate_pct=D("96.98")
    )
    assert project.funds.carryover == FundRow(
        initial=D("0.00"), adjusted=D("0.00"), executed=D("0.00"), rate_pct=D("0.00")
    )
    assert project.execution == Execution(D("10.00"), D("96.98"), D("9.70"))
    assert (project.goal, project.outcome) == ("对区内24个助餐点给予运营补贴。", "全年对24个助餐点发放补贴。")
    assert (project.total_score, project.grade) == (D("93.70"), "优")
    assert project.indicators[1] == Indicator(
        level1="产出指标",
        level2="数量指标",
        name="年度助餐服务人次",
        target="≥18.00(万人次)",
        actual="16.20(万人次)",
        weight=D("40.00"),
        score=D("36.00"),
        deviation="部分助餐点装修暂停服务。",
    )
    assert [(i.level1, i.level2) for i in project.indicators] == [
        ("成本指标", "经济成本指标"),
        ("产出指标", "数量指标"),
        ("产出指标", "时效指标"),
        ("满意度指标", "服务对象满意度指标"),
    ]


def test_project_source_lines_are_recorded() -> None:
    """Each project records its first and last line and the line of each indicator."""
    (source,) = read(TABBED).projects
    assert (source.first_line, source.last_line) == (1, 19)
    assert source.indicator_lines == (13, 14, 15, 16)


def test_a_line_that_fits_nowhere_is_warned_with_file_and_line() -> None:
    """A stray line inside the funds block is a warning naming the file, its line and its text."""
    lines = TABBED.split("\n")
    lines.insert(9, "本项目资金由区财政全额保障")
    result = read("\n".join(lines), "某区民政局.txt")
    assert not result.ok
    assert problems(result) == [("某区民政局.txt", 10, "本项目资金由区财政全额保障")]
    assert "某区民政局.txt" in str(result.problems[0]) and "第10行" in str(result.problems[0])
    assert len(result.document.projects[0].indicators) == 4


def test_text_after_the_total_that_fits_no_indicator_is_warned() -> None:
    """A line after 总分 that is no grade, footnote or displaced value is a warning at its line."""
    result = read(TABBED.replace("评分等级\t优", "评分等级\t优\n这是一段无法归类的文字"))
    assert problems(result) == [("form.txt", 19, "这是一段无法归类的文字")]


FLOWING = """\
财政项目支出绩效自评表
(2022 年度)

项目名称 防汛物资储备经费

主管部门 上海市水务局 实施单位 上海市防汛物资储备管理所

项目资金
（元）

     年初预算数 全年预算数 全年执行数  分值  执行率 得分

年度资金总额 1286000.00 1243500.00 1,198,607.35 10 96.39% 9.6

    其中：当年财政拨款 1286000 1243500 —

年度
总体
目标

预期目标 实际完成情况

做好防汛物资的储备和日常管理。 全年储备防汛物资38种。

一级指标 二级指标 三级指标
年度

指标值
实际

完成值
分值 得分

偏差原因分析及
改进措施

产出指标

数量指标

防汛物资储备品种数量
>=36种 38种 6 6

质量指标

应急演练参演单位到位

率

>=95% 93% 6 5.5
个别参演单位因同
期抢险任务未能到
位，后续将提前协

调参演计划。

效益指标 社会效益指标

汛期防汛物资保障情况 有效保障 有效保障 15 15

物资储备安全管理情况 10 10

总分 100 99.10
 未发生物资霉变损
毁事件

未发生物资霉变损
毁事件
"""


def test_flowing_self_evaluation_in_reading_order() -> None:
    """A pdftotext reading-order form is read: amounts in 元, wrapped names and notes joined."""
    result = read(FLOWING)
    assert result.layout == "flowing"
    (project,) = result.document.projects
    assert project.money_unit == "元"
    assert project.funds.total == FundRow(
        initial=D("1286000.00"), adjusted=D("1243500.00"), executed=D("1198607.35"), rate_pct=D("96.39")
    )
    assert project.funds.current_appropriation == FundRow(initial=D("1286000"), adjusted=D("1243500"))
    assert (project.goal, project.outcome) == ("做好防汛物资的储备和日常管理。", "全年储备防汛物资38种。")
    second = project.indicators[1]
    assert (second.level2, second.name, second.score) == ("质量指标", "应急演练参演单位到位率", D("5.5"))
    assert second.deviation == "个别参演单位因同期抢险任务未能到位，后续将提前协调参演计划。"
    assert project.total_score == D("99.10")


def test_flowing_values_after_the_total_are_returned_with_a_note() -> None:
    """The target and actual printed after 总分 go back to their row; a note (not a warning) says so."""
    result = read(FLOWING)
    last = result.document.projects[0].indicators[-1]
    assert (last.name, last.target, last.actual) == (
        "物资储备安全管理情况",
        "未发生物资霉变损毁事件",
        "未发生物资霉变损毁事件",
    )
    assert result.ok
    assert [(w.level, w.location.line) for w in result.warnings] == [("note", 64)]


RUN_TOGETHER = """\
项目支出绩效自评表
（2023年度）
项目名称家庭医生签约服务补助
主管部门自流井区卫生健康局实施单位自流井区卫生健康局
项目资金（万元）年初预算数全年预算数全年执行数分值执行率得分
年度资金总额120.00118.50112.6410.0095.05%9.51
其中：当年财政拨款120.00118.50112.64———
上年结转资金———
年度总体目标预期目标推进家庭医生签约服务提质扩面。实际完成情况全区签约6.72万人。
绩效指标一级指标二级指标三级指标年度指标值实际完成值分值得分偏差原因分析及改进措施
产出指标数量指标家庭医生签约服务人数≥6.5万人6.72万人4040
重点人群签约覆盖率≥75%71.6%20 19.10部分高龄老人家属认识不足。
满意度指标服务对象满意度指标签约居民满意度≥85%89.3%3030
总分10099.10
"""


def test_run_together_form_is_read_like_a_table() -> None:
    """Fused labels, two-decimal amounts, ``4040`` and ``20 19.10`` and ``总分10099.10`` are all read."""
    result = read(RUN_TOGETHER)
    assert result.ok
    (project,) = result.document.projects
    assert (project.name, project.unit) == ("家庭医生签约服务补助", "自流井区卫生健康局")
    assert project.funds.total == FundRow(
        initial=D("120.00"), adjusted=D("118.50"), executed=D("112.64"), rate_pct=D("95.05")
    )
    assert project.funds.carryover == FundRow()
    assert project.execution == Execution(D("10.00"), D("95.05"), D("9.51"))
    assert (project.goal, project.outcome) == ("推进家庭医生签约服务提质扩面。", "全区签约6.72万人。")
    assert [(i.name, i.target, i.actual, i.weight, i.score) for i in project.indicators] == [
        ("家庭医生签约服务人数", "≥6.5万人", "6.72万人", D("40"), D("40")),
        ("重点人群签约覆盖率", "≥75%", "71.6%", D("20"), D("19.10")),
        ("签约居民满意度", "≥85%", "89.3%", D("30"), D("30")),
    ]
    assert project.indicators[1].deviation == "部分高龄老人家属认识不足。"
    assert project.total_score == D("99.10")


KEYED = """\
长沙市某区文化旅游体育局2023年度项目支出绩效自评表

表2

项目名称：基层公共文化服务场馆免费开放
主管部门：某区文化旅游体育局    实施单位：某区文化馆
项目资金（万元）：年初预算数82.00，全年预算数82.00，全年执行数80.36，分值10，执行率98.00%，得分9.80。
其中：当年财政拨款：年初预算数82.00，全年预算数82.00，全年执行数80.36；上年结转资金：无；其他资金：无。
年度总体目标：
预期目标：保障综合文化站免费开放。
实际完成情况：17个综合文化站全部免费开放。

绩效指标完成情况：
（一）产出指标
1.数量指标
指标1：街道综合文化站免费开放数量
年度指标值：=17个
实际完成值：17个
分值：40    得分：40
偏差原因分析及改进措施：无
（二）满意度指标
1.服务对象满意度指标
指标2：群众满意度
年度指标值：≥90%
实际完成值：86%
分值：50    得分：49.36
偏差原因分析及改进措施：部分群众反映开放时间偏短。
总分：100    得分：99.36
"""


def test_keyed_form_with_prose_funds() -> None:
    """A ``key：value`` form with prose money reads like a table; ``总分：100 得分：99.36`` scores 99.36."""
    result = read(KEYED)
    assert result.ok
    (project,) = result.document.projects
    assert result.document.year == 2023
    assert project.funds.current_appropriation == FundRow(initial=D("82.00"), adjusted=D("82.00"), executed=D("80.36"))
    assert project.funds.carryover is None
    assert project.execution == Execution(D("10"), D("98.00"), D("9.80"))
    assert [(i.level1, i.level2, i.name, i.score) for i in project.indicators] == [
        ("产出指标", "数量指标", "街道综合文化站免费开放数量", D("40")),
        ("满意度指标", "服务对象满意度指标", "群众满意度", D("49.36")),
    ]
    assert project.total_score == D("99.36")


ALIGNED = """\
                          项目支出绩效自评表
                            （2023年度）

项目名称          学前教育普惠性民办幼儿园生均补助
主管部门          成都市温江区教育局              实施单位      成都市温江区教育局
项目资金（万元）      年初预算数      全年预算数      全年执行数      分值      执行率      得分
  年度资金总额        860.00          842.40          842.40          10        100.00%     10.00
  其中：当年财政拨款  860.00          842.40          842.40          —         —           —
年度总体目标  预期目标      对认定的42所普惠性民办幼儿园按生均标准给予补助。
              实际完成情况  全年对42所普惠性民办幼儿园拨付生均补助842.40万元。
一级指标    二级指标    三级指标              分值  年度指标值   实际完成值  得分  偏差原因分析及改进措施
产出指标    数量指标    补助普惠性幼儿园数量  40    ≥42所        42所        40
                        受益幼儿人数          20    ≥7800人      7725人      19.90  部分幼儿年中转园。
满意度指标  服务对象满意度指标  幼儿家长满意度  30  ≥90%         96%         30
总分                                          100                            99.90

                                  — 1 —
"""


def test_space_aligned_layout_with_weight_before_target() -> None:
    """``pdftotext -layout`` columns are read as cells, 分值 before 年度指标值 included."""
    result = read(ALIGNED)
    assert result.ok
    (project,) = result.document.projects
    assert project.funds.current_appropriation == FundRow(
        initial=D("860.00"), adjusted=D("842.40"), executed=D("842.40")
    )
    assert project.outcome == "全年对42所普惠性民办幼儿园拨付生均补助842.40万元。"
    second = project.indicators[1]
    assert (second.name, second.weight, second.target, second.actual, second.score) == (
        "受益幼儿人数",
        D("20"),
        "≥7800人",
        "7725人",
        D("19.90"),
    )
    assert second.deviation == "部分幼儿年中转园。"
    assert project.total_score == D("99.90")


DECLARATIONS = """\
2024年度项目支出绩效目标申报表

填报单位（盖章）：杭州市临平区卫生健康局\t\t\t\t\t单位：万元
项目名称\t基本公共卫生服务项目区级配套\t\t\t\t\t
主管部门\t杭州市临平区卫生健康局\t\t实施单位\t杭州市临平区卫生健康局\t\t
项目性质\t经常性项目\t\t项目类别\t专项业务类\t\t
项目期限\t2024年1月1日至2024年12月31日\t\t\t\t\t
项目资金\t年度资金总额\t2860.50\t\t\t\t
\t其中：财政拨款\t2860.50\t\t\t\t
总体目标\t项目总目标（中长期）\t\t\t年度目标\t\t
\t持续实施国家基本公共卫生服务项目。\t\t\t2024年按每人30元标准落实区级配套。\t\t
绩效指标\t一级指标\t二级指标\t三级指标\t指标方向\t指标值\t度量单位
\t产出指标\t数量指标\t65岁及以上老年人健康管理人数\t≥\t5.2\t万人
\t\t质量指标\t居民电子健康档案建档率\t≥\t90\t%

第 2 页
绩效指标\t一级指标\t二级指标\t三级指标\t指标方向\t指标值\t度量单位
\t\t质量指标\t居民电子健康档案建档率\t≥\t90\t%
\t满意度指标\t服务对象满意度指标\t居民满意度\t≥\t90\t%


2024年度项目支出绩效目标申报表

填报单位（盖章）：杭州市临平区卫生健康局\t\t\t\t\t单位：万元
项目名称\t院前急救体系运行保障\t\t\t\t\t
主管部门\t杭州市临平区卫生健康局\t\t实施单位\t杭州市临平区急救站\t\t
项目期限\t2024-01-01至2026-12-31\t\t\t\t\t
项目资金\t年度资金总额\t1320.00\t\t\t\t
总体目标\t项目总目标（中长期）\t\t\t年度目标\t\t
\t健全城乡一体的院前急救网络。\t\t\t全年院前急救出车2.6万车次。\t\t
绩效指标\t一级指标\t二级指标\t三级指标\t指标方向\t指标值\t度量单位
\t产出指标\t时效指标\t急救平均反应时间\t≤\t12\t分钟
"""


def test_declarations_with_period_dates_and_split_targets() -> None:
    """Each declaration gets its dates from 项目期限, 万元 from the header, and joined targets."""
    result = read(DECLARATIONS)
    assert result.ok
    doc = result.document
    assert (doc.kind, doc.year) == (Kind.TARGET_DECLARATION, 2024)
    first, second = doc.projects
    assert (first.start_date, first.end_date) == ("2024-01-01", "2024-12-31")
    assert (second.start_date, second.end_date) == ("2024-01-01", "2026-12-31")
    assert (first.nature, first.category, first.money_unit) == ("经常性项目", "专项业务类", "万元")
    assert second.money_unit == "万元"
    assert first.funds.total == FundRow(requested=D("2860.50"))
    assert (first.overall_goal, first.goal) == (
        "持续实施国家基本公共卫生服务项目。",
        "2024年按每人30元标准落实区级配套。",
    )
    assert [i.target for i in first.indicators] == ["≥5.2万人", "≥90%", "≥90%"]
    assert [i.name for i in first.indicators][1:] == ["居民电子健康档案建档率", "居民满意度"]
    assert second.indicators[0].target == "≤12分钟"


def test_declaration_region_boundaries_follow_the_titles() -> None:
    """The second form's title and filing-unit line open its region, not close the first."""
    first, second = read(DECLARATIONS).projects
    assert first.first_line == 1
    assert second.first_line == 22
    assert first.last_line < second.first_line


TRANSFER = """\
# 2022年度公共文化服务体系建设补助资金绩效自评报告

一、基本情况：本年度共下达资金1623.60万元。

**中央对地方转移支付区域绩效目标自评表**

（2022年度）

| 转移支付(项目)名称 | 公共文化服务体系建设补助资金 | | |
| 中央主管部门 | 文化和旅游部 | | |
| 地方主管部门 | 绵阳市文化广播电视和旅游局 | 资金使用单位 | 绵阳市图书馆 |
| 资金投入情况 (万元) | | 全年预算数(A) | 全年执行数(B) | 预算执行率(B/A) |
| | 年度资金总额: | 1623.60 | 1504.37 | 92.7% |
| | 其中:中央财政资金 | 1260.00 | 1187.42 | 94.2% |
| 资金管理情况 | | 情况说明 | | 存在问题和改进措施 |
| | 分配科学性 | 按照因素法分配。 | | 无 |
| 总体目标完成情况 | | 总体目标 | | 全年实际完成情况 |
| | | 支持公共文化场馆免费开放。 | | 全市场馆全部免费开放。 |
| 绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标值 | 全年实际完成值 | 未完成原因和改进措施 |
| | 产出指标 | 数量指标 | 送戏下乡演出场次 | ≥600场 | 574场 | 受演出团体档期影响，26场顺延至次年。 |
| | 说明 | 无 | | |

注：1.本表金额单位为万元。
"""


def test_transfer_payment_report_reads_only_its_attached_form() -> None:
    """The report's narrative is passed over; the form gives central department, funds and fund management."""
    result = read(TRANSFER, "report.md")
    assert result.ok
    assert result.warnings == ()
    doc = result.document
    assert (doc.kind, doc.year) == (Kind.TRANSFER_SELF_EVALUATION, 2022)
    (project,) = doc.projects
    assert (project.central_department, project.department) == ("文化和旅游部", "绵阳市文化广播电视和旅游局")
    assert project.funds.central == FundRow(adjusted=D("1260.00"), executed=D("1187.42"), rate_pct=D("94.2"))
    assert project.fund_management == (FundManagementRow("分配科学性", "按照因素法分配。", "无"),)
    assert project.execution is None
    assert project.indicators[0].actual == "574场"
    assert (project.indicators[0].weight, project.indicators[0].score, project.total_score) == (None, None, None)


def test_narrative_before_the_first_form_is_one_note() -> None:
    """Cover text before a self-evaluation's forms is reported once as a note with its line range."""
    text = "关于2024年度项目支出绩效自评情况的说明\n本局共开展项目自评1个，现将自评表公开如下。\n" + TABBED
    result = read(text)
    assert result.ok
    (note,) = result.warnings
    assert note.level == "note"
    assert note.location.line == 1
    assert "第1至2行" in note.message


def test_running_page_heads_are_placed_not_read() -> None:
    """A publication header repeated on each page neither warns nor breaks the table it interrupts."""
    head = "某区民政局2024年度部门决算"
    lines = TABBED.split("\n")
    lines.insert(14, head)
    text = head + "\n" + "\n".join(lines)
    result = read(text)
    assert result.ok
    assert len(result.document.projects[0].indicators) == 4


def test_warnings_are_sorted_by_line() -> None:
    """Warnings come out in the order of their lines."""
    lines = TABBED.split("\n")
    lines.insert(9, "第一处无法归类的文字")
    text = "\n".join(lines).replace("评分等级\t优", "评分等级\t优\n第二处无法归类的文字")
    lines_found = [w.location.line for w in read(text).warnings]
    assert lines_found == sorted(lines_found)
    assert len(lines_found) == 2


def test_encoding_is_reported_in_the_result() -> None:
    """The result names the encoding the source was decoded from."""
    result = read_text(read_bytes(TABBED.encode("gb18030"), "gbk.txt"))
    assert result.encoding == "gb18030"
    assert result.document.projects[0].name == "社区老年人助餐服务点运营补贴"


def test_text_without_any_project_is_refused_at_line_one() -> None:
    """A text with no 项目名称 is a SourceError at line 1 saying no project was found."""
    with pytest.raises(SourceError, match="没有找到任何项目") as info:
        read("关于2023年度部门整体支出绩效自评的说明\n本局全年预算执行率98%。", "cover.txt")
    assert (info.value.location.file, info.value.location.line) == ("cover.txt", 1)


def test_a_form_of_unknown_kind_is_refused_at_its_first_line() -> None:
    """Identity lines with no title and no telling column are a SourceError: the kind cannot be told."""
    with pytest.raises(SourceError, match="无法判断表格种类") as info:
        read("\n项目名称\t某项目\n主管部门\t某局\n")
    assert info.value.location.line == 2


def test_a_form_without_a_name_warns_at_its_first_line() -> None:
    """A 项目名称 label with nothing after it gives an empty name and a warning."""
    result = read(
        "财政项目支出绩效自评表\n项目名称\n一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n"
    )
    assert result.document.projects[0].name == ""
    assert [(w.location.line, w.message) for w in result.problems] == [(1, "没有读到项目名称")]
