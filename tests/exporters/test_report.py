"""The format-neutral report: the official layouts, their labels and order, figures as the data holds them."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from jixiao.core.model import FUND_MANAGEMENT_ITEMS, Document, Execution, FundRow, Funds, Indicator, Kind, Project
from jixiao.exporters.layouts import sheet_name
from jixiao.exporters.model import Cell, Form, Role, Style, auto_style, chinese_number, clean, figure
from jixiao.exporters.report import build_report
from tests.exporters.helpers import gold_document


def _texts(form: Form) -> list[str]:
    return [c.text for row in form.grid.rows for c in row]


def _cell(form: Form, text: str) -> Cell:
    return next(c for row in form.grid.rows for c in row if c.text == text)


@pytest.mark.shared
@pytest.mark.parametrize(
    "stem, style",
    [
        ("000", Style.SELF_2022),
        ("001", Style.DECLARATION),
        ("002", Style.SELF_2024),
        ("003", Style.TRANSFER),
        ("004", Style.SELF_2024),
    ],
)
def test_each_seed_gets_its_official_layout(stem: str, style: Style) -> None:
    """2022 self-evaluations, declarations, 2024 self-evaluations and transfer payments get their own layout."""
    assert auto_style(gold_document(stem)) is style


@pytest.mark.shared
def test_2022_self_evaluation_layout() -> None:
    """2022: 元, 年初预算数/全年预算数/全年执行数/分值/执行率/得分, a 绩效指标 side label, 总分, no 评分等级."""
    report = build_report(gold_document("000"))
    form = report.forms[0]
    texts = _texts(form)
    assert form.title == "财政项目支出绩效自评表" and form.subtitle == "（2022年度）"
    assert "项目资金\n（元）" in texts
    heads = ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    assert [t for t in texts if t in heads][:6] == heads
    assert _cell(form, "绩效指标").vertical and "评分等级" not in texts and "总分" in texts
    # the rate prints with its percent sign and the figure is the data's own Decimal
    rate = _cell(form, "84.99%")
    assert rate.number == Decimal("84.99") and rate.percent and rate.role is Role.FIGURE


@pytest.mark.shared
def test_2024_self_evaluation_layout() -> None:
    """2024: 万元, 分数 and 执行率(%), 成本指标 first, the 评分等级 row."""
    form = build_report(gold_document("004")).forms[0]
    texts = _texts(form)
    assert "项目资金\n（万元）" in texts and "分数" in texts and "执行率(%)" in texts
    assert texts.index("成本指标") < texts.index("产出指标")
    assert texts[-2:] == ["评分等级", "优"]
    assert _cell(form, "49.78").percent is False


@pytest.mark.shared
def test_2024_style_prints_cost_indicators_first() -> None:
    """Asked for the 2024 layout, a form whose 成本指标 come last prints them first."""
    doc = gold_document("002")
    p = doc.projects[0]
    moved = replace(p, indicators=p.indicators[1:] + p.indicators[:1])
    form = build_report(replace(doc, projects=(moved,)), Style.SELF_2024).forms[0]
    names = [c.text for row in form.grid.rows for c in row if c.col == 2 and c.role is Role.TEXT]
    assert names.index("成本合理性") < names.index("覆盖面")


@pytest.mark.shared
def test_declaration_layout() -> None:
    """申报表: 项目名称/性质/类别, 计划开始/完成日期, 年度资金申请总额, 项目总目标/年度总体目标, 年度(/项目)指标值."""
    report = build_report(gold_document("001"))
    form = report.forms[0]
    texts = _texts(form)
    assert form.title == "财政项目支出绩效目标申报表"
    for label in ("项目名称", "项目性质", "项目类别", "主管部门", "实施单位", "计划开始日期", "计划完成日期"):
        assert label in texts
    for label in ("年度资金申请总额", "其中：当年财政拨款", "上年结转资金", "项目总目标", "年度总体目标"):
        assert label in texts
    assert (
        texts.index("一级指标") < texts.index("二级指标") < texts.index("三级指标") < texts.index("年度(/项目)指标值")
    )
    assert _cell(form, "500,800.00").number == Decimal("500800")
    assert report.summary.title == "上海市医疗保障局2023年度项目绩效目标汇总表" or "汇总表" in report.summary.title


@pytest.mark.shared
def test_transfer_layout() -> None:
    """转移支付: 全年预算数(A)/全年执行数(B)/预算执行率(B/A) to 0.1, seven 资金管理情况 rows, 未完成原因和改进措施."""
    form = build_report(gold_document("003")).forms[0]
    texts = _texts(form)
    for label in (
        "转移支付(项目)名称",
        "中央主管部门",
        "地方主管部门",
        "资金使用单位",
        "全年预算数(A)",
        "预算执行率(B/A)",
    ):
        assert label in texts
    assert [t for t in texts if t in FUND_MANAGEMENT_ITEMS] == list(FUND_MANAGEMENT_ITEMS)
    assert "42.7%" in texts and "0.0%" in texts and "未完成原因和改进措施" in texts
    assert texts.index("其中：中央财政资金") < texts.index("地方资金") < texts.index("其他资金")
    assert form.notes and form.notes[0].startswith("注：")


@pytest.mark.shared
def test_transfer_form_without_fund_management_prints_the_seven_checks() -> None:
    """A transfer document with no 资金管理情况 still prints the seven fixed rows, empty."""
    doc = gold_document("003")
    bare = replace(doc, projects=(replace(doc.projects[0], fund_management=None),))
    texts = _texts(build_report(bare).forms[0])
    assert [t for t in texts if t in FUND_MANAGEMENT_ITEMS] == list(FUND_MANAGEMENT_ITEMS)


@pytest.mark.shared
def test_level_labels_are_merged_over_their_runs() -> None:
    """A level-1 label spans all its rows, a level-2 label the rows of its group."""
    form = build_report(gold_document("002")).forms[0]
    output = _cell(form, "产出指标")
    quantity = _cell(form, "数量指标")
    assert output.rowspan == 3 and quantity.rowspan == 1


@pytest.mark.shared
def test_one_sheet_per_project_plus_summary() -> None:
    """Every project is a form with its own sheet name; the summary lists every project."""
    report = build_report(gold_document("001"))
    assert len(report.forms) == 34
    assert len({f.sheet for f in report.forms} | {"汇总表"}) == 35
    assert len(report.summary.grid.rows) == 35


def test_figures_print_the_decimals_they_carry() -> None:
    """At least the layout's decimals, never fewer than printed; thousands grouped; percent signed."""
    assert figure(Decimal("216212"), 2, grouping=True) == "216,212.00"
    assert figure(Decimal("0.125"), 2) == "0.125"
    assert figure(Decimal("42.7"), 1, percent=True) == "42.7%"
    assert figure(Decimal("10"), 0) == "10"


def test_chinese_ordinals() -> None:
    """Ordinals in the report are Chinese numerals."""
    assert [chinese_number(n) for n in (1, 10, 12, 20, 35, 100, 105, 110)] == [
        "一", "十", "十二", "二十", "三十五", "一百", "一百零五", "一百一十"
    ]  # fmt: skip


def test_sheet_names_are_valid_and_unique() -> None:
    """Sheet names: at most 31 characters, no []:*?/\\ characters, unique ignoring case."""
    taken: set[str] = set()
    a = sheet_name(1, "医保[信息]/系统:运维*项目?" + "很长" * 20, taken)
    b = sheet_name(1, "医保[信息]/系统:运维*项目?" + "很长" * 20, taken)
    assert len(a) <= 31 and len(b) <= 31 and a != b
    assert not set("[]:*?/\\") & set(a)


def test_control_characters_are_dropped_from_text() -> None:
    """Characters XML forbids never reach a renderer."""
    assert clean("a\x00b\x0bc\td") == "abc d"


def test_a_document_without_figures_still_has_its_forms() -> None:
    """Missing money and scores print as dashes or empty cells, not as zeros."""
    doc = Document(
        Kind.SELF_EVALUATION,
        2022,
        (
            Project(
                "空项目",
                money_unit="元",
                funds=Funds(total=FundRow()),
                execution=Execution(),
                indicators=(Indicator("产出指标", "数量指标", "x"),),
            ),
        ),
    )
    texts = _texts(build_report(doc).forms[0])
    assert "0.00" not in texts and "—" in texts
