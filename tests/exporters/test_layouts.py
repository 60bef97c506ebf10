"""The monitoring form's layout: the official blocks and headings, the round's date in them, empty cells empty."""

from __future__ import annotations

from dataclasses import replace

from jixiao.exporters.layouts import as_of_words
from jixiao.exporters.model import Form, Style
from jixiao.exporters.report import build_report
from tests.exporters.helpers import monitoring_document


def _texts(form: Form) -> list[str]:
    return [cell.text for row in form.grid.rows for cell in row]


def test_the_monitoring_form_prints_every_block_of_the_official_layout() -> None:
    """项目名称 to 纠偏措施: identity, as-of date, the funds to date and forecast, the goal, the indicator columns."""
    report = build_report(monitoring_document())
    assert report.style is Style.MONITORING
    form = report.forms[0]
    assert form.title == "项目支出绩效目标执行监控表" and form.subtitle == "（2025年度）"
    texts = _texts(form)
    for label in (
        "项目名称",
        "主管部门",
        "实施单位",
        "监控截止日期",
        "2025-07-31",
        "项目资金\n（元）",
        "年度预算数",
        "截至7月31日执行数",
        "执行率",
        "全年预计执行数",
        "年度目标",
        "截至7月31日完成情况",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "截至7月31日完成值",
        "全年预计完成值",
        "偏差原因类型",
        "偏差原因分析",
        "完成目标可能性",
        "纠偏措施/备注",
    ):
        assert label in texts, label
    assert "1,234,567.89" in texts and "37.00%" in texts and "990,000.50" in texts
    assert "制度保障、硬件条件保障、其他" in texts and "完全不可能" in texts
    assert "分值" not in texts and "得分" not in texts and "总分" not in texts  # a monitoring form scores nothing


def test_each_round_prints_its_own_date_and_an_undated_form_says_so() -> None:
    """A June round heads its columns 截至6月30日; a form without a date 截至监控日."""
    assert as_of_words("2025-06-30") == "截至6月30日"
    assert as_of_words(None) == "截至监控日"
    document = monitoring_document()
    undated = replace(document, projects=(replace(document.projects[0], as_of=None),))
    texts = _texts(build_report(undated).forms[0])
    assert "截至监控日执行数" in texts and "截至监控日完成值" in texts


def test_empty_cells_print_empty_and_missing_figures_as_a_dash() -> None:
    """A value not yet known is an empty cell; a figure the row does not have is a dash, as the forms print it."""
    report = build_report(monitoring_document())
    rows = report.forms[1].grid.rows
    carryover = next(row for row in rows if any(c.text == "上年结转资金" for c in row))
    assert [c.text for c in carryover[1:]] == ["—", "—", "—", "—"]
    cost = next(row for row in rows if any(c.text == "每公里养护成本" for c in row))
    by_col = {c.col: c.text for c in cost}
    assert by_col[4] == "" and by_col[5] == "0.70万元" and by_col[6] == ""


def test_the_summary_lists_each_project_with_its_date_and_execution() -> None:
    """The 汇总表 of a round: one line per project with its as-of date, budget, spending to date and forecast."""
    summary = build_report(monitoring_document()).summary
    assert summary.title == "2025年度项目支出绩效目标执行监控汇总表"
    first = [c.text for c in summary.grid.rows[1]]
    assert first[:4] == ["1", "社区卫生服务能力提升项目", "某区疾病预防控制中心", "2025-07-31"]
    assert "1,200,000.00" in first
