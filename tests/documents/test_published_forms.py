"""Published forms as they come out of other issuers' PDFs, Word files, web pages and OCR, read end to end.

Each text is made in the shape the corpus of published forms shows (pipe rows,
one cell per paragraph, space-separated rows, run-together text, machine
conversion to traditional characters with pinyin hints), and is read the
way a user reads it: ``import_bytes`` with a file name.
"""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from jixiao.core.errors import SourceError
from jixiao.core.model import Kind
from jixiao.documents.importer import import_bytes
from jixiao.documents.result import ImportResult, reading_json


def _read(text: str, name: str = "form.txt") -> ImportResult:
    return import_bytes(text.encode("utf-8"), name)


TRADITIONAL_PIPES = """\
項(xiàng)目支出績效自評表 | ||||
(2021年度) | ||||
項(xiàng)目名稱 | 社區(qū)養老服務補(bǔ)助 | |||
主管部門 | 某縣民政局 | 實施單位 | 某縣養老服務中心 |
一級指標(biāo) | 二級指標(biāo) | 三級指標(biāo) | 年度指標(biāo)值 | 實際完成值 | 分值 | 得分 |
產(chǎn)出指標(biāo) | 數(shù)量指標(biāo) | 服務老人數(shù) | ≥300人 | 320人 | 20 | 20 |
質(zhì)量指標(biāo) | 服務合格率 | ≥95% | 98% | 20 | 18 |
"""


def test_traditional_mirror_with_pinyin_hints_reads_and_keeps_what_was_printed() -> None:
    """A form machine-converted to traditional characters (項(xiàng)目名稱) is read; values keep their print."""
    result = _read(TRADITIONAL_PIPES)
    doc = result.document
    assert (doc.kind, doc.year) == (Kind.SELF_EVALUATION, 2021)
    (project,) = doc.projects
    assert project.name == "社區(qū)養老服務補(bǔ)助"
    assert (project.department, project.unit) == ("某縣民政局", "某縣養老服務中心")
    first, second = project.indicators
    assert (first.level1, first.level2, first.name, first.target, first.actual) == (
        "產(chǎn)出指標(biāo)",
        "數(shù)量指標(biāo)",
        "服務老人數(shù)",
        "≥300人",
        "320人",
    )
    # the level-1 cell is printed once; the second row carries it down
    assert (second.level1, second.level2, second.weight, second.score) == (
        "產(chǎn)出指標(biāo)",
        "質(zhì)量指標(biāo)",
        D(20),
        D(18),
    )


RUN_TOGETHER = (
    "2022年度项目支出绩效自评表单位名称:某区财政局填报日期:2023年3月1日项目名称委托业务项目"
    "主管部门某区财政局项目实施单位某区财政评审中心预算执行情况(万元)(20分)预算数(A)执行数(B)"
    "执行率(B/A)得分(20分*执行率)年度财政资金总额1010100%20年度绩效目标(80分)一级指标二级指标三级指标"
    "年初目标值(A)实际完成值(B)得分产出指标数量指标评审项目数≥30个35个40质量指标评审报告合格率100%100%40总分100\n"
)


def test_one_run_together_line_with_every_label_is_read() -> None:
    """A single line whose cells ran together (项目名称委托业务项目主管部门…) is cut at its labels and read."""
    result = _read(RUN_TOGETHER)
    (project,) = result.document.projects
    assert (project.name, project.department, project.unit) == ("委托业务项目", "某区财政局", "某区财政评审中心")
    assert project.funds.total is not None
    assert (project.funds.total.adjusted, project.funds.total.executed, project.funds.total.rate_pct) == (
        D(10),
        D(10),
        D(100),
    )
    assert project.execution is not None and (project.execution.weight, project.execution.score) == (D(20), D(20))
    names = [(i.name, i.target, i.actual, i.score) for i in project.indicators]
    assert names == [("评审项目数", "≥30个", "35个", D(40)), ("评审报告合格率", "100%", "100%", D(40))]
    assert project.total_score == D(100)


def test_fused_figures_are_read_by_the_forms_arithmetic_and_marked() -> None:
    """``1010100%20`` under 预算数|执行数|执行率|得分 reads 10|10|100%|20, because 10/10 = 100% and 20×100% = 20."""
    result = _read(RUN_TOGETHER)
    source = result.fields["projects[0].funds.total.adjusted"]
    assert source.confidence == "arithmetic"
    assert "执行率" in source.note
    assert result.fields["projects[0].name"].confidence == "read"


PARAGRAPHS = """\
绩效目标申报表

(2022年度)

项目名称

某县2022年农田建设项目

主管部门

某县农业农村局

实施单位

某县农田建设服务中心

资金情况 (万元)

年度资金总额:

854

一级指标

二级指标

三级指标

年度

指标值

产出指标

数量

指标

道路硬化里程

≥100公里

供水设施数量

≥20座

效益指标

经济效益

指标

年增粮食

3500公斤

……

注:各地请根据实际情况填报。
"""


def test_one_cell_per_paragraph_with_labels_wrapped_over_paragraphs() -> None:
    """One cell per paragraph, labels broken over paragraphs (数量 / 指标, 年度 / 指标值), filler rows skipped."""
    result = _read(PARAGRAPHS)
    doc = result.document
    assert (doc.kind, doc.year) == (Kind.TARGET_DECLARATION, 2022)
    (project,) = doc.projects
    assert project.money_unit == "万元"
    assert project.funds.total is not None and project.funds.total.requested == D(854)
    rows = [(i.level1, i.level2, i.name, i.target) for i in project.indicators]
    assert rows == [
        ("产出指标", "数量指标", "道路硬化里程", "≥100公里"),
        ("产出指标", "数量指标", "供水设施数量", "≥20座"),
        ("效益指标", "经济效益指标", "年增粮食", "3500公斤"),
    ]


LOST_LEVEL1 = """\
您现在所在的位置: 网站首页> 部门项目
项目支出绩效自评表
(2021年度)
项目名称 禁毒经费
主管部门 某市公安局 实施单位 禁毒支队
一级
指标
二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施




(50分)
数量指标 指标1:宣传场次 ≥1场 1场 12 12
指标2:检测试剂数量 ≥2400份 3200份 12 12
……
"""


def test_level1_lost_to_blank_lines_is_inferred_from_level2_and_said() -> None:
    """Where only ``(50分)`` survives of the level-1 cell, 产出指标 is inferred from 数量指标, marked and noted."""
    result = _read(LOST_LEVEL1)
    (project,) = result.document.projects
    assert [i.level1 for i in project.indicators] == ["产出指标", "产出指标"]
    assert [i.name for i in project.indicators] == ["指标1:宣传场次", "指标2:检测试剂数量"]
    assert result.fields["projects[0].indicators[0].level1"].confidence == "inferred"
    assert any("推断" in w.message for w in result.warnings if w.level == "note")


GRID = """\
| 部门预算项目绩效目标申报表(2023年度) | |||||||||
| 金额单位:元 | |||||||||
| 单位名称 | 项目名称 | 预算数 | 年度目标 | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 权重 |
| 820-某镇部门 | 1,200,000.00 | ||||||||||
| 820001-某镇人民政府 | 村组干部报酬 | 900,000.00 | 按时发放报酬 | 产出指标 | 数量指标 | 发放人数 | ≥ | 230 | 人 | 20 |
| 满意度指标 | 服务对象满意度指标 | 群众满意度 | ≥ | 95 | % | 10 |
| 基层组织活动经费 | 300,000.00 | 保障基层组织活动 | 产出指标 | 质量指标 | 活动开展率 | = | 100 | % | 20 |
"""


def test_a_grid_of_several_projects_gives_one_project_per_named_row() -> None:
    """A grid of projects: each row naming a project opens it; the unit's total row names their department."""
    doc = _read(GRID).document
    assert [p.name for p in doc.projects] == ["村组干部报酬", "基层组织活动经费"]
    first, second = doc.projects
    assert (first.department, first.unit, first.money_unit) == ("820-某镇部门", "820001-某镇人民政府", "元")
    assert second.unit == "820001-某镇人民政府"  # a merged unit cell carried down
    assert first.funds.total is not None and first.funds.total.requested == D("900000.00")
    assert [(i.name, i.target, i.weight) for i in first.indicators] == [
        ("发放人数", "≥230人", D(20)),
        ("群众满意度", "≥95%", D(10)),
    ]
    assert [(i.level2, i.target) for i in second.indicators] == [("质量指标", "=100%")]


DEPARTMENT = """\
部门整体支出绩效自评表
(2021年度)
部门(单位)名称 | 某区林业局 |
年度预算申请(万元) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |
年度资金总额 | 4753.66 | 4753.66 | 3824.26 | 10 | 80.45% | 8 |
一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |
产出指标 | 数量指标 | 造林面积 | 1.2万亩 | 1.2万亩 | 10 | 10 | |
"""


def test_department_wide_form_names_no_project_and_its_json_says_null() -> None:
    """A 部门整体支出绩效自评表 is ``department_self_evaluation``: no project name (null), its department named."""
    result = _read(DEPARTMENT)
    doc = result.document
    assert doc.kind is Kind.DEPARTMENT_SELF_EVALUATION
    (project,) = doc.projects
    assert (project.name, project.department) == ("", "某区林业局")
    assert project.execution is not None and project.execution.rate_pct == D("80.45")
    data = json.loads(reading_json(result))
    assert data["projects"][0]["name"] is None
    assert data["kind"] == "department_self_evaluation"


LONG_TERM = "\n".join(
    [
        "项目支出绩效目标表",
        "(2020年度)",
        "项目名称",
        "教育设施建设",
        "主管部门",
        "某区教育局",
        "一级指标",
        "二级指标(长期)",
        "三级指标(长期)",
        "指标值(长期)",
        "二级指标(年度)",
        "三级指标(年度)",
        "指标值(年度)",
        "产出指标",
        "数量指标",
        " ",
        " ",
        "数量指标",
        "重点工程数量",
        "2",
        "满意度指标",
        "服务对象满意度指标",
        " ",
        " ",
        "服务对象满意度指标",
        "家长满意度",
        "≥90%",
    ]
)


def test_paired_long_term_and_annual_columns_read_the_annual_ones() -> None:
    """二级指标(长期) … 指标值(年度): the empty long-term cells are passed over, the annual ones read."""
    (project,) = _read(LONG_TERM).document.projects
    assert [(i.level1, i.level2, i.name, i.target) for i in project.indicators] == [
        ("产出指标", "数量指标", "重点工程数量", "2"),
        ("满意度指标", "服务对象满意度指标", "家长满意度", "≥90%"),
    ]


def test_an_excerpt_cut_mid_row_reads_what_is_there_and_warns_at_the_cut() -> None:
    """The last row cut after its target keeps its name and target, and a warning names the line of the cut."""
    text = TRADITIONAL_PIPES + "效益指標(biāo) | 社會效益指標(biāo) | 受益人數 | ≥500人"
    result = _read(text)
    last = result.document.projects[0].indicators[-1]
    assert (last.name, last.target, last.actual) == ("受益人數", "≥500人", None)
    cut = [w for w in result.problems if "截断" in w.message]
    assert cut and cut[0].location.line == 8


def test_text_with_no_form_is_a_located_error() -> None:
    """Prose without any form label or table heading is refused with the file and line named."""
    with pytest.raises(SourceError) as err:
        _read("一、项目基本情况\n\n用于慢性病防治培训、宣传和综合督导检查等。\n", "report.txt")
    assert err.value.location.file == "report.txt" and err.value.location.line == 1


def test_reading_json_carries_each_values_source_and_unplaced_lines() -> None:
    """The JSON written by ``jixiao import`` names each value's line, column and confidence, and the unplaced text."""
    result = _read(LOST_LEVEL1)
    data = json.loads(reading_json(result))
    fields = data["reading"]["fields"]
    assert fields["projects[0].name"]["line"] == 4
    assert fields["projects[0].indicators[0].level1"]["confidence"] == "inferred"
    assert data["projects"][0]["name"] == "禁毒经费"


def test_points_that_do_not_add_up_to_the_printed_share_are_noted() -> None:
    """产出指标(50分) over rows worth 20 + 20: a note names the group and both sums, for a person to check."""
    text = (
        "项目支出绩效自评表\n(2021年度)\n项目名称 | 培训经费 |\n"
        "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |\n"
        "产出指标(50分) | 数量指标 | 培训场次 | ≥4场 | 4场 | 20 | 20 |\n"
        "质量指标 | 合格率 | ≥95% | 96% | 20 | 20 |\n"
    )
    notes = [w for w in _read(text).warnings if w.level == "note" and "请核对" in w.message]
    assert len(notes) == 1
    assert "50" in notes[0].message and "40" in notes[0].message and notes[0].location.line == 5
