"""Monitoring forms as units fill the official template (财预〔2019〕136号): causes and likelihood ticked in columns."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from jixiao.core.model import Kind
from jixiao.documents.importer import import_bytes

# The template as a unit types it: 1-7月 headings, 偏差原因分析 and 完成目标可能性 each over their tick columns,
# 备注 last; one row ticks two causes, one ticks nothing, one ticks a likelihood only.
ROWS = [
    ["项目支出绩效目标执行监控表"],
    ["（2024年度）"],
    ["项目名称", "", "乡村道路硬化"],
    ["主管部门", "", "某县交通运输局", "", "", "实施单位", "某县公路站"],
    ["监控截止日期", "", "2024年7月31日"],
    ["项目资金（万元）", "", "", "年度预算数", "1-7月执行数", "1-7月执行率", "全年预计执行数"],
    ["", "", "年度资金总额", "120.50", "48.20", "40.00%", "120.50"],
    ["", "", "其中：当年财政拨款", "100.00", "40.00", "40.00%", "100.00"],
    ["年度总体目标", "", "年初设定目标", "", "", "", "1-7月实际完成情况"],
    ["", "", "硬化道路10公里", "", "", "", "已完成4公里"],
    [
        *("一级指标", "二级指标", "三级指标", "年度指标值", "1-7月执行情况", "全年预计完成情况"),
        *("偏差原因分析", "", "", "", "", "完成目标可能性", "", "", "备注"),
    ],
    [
        *("", "", "", "", "", ""),
        *("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他", "确定能", "有可能", "完全不可能"),
    ],
    [
        *("产出指标", "数量指标", "硬化里程", "≥10公里", "4公里", "10公里"),
        *("√", "", "√", "", "", "", "√", "", "追加施工队伍"),
    ],
    ["", "质量指标", "验收合格率", "100%", "100%", "100%", "", "", "", "", "", "√"],
    [
        "效益指标",
        "社会效益指标",
        "群众出行时间缩短",
        "≥20分钟",
        "",
        "15分钟",
        "",
        "",
        "",
        "",
        "√",
        "",
        "",
        "√",
        "雨季停工",
    ],
]


def _text() -> bytes:
    return "\n".join("\t".join(row) for row in ROWS).encode("utf-8")


def _workbook() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in ROWS:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _check(data: bytes, name: str) -> None:
    result = import_bytes(data, name)
    document = result.document
    assert document.kind is Kind.MONITORING and document.year == 2024
    (project,) = document.projects
    assert project.as_of == "2024-07-31" and project.money_unit == "万元"
    assert project.funds.total is not None and project.funds.total.executed == Decimal("48.20")
    assert project.funds.total.forecast == Decimal("120.50") and project.funds.total.rate_pct == Decimal("40.00")
    assert (project.goal, project.outcome) == ("硬化道路10公里", "已完成4公里")
    first, second, third = project.indicators
    assert (first.actual, first.forecast, first.cause) == ("4公里", "10公里", ("经费保障", "人员保障"))
    assert (first.likelihood, first.remedy) == ("有可能", "追加施工队伍")
    assert (second.level1, second.cause, second.likelihood, second.remedy) == ("产出指标", None, "确定能", None)
    assert (third.actual, third.forecast, third.cause) == (None, "15分钟", ("其他",))
    assert (third.likelihood, third.remedy) == ("完全不可能", "雨季停工")
    assert result.problems == ()


def test_a_ticked_template_typed_as_text_is_read() -> None:
    """Tab-separated text of the ticked template: each tick becomes its cause or likelihood, 备注 the remedy."""
    _check(_text(), "监控表.txt")


def test_a_ticked_template_in_a_workbook_is_read() -> None:
    """The same form in an Excel sheet reads the same."""
    _check(_workbook(), "监控表.xlsx")


def test_an_answer_the_form_does_not_offer_is_named_with_its_cell() -> None:
    """A unit typed 基本能 under 完成目标可能性 and 资金不足 under 偏差原因类型: each is left out, its cell named."""
    from openpyxl import load_workbook

    from jixiao.exporters import xlsx
    from jixiao.exporters.report import build_report
    from tests.exporters.helpers import monitoring_document

    data = xlsx.render(build_report(monitoring_document()))
    book = load_workbook(BytesIO(data))
    sheet = book.worksheets[1]
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == "有可能":
                cell.value = "基本能"
            elif cell.value == "经费保障、人员保障":
                cell.value = "资金不足、人员保障"
    out = BytesIO()
    book.save(out)
    result = import_bytes(out.getvalue(), "监控表.xlsx")
    first = result.document.projects[0].indicators[0]
    assert first.likelihood is None and first.cause == ("人员保障",)
    places = {w.message: (w.location, w.text) for w in result.problems}
    likelihood, typed = places["完成目标可能性应为 确定能、有可能、完全不可能 之一，未读取"]
    assert typed == "基本能" and likelihood.sheet == sheet.title and likelihood.cell == "I14"
    assert sheet[likelihood.cell].value == "基本能"  # the cell named is the one the unit typed into
    cause, typed = places["偏差原因类型应为 经费保障、制度保障、人员保障、硬件条件保障、其他 之一，未读取"]
    assert typed == "资金不足" and cause.cell == "G14" and sheet[cause.cell].value == "资金不足、人员保障"
