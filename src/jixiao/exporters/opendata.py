"""The open-data tables: one row per project, one per indicator, one per 资金管理情况 check.

Each money column states its unit, how many 元 that unit is, its budget phase (年初预算 initial,
全年预算 adjusted, 执行 executed, 申请 requested) and the fund row it belongs to, so a figure can be
used without the form beside it. All money columns of one document share one unit: the projects'
own when they agree, else 元, converted exactly (1万元 = 10000元, a Decimal shift, no rounding).
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.model import FUND_ROW_LABELS, Document, Kind, Project
from jixiao.exporters.model import Column, DataTable, Value

_FACTOR = {"元": 1, "万元": 10000}
_PHASES = {
    "initial": "年初预算数",
    "adjusted": "全年预算数",
    "executed": "全年执行数",
    "requested": "年度资金申请总额",
    "forecast": "全年预计执行数",
}
# Which fund rows and columns each kind prints.
_FUNDS = {
    Kind.TARGET_DECLARATION: (("total", "current_appropriation", "carryover", "other"), ("requested",)),
    Kind.SELF_EVALUATION: (
        ("total", "current_appropriation", "carryover", "other"),
        ("initial", "adjusted", "executed"),
    ),
    Kind.TRANSFER_SELF_EVALUATION: (("total", "central", "local", "other"), ("adjusted", "executed")),
    Kind.DEPARTMENT_SELF_EVALUATION: (
        ("total", "current_appropriation", "carryover", "other"),
        ("initial", "adjusted", "executed"),
    ),
    Kind.DEPARTMENT_DECLARATION: (("total",), ("requested",)),
    # on a monitoring form 执行数 is the amount spent by the as-of date, not the year's
    Kind.MONITORING: (("total", "current_appropriation", "carryover", "other"), ("adjusted", "executed", "forecast")),
}


def _text(name: str, title: str, description: str = "") -> Column:
    return Column(name, title, "string", description)


def _number(name: str, title: str, unit: str | None = None, description: str = "") -> Column:
    return Column(name, title, "number", description, unit=unit)


def _converted(value: Decimal | None, source: str | None, unit: str | None) -> Decimal | None:
    """A money figure in the table's unit; 万元 -> 元 is a decimal shift, exact."""
    if value is None or source is None or unit is None or source == unit:
        return value
    # scaleb moves the decimal point: exact, and the printed digits are kept
    return value.scaleb(4) if (source, unit) == ("万元", "元") else value.scaleb(-4)


def project_columns(kind: Kind, money_unit: str | None) -> tuple[Column, ...]:
    """The columns of the project table for a kind of document."""
    cols: list[Column] = [
        Column("project_no", "序号", "integer", "项目在文档中的顺序，从 1 起"),
        _text("name", "项目名称"),
        _text("department", "主管部门"),
        _text("unit", "实施单位 / 资金使用单位"),
    ]
    if kind is Kind.TRANSFER_SELF_EVALUATION:
        cols.append(_text("central_department", "中央主管部门"))
    if kind is Kind.MONITORING:
        cols.append(Column("as_of", "监控截止日期", "date", "执行数和完成值所截至的日期"))
    if kind is Kind.TARGET_DECLARATION:
        cols += [
            _text("nature", "项目性质"),
            _text("category", "项目类别"),
            Column("start_date", "计划开始日期", "date"),
            Column("end_date", "计划完成日期", "date"),
        ]
    cols.append(_text("money_unit", "表中金额单位", "原表印的金额单位；本表金额列统一换算为各列 unit 所示单位"))
    rows, phases = _FUNDS[kind]
    for row in rows:
        for phase in phases:
            cols.append(
                Column(
                    f"{row}_{phase}",
                    f"{FUND_ROW_LABELS[row]}·{_PHASES[phase]}",
                    "number",
                    unit=money_unit,
                    money_factor=_FACTOR.get(money_unit or ""),
                    phase=phase,
                    source=row,
                )
            )
        if kind is not Kind.TARGET_DECLARATION:
            cols.append(_number(f"{row}_rate_pct", f"{FUND_ROW_LABELS[row]}·执行率", "%", "按原表所印，百分数"))
    if kind is Kind.SELF_EVALUATION:
        cols += [
            _number("execution_weight", "预算执行率·分值", "分"),
            _number("execution_rate_pct", "预算执行率·执行率", "%"),
            _number("execution_score", "预算执行率·得分", "分"),
        ]
    cols += [_text("goal", "年度总体目标 / 预期目标")]
    if kind is Kind.TARGET_DECLARATION:
        cols.append(_text("overall_goal", "项目总目标"))
    elif kind is Kind.MONITORING:
        cols.append(_text("outcome", "截至监控日完成情况"))
    else:
        cols.append(_text("outcome", "实际完成情况"))
    if kind is Kind.SELF_EVALUATION:
        cols += [_number("total_score", "总分", "分"), _text("grade", "评分等级", "优、良、中、差")]
    cols.append(Column("indicator_count", "指标个数", "integer"))
    return tuple(cols)


def _project_row(n: int, p: Project, columns: tuple[Column, ...], money_unit: str | None) -> tuple[Value, ...]:
    out: list[Value] = []
    for col in columns:
        if col.name == "project_no":
            out.append(n)
        elif col.name == "indicator_count":
            out.append(len(p.indicators))
        elif col.source is not None and col.phase is not None:
            row = getattr(p.funds, col.source)
            value = None if row is None else getattr(row, col.phase)
            out.append(_converted(value, p.money_unit, money_unit))
        # rates stay as printed per row: recomputing them would change what the form says
        elif col.name.endswith("_rate_pct") and not col.name.startswith("execution"):
            row = getattr(p.funds, col.name.removesuffix("_rate_pct"))
            out.append(None if row is None else row.rate_pct)
        elif col.name.startswith("execution_"):
            attr = col.name.removeprefix("execution_")
            out.append(None if p.execution is None else getattr(p.execution, attr))
        else:
            out.append(getattr(p, col.name))
    return tuple(out)


INDICATOR_COLUMNS = (
    Column("project_no", "项目序号", "integer", "对应项目表的 project_no"),
    _text("project_name", "项目名称"),
    Column("indicator_no", "指标序号", "integer", "指标在项目内的顺序，从 1 起"),
    _text("level1", "一级指标"),
    _text("level2", "二级指标"),
    _text("name", "三级指标"),
    _text("target", "年度指标值", "按原表所印的文字，如 ≥1.00(次)"),
    _text("actual", "实际完成值", "按原表所印的文字"),
    _number("weight", "分值", "分"),
    _number("score", "得分", "分"),
    _text("deviation", "偏差原因分析及改进措施 / 未完成原因和改进措施"),
)
# A monitoring form's indicators: 实际完成值 is the value to date, and four columns of its own follow.
MONITORED_COLUMNS = (
    *INDICATOR_COLUMNS[:7],
    _text("actual", "截至监控日完成值", "按原表所印的文字"),
    _text("forecast", "全年预计完成值", "按原表所印的文字"),
    _text("cause", "偏差原因类型", "经费保障、制度保障、人员保障、硬件条件保障、其他，多项以顿号分隔"),
    _text("deviation", "偏差原因分析"),
    _text("likelihood", "完成目标可能性", "确定能、有可能、完全不可能"),
    _text("remedy", "纠偏措施 / 备注"),
)

MANAGEMENT_COLUMNS = (
    Column("project_no", "项目序号", "integer", "对应项目表的 project_no"),
    _text("item", "资金管理情况项目"),
    _text("description", "情况说明"),
    _text("remedy", "存在问题和改进措施"),
)


def tables(doc: Document, money_unit: str | None) -> tuple[DataTable, ...]:
    """The projects and indicators tables (and the 资金管理情况 one for transfer payments)."""
    columns = project_columns(doc.kind, money_unit)
    projects = tuple(_project_row(n, p, columns, money_unit) for n, p in enumerate(doc.projects, start=1))
    indicator_rows: list[tuple[Value, ...]] = []
    monitored = doc.kind is Kind.MONITORING
    for n, p in enumerate(doc.projects, start=1):
        for k, i in enumerate(p.indicators, start=1):
            head = (n, p.name, k, i.level1, i.level2, i.name, i.target, i.actual)
            if monitored:
                cause = "、".join(i.cause) if i.cause else None
                indicator_rows.append((*head, i.forecast, cause, i.deviation, i.likelihood, i.remedy))
            else:
                indicator_rows.append((*head, i.weight, i.score, i.deviation))
    out = [
        DataTable("projects", "项目", columns, projects, ("project_no",)),
        DataTable(
            "indicators",
            "绩效指标",
            MONITORED_COLUMNS if monitored else INDICATOR_COLUMNS,
            tuple(indicator_rows),
            ("project_no", "indicator_no"),
            ("project_no", "projects", "project_no"),
        ),
    ]
    if doc.kind is Kind.TRANSFER_SELF_EVALUATION:
        rows = tuple(
            (n, r.item, r.description, r.remedy)
            for n, p in enumerate(doc.projects, start=1)
            for r in p.fund_management or ()
        )
        out.append(
            DataTable(
                "fund_management",
                "资金管理情况",
                MANAGEMENT_COLUMNS,
                rows,
                ("project_no", "item"),
                ("project_no", "projects", "project_no"),
            )
        )
    return tuple(out)
