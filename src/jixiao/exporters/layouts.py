"""The official layouts: which cell holds which label or value, with its spans.

One function per form. The rows, columns and labels follow the published Shanghai forms the seeds
describe: the 2022 self-evaluation (元, 年初预算数/全年预算数/全年执行数/分值/执行率/得分, a 绩效指标
side label, no grade), the 2024 one (万元, 分数 and 执行率(%), 成本指标 first, 评分等级), the
绩效目标申报表 with its 项目资金 block and 年度(/项目)指标值, and the 转移支付区域绩效目标自评表 with
全年预算数(A)/全年执行数(B)/预算执行率(B/A), the seven 资金管理情况 rows and 未完成原因和改进措施.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from jixiao.core.model import (
    FUND_MANAGEMENT_ITEMS,
    DepartmentFunds,
    Document,
    FundManagementRow,
    FundRow,
    Goal,
    Indicator,
    Kind,
    Project,
)
from jixiao.exporters.model import (
    SELF_FUND_ROWS,
    TRANSFER_FUND_ROWS,
    Cell,
    Form,
    Grid,
    Role,
    Style,
    clean,
    figure,
    over_maximum,
    over_maximum_note,
    places_of,
)

TRANSFER_NOTES = (
    "注：1.资金使用单位按项目绩效目标填报，主管部门汇总时按区域绩效目标填报。",
    "2.其他资金包括与中央财政资金、地方财政资金共同投入到同一项目的自有资金、社会资金，以及以前年度的结转结余资金等。",
    "3.全年执行数是指按照国库集中支付制度要求所形成的实际支出。",
)
DASH = "—"

# Decimals printed for rates and points in each layout (more when the value carries more).
_RATE_PLACES = {
    **{Style.SELF_2022: 2, Style.SELF_2024: 2, Style.TRANSFER: 1, Style.DECLARATION: 2, Style.MONITORING: 2},
    **{Style.DEPARTMENT: 2, Style.DEPARTMENT_DECLARATION: 2},
}
_POINT_PLACES = {
    **{Style.SELF_2022: 0, Style.SELF_2024: 2, Style.TRANSFER: 0, Style.DECLARATION: 0, Style.MONITORING: 0},
    **{Style.DEPARTMENT: 2, Style.DEPARTMENT_DECLARATION: 0},
}
# A department-wide form's rows by source, then by nature, with the labels printed (and read back).
DEPARTMENT_FUND_ROWS = (
    ("general_budget", "其中：一般公共预算"),
    ("government_fund", "政府性基金拨款"),
    ("special_account", "纳入专户管理的非税收入拨款"),
    ("other", "其他资金"),
    ("basic", "其中：基本支出"),
    ("project", "其中：项目支出"),
)


def _label(col: int, text: str, colspan: int = 1, rowspan: int = 1, vertical: bool = False) -> Cell:
    return Cell(col, text, Role.LABEL, colspan=colspan, rowspan=rowspan, vertical=vertical)


def _text(col: int, text: str | None, colspan: int = 1, role: Role = Role.TEXT) -> Cell:
    return Cell(col, clean(text), role, colspan=colspan)


def _figure(
    col: int,
    value: Decimal | None,
    places: int,
    *,
    grouping: bool = False,
    percent: bool = False,
    colspan: int = 1,
    dash: bool = True,
) -> Cell:
    """A figure cell; a missing figure prints as a dash (or empty), as the forms do."""
    if value is None:
        return Cell(col, DASH if dash else "", Role.CODE, colspan=colspan)
    places = max(places, places_of(value))
    text = figure(value, places, grouping=grouping, percent=percent)
    return Cell(
        col, text, Role.FIGURE, number=value, places=places, percent=percent, grouping=grouping, colspan=colspan
    )


def money(col: int, value: Decimal | None, colspan: int = 1) -> Cell:
    """A money cell: two decimals (more when printed with more), thousands grouped."""
    return _figure(col, value, 2, grouping=True, colspan=colspan)


def money_label(prefix: str, unit: str | None) -> str:
    """``项目资金（元）`` on two lines, as the forms print it; without a known unit only the label."""
    return f"{prefix}\n（{unit}）" if unit else prefix


def _runs(values: list[str]) -> list[int]:
    """For each position, the length of the run of equal values starting there (0 inside a run)."""
    spans = [0] * len(values)
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i]:
            j += 1
        spans[i] = j - i + 1
        i = j + 1
    return spans


def _level_cells(indicators: Iterable[Indicator], col1: int, col2: int) -> list[list[Cell]]:
    """The level-1 and level-2 label cells of each indicator row, merged down over their runs."""
    items = list(indicators)
    level1 = [clean(i.level1) for i in items]
    # a level-2 run never crosses a level-1 boundary, even when two groups share a level-2 name
    level2 = [f"{clean(i.level1)}\x00{clean(i.level2)}" for i in items]
    runs1, runs2 = _runs(level1), _runs(level2)
    out: list[list[Cell]] = []
    for n, ind in enumerate(items):
        cells: list[Cell] = []
        if runs1[n]:
            cells.append(_label(col1, clean(ind.level1), rowspan=runs1[n]))
        if runs2[n]:
            cells.append(_label(col2, clean(ind.level2), rowspan=runs2[n]))
        out.append(cells)
    return out


def _total_weight(p: Project) -> Decimal | None:
    """分值 of the 总分 row: the indicator weights plus the execution weight, when all are printed."""
    weights = [i.weight for i in p.indicators]
    # A sum over missing weights would print a total the form never had: leave the cell empty.
    if p.execution is None or p.execution.weight is None or not weights or any(w is None for w in weights):
        return None
    return sum((w for w in weights if w is not None), p.execution.weight)


def year_line(year: int | None) -> str:
    """The line under a form's title: ``（2024年度）``."""
    return f"（{year}年度）" if year else ""


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(n: int, name: str, taken: set[str]) -> str:
    """An Excel sheet name for form ``n``: numbered, at most 31 characters, unique, no forbidden characters."""
    # numbered so that two projects of one name (seed 001 has such pairs) stay apart and in order
    base = _SHEET_FORBIDDEN.sub("_", f"{n}.{clean(name)}".replace("\n", " ")).strip("'") or str(n)
    candidate = base[:31]
    k = 2
    while candidate.lower() in taken:
        suffix = f"~{k}"
        candidate = base[: 31 - len(suffix)] + suffix
        k += 1
    taken.add(candidate.lower())
    return candidate


# -- self-evaluation --------------------------------------------------------------


def _ordered(p: Project, style: Style) -> tuple[int, ...]:
    """The indicators' indices in print order; the 2024 forms print the 成本指标 group first."""
    every = tuple(range(len(p.indicators)))
    if style is Style.SELF_2024:
        # a stable sort: within 成本 and within the rest, the printed order is kept
        return tuple(sorted(every, key=lambda n: 0 if clean(p.indicators[n].level1) == "成本指标" else 1))
    return every


def _self_funds(p: Project, style: Style, first: int) -> list[tuple[Cell, ...]]:
    """The 项目资金 block: heading row and four fund rows (columns start at ``first`` + 1)."""
    rate_places = _RATE_PLACES[style]
    points = _POINT_PLACES[style]
    percent = style is Style.SELF_2022
    heads = ("年初预算数", "全年预算数", "全年执行数", "分值" if style is Style.SELF_2022 else "分数")
    rate_head = "执行率" if style is Style.SELF_2022 else "执行率(%)"
    c = first + 1  # first value column
    last_span = 2 if style is Style.SELF_2022 else 1
    rows: list[tuple[Cell, ...]] = [
        (
            _label(0, money_label("项目资金", p.money_unit), rowspan=5),
            _label(first, ""),
            *(_label(c + k, h) for k, h in enumerate(heads)),
            _label(c + 4, rate_head),
            _label(c + 5, "得分", colspan=last_span),
        )
    ]
    funds = p.funds
    for key, label in SELF_FUND_ROWS:
        row: FundRow = getattr(funds, key) or FundRow()
        # 分值, 执行率 and 得分 of the total row are the 预算执行率 scoring row (Execution)
        ex = p.execution if key == "total" else None
        rate = ex.rate_pct if ex is not None and ex.rate_pct is not None else row.rate_pct
        rows.append(
            (
                _label(first, label),
                money(c, row.initial),
                money(c + 1, row.adjusted),
                money(c + 2, row.executed),
                _figure(c + 3, ex.weight if ex else None, points),
                _figure(c + 4, rate, rate_places, percent=percent),
                _figure(c + 5, ex.score if ex else None, points, colspan=last_span),
            )
        )
    return rows


def self_evaluation(doc: Document, p: Project, style: Style, sheet: str, maximum: Decimal | None = None) -> Form:
    """财政项目支出绩效自评表 in the 2022 or the 2024 layout; a total above ``maximum`` is not printed."""
    old = style is Style.SELF_2022
    points = _POINT_PLACES[style]
    # 2022: a narrow side-label column A before the eight table columns; 2024: eight columns.
    widths = (5, 12, 13, 22, 13, 13, 8, 8, 24) if old else (10, 14, 22, 14, 15, 9, 10, 24)
    n = len(widths)
    t = 1 if old else 0  # first column of the indicator table
    rows: list[tuple[Cell, ...]] = [
        (_label(0, "项目名称", colspan=2), _text(2, p.name, colspan=n - 2)),
        (
            _label(0, "主管部门", colspan=2),
            _text(2, p.department, colspan=2),
            _label(4, "实施单位"),
            _text(5, p.unit, colspan=n - 5),
        ),
    ]
    anchors = [("execution", len(rows) + 1)]  # the funds' heading row, then the total row
    rows += _self_funds(p, style, 1)
    goal_split = 5 if old else 4
    rows += [
        (
            _label(0, "年度\n总体\n目标", rowspan=2),
            _label(1, "预期目标", colspan=goal_split - 1),
            _label(goal_split, "实际完成情况", colspan=n - goal_split),
        ),
        (_text(1, p.goal, colspan=goal_split - 1), _text(goal_split, p.outcome, colspan=n - goal_split)),
    ]
    order = _ordered(p, style)
    indicators = tuple(p.indicators[n] for n in order)
    heads = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
    head_row = [_label(t + k, h) for k, h in enumerate(heads)]
    if old:
        head_row.insert(0, _label(0, "绩效指标", rowspan=len(indicators) + 1, vertical=True))
    anchors.append(("indicators", len(rows)))
    rows.append(tuple(head_row))
    for index, ind, levels in zip(order, indicators, _level_cells(indicators, t, t + 1), strict=True):
        anchors.append((f"indicator:{index}", len(rows)))
        rows.append(
            (
                *levels,
                _text(t + 2, ind.name),
                _text(t + 3, ind.target, role=Role.CODE),
                _text(t + 4, ind.actual, role=Role.CODE),
                _figure(t + 5, ind.weight, points, dash=False),
                _figure(t + 6, ind.score, points, dash=False),
                _text(t + 7, ind.deviation),
            )
        )
    # a total that cannot be (weights or scores beyond the pack's 100) prints as a dash, with a note saying why
    impossible = over_maximum(p, maximum)
    anchors.append(("total", len(rows)))
    rows.append(
        (
            _label(0, "总分", colspan=t + 5),
            _figure(t + 5, None if impossible else _total_weight(p), points, dash=impossible),
            _figure(t + 6, None if impossible else p.total_score, points, dash=impossible),
            _text(t + 7, ""),
        )
    )
    if not old:
        grade = DASH if impossible else p.grade
        anchors.append(("grade", len(rows)))
        rows.append((_label(0, "评分等级", colspan=2), _text(2, grade, colspan=n - 2, role=Role.CODE)))
    notes = (over_maximum_note(maximum),) if impossible and maximum is not None else ()
    grid = Grid(widths, tuple(rows))
    return Form(Kind.SELF_EVALUATION.label, year_line(doc.year), sheet, grid, notes, anchors=tuple(anchors))


# -- declaration ------------------------------------------------------------------


def declaration(doc: Document, p: Project, sheet: str) -> Form:
    """财政项目支出绩效目标申报表."""
    # six columns as seed 001 prints them: the label column also carries the side labels below
    widths = (14, 16, 13, 25, 12, 14)
    f = p.funds
    requested = {key: (getattr(f, key) or FundRow()).requested for key, _ in SELF_FUND_ROWS}
    rows: list[tuple[Cell, ...]] = [
        (
            _label(0, "项目名称"),
            _text(1, p.name),
            _label(2, "项目性质"),
            _text(3, p.nature),
            _label(4, "项目类别"),
            _text(5, p.category),
        ),
        (_label(0, "主管部门"), _text(1, p.department), _label(2, "实施单位"), _text(3, p.unit, colspan=3)),
        (
            _label(0, "计划开始日期"),
            _text(1, p.start_date, role=Role.CODE),
            _label(2, "计划完成日期"),
            _text(3, p.end_date, colspan=3, role=Role.CODE),
        ),
        # The left pair (项目资金总额 / 其中：财政资金 / 其他资金) is the whole-life money, which the
        # document model does not hold; the forms print it, so the layout keeps its cells.
        (
            _label(0, money_label("项目资金", p.money_unit), rowspan=4),
            _label(1, "项目资金总额"),
            _text(2, ""),
            _label(3, "年度资金申请总额"),
            money(4, requested["total"], colspan=2),
        ),
        (
            _label(1, "其中：财政资金"),
            _text(2, ""),
            _label(3, "其中：当年财政拨款"),
            money(4, requested["current_appropriation"], colspan=2),
        ),
        (_label(1, ""), _text(2, ""), _label(3, "上年结转资金"), money(4, requested["carryover"], colspan=2)),
        (_label(1, "其他资金"), _text(2, ""), _label(3, "其他资金"), money(4, requested["other"], colspan=2)),
        (
            _label(0, "项目\n绩效\n目标", rowspan=2),
            _label(1, "项目总目标", colspan=2),
            _label(3, "年度总体目标", colspan=3),
        ),
        (_text(1, p.overall_goal, colspan=2), _text(3, p.goal, colspan=3)),
        (
            _label(0, "绩效指标", rowspan=len(p.indicators) + 1, vertical=True),
            _label(1, "一级指标"),
            _label(2, "二级指标"),
            _label(3, "三级指标"),
            _label(4, "年度(/项目)指标值", colspan=2),
        ),
    ]
    anchors = [("indicators", len(rows) - 1)]
    for index, (ind, levels) in enumerate(zip(p.indicators, _level_cells(p.indicators, 1, 2), strict=True)):
        anchors.append((f"indicator:{index}", len(rows)))
        rows.append((*levels, _text(3, ind.name), _text(4, ind.target, colspan=2, role=Role.CODE)))
    grid = Grid(widths, tuple(rows))
    return Form(Kind.TARGET_DECLARATION.label, year_line(doc.year), sheet, grid, anchors=tuple(anchors))


# -- department-wide forms ---------------------------------------------------------


def _goals(p: Project) -> tuple[Goal, ...]:
    """A department's several goals; one empty row when it has none, as on the blank form."""
    return p.goals or (Goal("", None),)


def _split_row(split: DepartmentFunds | None, key: str) -> FundRow:
    return (getattr(split, key) if split is not None else None) or FundRow()


def department_self_evaluation(doc: Document, p: Project, sheet: str, maximum: Decimal | None = None) -> Form:
    """部门（单位）整体支出绩效自评表: the money by source and nature, several goals, the scored indicators."""
    widths = (10, 16, 22, 13, 13, 9, 10, 22)
    n = len(widths)
    points = _POINT_PLACES[Style.DEPARTMENT]
    rate_places = _RATE_PLACES[Style.DEPARTMENT]
    ex = p.execution
    total = p.funds.total or FundRow()
    rows: list[tuple[Cell, ...]] = [
        (_label(0, "部门（单位）名称", colspan=2), _text(2, p.department, colspan=n - 2)),
        (
            _label(0, money_label("年度预算申请", p.money_unit), rowspan=2 + len(DEPARTMENT_FUND_ROWS)),
            _label(1, ""),
            *(_label(2 + k, h) for k, h in enumerate(("年初预算数", "全年预算数", "全年执行数", "分值", "执行率(%)"))),
            _label(7, "得分"),
        ),
    ]
    anchors = [("execution", len(rows))]
    rate = ex.rate_pct if ex is not None and ex.rate_pct is not None else total.rate_pct
    rows.append(
        (
            _label(1, "年度资金总额"),
            money(2, total.initial),
            money(3, total.adjusted),
            money(4, total.executed),
            _figure(5, ex.weight if ex else None, points),
            _figure(6, rate, rate_places),
            _figure(7, ex.score if ex else None, points),
        )
    )
    for key, label in DEPARTMENT_FUND_ROWS:
        row = _split_row(p.department_funds, key)
        rows.append(
            (
                _label(1, label),
                money(2, row.initial),
                money(3, row.adjusted),
                money(4, row.executed),
                _figure(5, None, points),
                _figure(6, row.rate_pct, rate_places),
                _figure(7, None, points),
            )
        )
    goals = _goals(p)
    rows.append(
        (
            _label(0, "年度\n总体\n目标", rowspan=len(goals) + 1),
            _label(1, "预期目标", colspan=3),
            _label(4, "实际完成情况", colspan=n - 4),
        )
    )
    rows += [(_text(1, g.goal, colspan=3), _text(4, g.outcome, colspan=n - 4)) for g in goals]
    heads = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
    anchors.append(("indicators", len(rows)))
    rows.append(tuple(_label(k, h) for k, h in enumerate(heads)))
    for index, (ind, levels) in enumerate(zip(p.indicators, _level_cells(p.indicators, 0, 1), strict=True)):
        anchors.append((f"indicator:{index}", len(rows)))
        rows.append(
            (
                *levels,
                _text(2, ind.name),
                _text(3, ind.target, role=Role.CODE),
                _text(4, ind.actual, role=Role.CODE),
                _figure(5, ind.weight, points, dash=False),
                _figure(6, ind.score, points, dash=False),
                _text(7, ind.deviation),
            )
        )
    # a total that cannot be (beyond the pack's maximum) prints as a dash, with a note saying why
    impossible = over_maximum(p, maximum)
    anchors.append(("total", len(rows)))
    rows.append(
        (
            _label(0, "总分", colspan=5),
            _figure(5, None if impossible else _total_weight(p), points, dash=impossible),
            _figure(6, None if impossible else p.total_score, points, dash=impossible),
            _text(7, ""),
        )
    )
    anchors.append(("grade", len(rows)))
    rows.append(
        (_label(0, "评分等级", colspan=2), _text(2, DASH if impossible else p.grade, colspan=n - 2, role=Role.CODE))
    )
    notes = (over_maximum_note(maximum),) if impossible and maximum is not None else ()
    title = Kind.DEPARTMENT_SELF_EVALUATION.label
    return Form(title, year_line(doc.year), sheet, Grid(widths, tuple(rows)), notes, anchors=tuple(anchors))


def department_declaration(doc: Document, p: Project, sheet: str) -> Form:
    """部门（单位）整体支出绩效目标申报表: the money requested by source and nature, goals, indicators and points."""
    widths = (12, 16, 16, 26, 10, 18)
    n = len(widths)
    points = _POINT_PLACES[Style.DEPARTMENT_DECLARATION]
    rows: list[tuple[Cell, ...]] = [
        (_label(0, "部门（单位）名称", colspan=2), _text(2, p.department, colspan=n - 2)),
        (
            _label(0, money_label("年度预算申请", p.money_unit), rowspan=2 + len(DEPARTMENT_FUND_ROWS)),
            _label(1, "", colspan=3),
            _label(4, "预算申报数", colspan=2),
        ),
        (_label(1, "年度资金总额", colspan=3), money(4, (p.funds.total or FundRow()).requested, colspan=2)),
    ]
    for key, label in DEPARTMENT_FUND_ROWS:
        rows.append((_label(1, label, colspan=3), money(4, _split_row(p.department_funds, key).requested, colspan=2)))
    goals = _goals(p)
    rows.append((_label(0, "年度\n总体\n目标", rowspan=len(goals) + 1), _label(1, "年度目标", colspan=n - 1)))
    rows += [(_text(1, g.goal, colspan=n - 1),) for g in goals]
    rows.append(
        (
            _label(0, "绩效指标", rowspan=len(p.indicators) + 1, vertical=True),
            _label(1, "一级指标"),
            _label(2, "二级指标"),
            _label(3, "三级指标"),
            _label(4, "分值"),
            _label(5, "年度指标值"),
        )
    )
    anchors = [("indicators", len(rows) - 1)]
    for index, (ind, levels) in enumerate(zip(p.indicators, _level_cells(p.indicators, 1, 2), strict=True)):
        anchors.append((f"indicator:{index}", len(rows)))
        # 分值 before 年度指标值, as the provincial forms print it: a target then stays the row's last cell
        rows.append(
            (
                *levels,
                _text(3, ind.name),
                _figure(4, ind.weight, points, dash=False),
                _text(5, ind.target, role=Role.CODE),
            )
        )
    grid = Grid(widths, tuple(rows))
    return Form(Kind.DEPARTMENT_DECLARATION.label, year_line(doc.year), sheet, grid, anchors=tuple(anchors))


# -- transfer payment -------------------------------------------------------------


def transfer(doc: Document, p: Project, sheet: str) -> Form:
    """中央对地方转移支付区域绩效目标自评表."""
    # seven columns, so that the indicator table (with its side label) lines up with the blocks above
    widths = (8, 11, 13, 26, 13, 14, 22)
    rate_places = _RATE_PLACES[Style.TRANSFER]
    rows: list[tuple[Cell, ...]] = [
        (_label(0, "转移支付(项目)名称", colspan=2), _text(2, p.name, colspan=5)),
        (_label(0, "中央主管部门", colspan=2), _text(2, p.central_department, colspan=5)),
        (
            _label(0, "地方主管部门", colspan=2),
            _text(2, p.department, colspan=2),
            _label(4, "资金使用单位"),
            _text(5, p.unit, colspan=2),
        ),
        (
            _label(0, money_label("资金投入情况", p.money_unit), rowspan=5, vertical=True),
            _label(1, "", colspan=2),
            _label(3, "全年预算数(A)"),
            _label(4, "全年执行数(B)"),
            _label(5, "预算执行率(B/A)", colspan=2),
        ),
    ]
    for key, label in TRANSFER_FUND_ROWS:
        row: FundRow = getattr(p.funds, key) or FundRow()
        rows.append(
            (
                _label(1, label, colspan=2),
                money(3, row.adjusted),
                money(4, row.executed),
                _figure(5, row.rate_pct, rate_places, percent=True, colspan=2),
            )
        )
    # The seven checks are printed even when the document has none, as on the blank form.
    managed = p.fund_management or tuple(FundManagementRow(item) for item in FUND_MANAGEMENT_ITEMS)
    rows.append(
        (
            _label(0, "资金管理情况", rowspan=len(managed) + 1, vertical=True),
            _label(1, "", colspan=2),
            _label(3, "情况说明", colspan=2),
            _label(5, "存在问题和改进措施", colspan=2),
        )
    )
    for r in managed:
        rows.append(
            (_label(1, clean(r.item), colspan=2), _text(3, r.description, colspan=2), _text(5, r.remedy, colspan=2))
        )
    rows += [
        (
            _label(0, "总体目标完成情况", rowspan=2, vertical=True),
            _label(1, "总体目标", colspan=3),
            _label(4, "全年实际完成情况", colspan=3),
        ),
        (_text(1, p.goal, colspan=3), _text(4, p.outcome, colspan=3)),
        (
            _label(0, "绩效指标", rowspan=len(p.indicators) + 1, vertical=True),
            _label(1, "一级指标"),
            _label(2, "二级指标"),
            _label(3, "三级指标"),
            _label(4, "指标值"),
            _label(5, "全年实际完成值"),
            _label(6, "未完成原因和改进措施"),
        ),
    ]
    anchors = [("indicators", len(rows) - 1)]
    for index, (ind, levels) in enumerate(zip(p.indicators, _level_cells(p.indicators, 1, 2), strict=True)):
        anchors.append((f"indicator:{index}", len(rows)))
        rows.append(
            (
                *levels,
                _text(3, ind.name),
                _text(4, ind.target, role=Role.CODE),
                _text(5, ind.actual, role=Role.CODE),
                _text(6, ind.deviation),
            )
        )
    # 说明 has no field in the document; the row is kept empty, as on the blank form
    rows.append((_label(0, "说明", colspan=2), _text(2, "", colspan=5)))
    return Form(
        Kind.TRANSFER_SELF_EVALUATION.label,
        year_line(doc.year),
        sheet,
        Grid(widths, tuple(rows)),
        TRANSFER_NOTES,
        anchors=tuple(anchors),
    )


# -- monitoring ---------------------------------------------------------------------


def as_of_words(as_of: str | None) -> str:
    """``2025-07-31`` -> ``截至7月31日``, as the monitoring form heads its columns; ``截至监控日`` without a date."""
    if not as_of or len(as_of) != 10:
        return "截至监控日"
    return f"截至{int(as_of[5:7])}月{int(as_of[8:10])}日"


def monitoring(doc: Document, p: Project, sheet: str) -> Form:
    """项目支出绩效目标执行监控表, laid out as 财预〔2019〕136号's template (docs/document-schema.md).

    The 偏差原因类型 are listed in one cell (经费保障、人员保障) rather than ticked in five columns,
    and 完成目标可能性 is written out (确定能 / 有可能 / 完全不可能): one cell per field keeps the
    printed form readable back by any reader, at the width of an A4 page.
    """
    widths = (8, 10, 15, 10, 10, 10, 14, 18, 9, 17)
    n = len(widths)
    when = as_of_words(p.as_of)
    rows: list[tuple[Cell, ...]] = [
        (_label(0, "项目名称", colspan=2), _text(2, p.name, colspan=n - 2)),
        (
            _label(0, "主管部门", colspan=2),
            _text(2, p.department, colspan=3),
            _label(5, "实施单位"),
            _text(6, p.unit, colspan=n - 6),
        ),
        (_label(0, "监控截止日期", colspan=2), _text(2, p.as_of, colspan=n - 2, role=Role.CODE)),
        (
            _label(0, money_label("项目资金", p.money_unit), colspan=2, rowspan=5),
            _label(2, ""),
            _label(3, "年度预算数", colspan=2),
            _label(5, f"{when}执行数", colspan=2),
            _label(7, "执行率"),
            _label(8, "全年预计执行数", colspan=2),
        ),
    ]
    for key, label in SELF_FUND_ROWS:
        row: FundRow = getattr(p.funds, key) or FundRow()
        rows.append(
            (
                _label(2, label),
                money(3, row.adjusted, colspan=2),
                money(5, row.executed, colspan=2),
                _figure(7, row.rate_pct, _RATE_PLACES[Style.MONITORING], percent=True),
                money(8, row.forecast, colspan=2),
            )
        )
    rows += [
        (
            _label(0, "年度\n总体\n目标", colspan=2, rowspan=2),
            _label(2, "年度目标", colspan=4),
            _label(6, f"{when}完成情况", colspan=n - 6),
        ),
        (_text(2, p.goal, colspan=4), _text(6, p.outcome, colspan=n - 6)),
    ]
    heads = (
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        f"{when}完成值",
        "全年预计完成值",
        "偏差原因类型",
        "偏差原因分析",
        "完成目标可能性",
        "纠偏措施/备注",
    )
    anchors = [("indicators", len(rows))]
    rows.append(tuple(_label(k, h) for k, h in enumerate(heads)))
    for index, (ind, levels) in enumerate(zip(p.indicators, _level_cells(p.indicators, 0, 1), strict=True)):
        anchors.append((f"indicator:{index}", len(rows)))
        rows.append(
            (
                *levels,
                _text(2, ind.name),
                _text(3, ind.target, role=Role.CODE),
                _text(4, ind.actual, role=Role.CODE),
                _text(5, ind.forecast, role=Role.CODE),
                _text(6, "、".join(ind.cause or ())),
                _text(7, ind.deviation),
                _text(8, ind.likelihood, role=Role.CODE),
                _text(9, ind.remedy),
            )
        )
    grid = Grid(widths, tuple(rows))
    return Form(Kind.MONITORING.label, year_line(doc.year), sheet, grid, anchors=tuple(anchors))


# -- the document -------------------------------------------------------------------


def forms(doc: Document, style: Style, maximum: Decimal | None = None) -> tuple[Form, ...]:
    """One form per project, in document order, each with its own sheet name (totals above ``maximum`` not printed)."""
    taken = {"汇总表"}
    out: list[Form] = []
    for n, p in enumerate(doc.projects, start=1):
        sheet = sheet_name(n, p.name or p.department or "", taken)
        if style is Style.DEPARTMENT:
            out.append(department_self_evaluation(doc, p, sheet, maximum))
        elif style is Style.DEPARTMENT_DECLARATION:
            out.append(department_declaration(doc, p, sheet))
        elif style is Style.DECLARATION:
            out.append(declaration(doc, p, sheet))
        elif style is Style.TRANSFER:
            out.append(transfer(doc, p, sheet))
        elif style is Style.MONITORING:
            out.append(monitoring(doc, p, sheet))
        else:
            out.append(self_evaluation(doc, p, style, sheet, maximum))
    return tuple(out)


def _common(values: Iterable[str | None]) -> str | None:
    found = {v for v in values if v}
    return found.pop() if len(found) == 1 else None


def summary(doc: Document, style: Style, maximum: Decimal | None = None) -> Form:
    """The 汇总表: one line per project with its identity, money and result (a total above ``maximum`` as a dash)."""
    year = f"{doc.year}年度" if doc.year else ""
    # a 汇总表 is titled by the one unit (or department) whose forms it collects, when there is one
    owner = _common(p.unit for p in doc.projects) or _common(p.department for p in doc.projects) or ""
    points = _POINT_PLACES[style]
    department = style in (Style.DEPARTMENT, Style.DEPARTMENT_DECLARATION)
    if department:
        # a department-wide collection lists departments: their forms are printed one a sheet
        style = Style.DECLARATION if style is Style.DEPARTMENT_DECLARATION else Style.SELF_2024
    if style is Style.DECLARATION:
        title = f"{clean(owner)}{year}项目绩效目标汇总表"
        heads: tuple[str, ...] = (
            "序号",
            "项目名称",
            "主管部门",
            "实施单位",
            "项目性质",
            "项目类别",
            "年度资金申请总额",
            "金额单位",
            "指标个数",
        )
        widths: tuple[float, ...] = (6, 26, 18, 18, 14, 12, 16, 8, 8)
    elif style is Style.MONITORING:
        title = f"{clean(owner)}{year}项目支出绩效目标执行监控汇总表"
        heads = (
            "序号",
            "项目名称",
            "实施单位",
            "监控截止日期",
            "年度预算数",
            "截至监控日执行数",
            "执行率(%)",
            "全年预计执行数",
            "金额单位",
        )
        widths = (6, 26, 22, 12, 14, 14, 10, 14, 8)
    elif style is Style.TRANSFER:
        title = f"{year}转移支付区域绩效目标自评汇总表"
        heads = (
            "序号",
            "转移支付(项目)名称",
            "资金使用单位",
            "全年预算数(A)",
            "全年执行数(B)",
            "预算执行率(B/A)",
            "金额单位",
        )
        widths = (6, 30, 30, 14, 14, 14, 8)
    else:
        title = f"{clean(owner)}{year}项目支出绩效自评汇总表"
        heads = (
            "序号",
            "项目名称",
            "实施单位",
            "全年预算数",
            "全年执行数",
            "执行率(%)",
            "总分",
            "评分等级",
            "金额单位",
        )
        widths = (6, 28, 24, 14, 14, 10, 9, 9, 8)
        if style is Style.SELF_2022:
            heads, widths = heads[:7] + heads[8:], widths[:7] + widths[8:]
    if department:
        title = f"{year}{'部门整体支出绩效目标汇总表' if style is Style.DECLARATION else '部门整体支出绩效自评汇总表'}"
        heads = (heads[0], "部门（单位）", *heads[2:])
    rows: list[tuple[Cell, ...]] = [tuple(_label(k, h) for k, h in enumerate(heads))]
    for n, p in enumerate(doc.projects, start=1):
        total = p.funds.total or FundRow()
        seq = _figure(0, Decimal(n), 0)
        if style is Style.DECLARATION:
            cells: tuple[Cell, ...] = (
                seq,
                _text(1, p.name or p.department),
                _text(2, p.department),
                _text(3, p.unit),
                _text(4, p.nature),
                _text(5, p.category),
                money(6, total.requested),
                _text(7, p.money_unit, role=Role.CODE),
                _figure(8, Decimal(len(p.indicators)), 0),
            )
        elif style is Style.MONITORING:
            cells = (
                seq,
                _text(1, p.name),
                _text(2, p.unit),
                _text(3, p.as_of, role=Role.CODE),
                money(4, total.adjusted),
                money(5, total.executed),
                _figure(6, total.rate_pct, _RATE_PLACES[style]),
                money(7, total.forecast),
                _text(8, p.money_unit, role=Role.CODE),
            )
        elif style is Style.TRANSFER:
            cells = (
                seq,
                _text(1, p.name),
                _text(2, p.unit),
                money(3, total.adjusted),
                money(4, total.executed),
                _figure(5, total.rate_pct, _RATE_PLACES[style], percent=True),
                _text(6, p.money_unit, role=Role.CODE),
            )
        else:
            rate = p.execution.rate_pct if p.execution and p.execution.rate_pct is not None else total.rate_pct
            cells = (
                seq,
                _text(1, p.name or p.department),
                _text(2, p.unit),
                money(3, total.adjusted),
                money(4, total.executed),
                _figure(5, rate, _RATE_PLACES[style]),
                _figure(6, None if over_maximum(p, maximum) else p.total_score, points),
            )
            if style is Style.SELF_2024:
                cells += (_text(7, DASH if over_maximum(p, maximum) else p.grade, role=Role.CODE),)
            cells += (_text(len(cells), p.money_unit, role=Role.CODE),)
        rows.append(cells)
    return Form(title, "", "汇总表", Grid(widths, tuple(rows)))
