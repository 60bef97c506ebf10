"""The written reports, generated from the data: the project 绩效自评报告, the transfer-payment one in
its four parts (docs/domain.md §6), and the 申报说明 that goes with a declaration.

Every figure in the text is the document's own, printed by the same :func:`figure` calls as the
form it comes with, so the text and the attached form cannot disagree. Headings and ordinals are
Chinese (一、（二）、指标三), never Arabic digits: any Arabic figure in a report is data, which a
test checks by reading the report back. Whether an indicator was met is read from its score when
the form has one, else from its target and actual value with :mod:`jixiao.core.targets`; when
neither tells, the report says so rather than guess.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.model import Document, FundRow, Indicator, Kind, Project
from jixiao.core.targets import Compound, Operator, Qualitative, Quantity, Tier, normalise, parse_target
from jixiao.exporters.model import (
    SELF_FUND_ROWS,
    TRANSFER_FUND_ROWS,
    Block,
    Narrative,
    Style,
    chinese_number,
    clean,
    figure,
    over_maximum,
    over_maximum_note,
)

MET, PARTIAL, UNMET = "已达成", "部分达成", "未达成"
_VERDICTS = {
    MET: "该指标已达成年度目标。",
    PARTIAL: "该指标部分达成年度目标。",
    UNMET: "该指标未达成年度目标。",
    None: "是否达成需结合实际完成值和说明判断。",
}
_TIERS = {Tier.MET: MET, Tier.PARTIAL: PARTIAL, Tier.UNMET: UNMET}
# Points print with the decimals of their layout, as on the form.
_POINTS = {Style.SELF_2022: 0, Style.SELF_2024: 2}
_USE_AND_DISCLOSURE = (
    "自评结果将作为改进项目管理、完善绩效目标和安排以后年度预算的依据，"
    "并按照预算绩效信息公开的有关规定，随部门决算一并公开，接受社会监督。"
)


def _holds(actual: Decimal, op: Operator | None, target: Decimal) -> bool:
    if op is Operator.GT:
        return actual > target
    if op is Operator.LE:
        return actual <= target
    if op is Operator.LT:
        return actual < target
    # ≥, and = read as "reach this" (docs/domain.md §3)
    return actual >= target


def judge(ind: Indicator) -> str | None:
    """Whether an indicator was met: 已达成, 部分达成, 未达成, or None when the data cannot tell."""
    # the evaluator's score is the verdict the form already gives; the values are read only without one
    if ind.weight is not None and ind.score is not None:
        if ind.score >= ind.weight:
            return MET
        return UNMET if ind.score <= 0 else PARTIAL
    if not ind.actual:
        return None
    actual = parse_target(ind.actual)
    if isinstance(actual, Qualitative) and actual.tier is not None:
        return _TIERS[actual.tier]
    target = parse_target(ind.target)
    if isinstance(target, Quantity) and isinstance(actual, Quantity):
        units = {u for u in (target.unit, actual.unit) if u}
        # different units (次 against %) cannot be compared; an actual with its own sign (≥2次) restates a target
        if len(units) <= 1 and actual.operator in (None, Operator.EQ):
            return MET if _holds(actual.number, target.operator, target.number) else UNMET
    if isinstance(target, (Quantity, Compound, Qualitative)) and normalise(ind.actual) == normalise(ind.target):
        return MET  # the actual value restates the target: reported as reached
    return None


def _money(value: Decimal | None, unit: str | None) -> str | None:
    return None if value is None else figure(value, 2, grouping=True) + (unit or "")


def _rate(value: Decimal | None, places: int) -> str | None:
    return None if value is None else figure(value, places) + "%"


def _join(parts: list[str]) -> str:
    return "，".join(parts)


def _sentence(text: str | None) -> str:
    """User text as a sentence: kept as written, with a full stop added only when it has none."""
    # the person's own words are never edited, only closed, so that the report reads as sentences
    t = clean(text).replace("\n", "")
    return t if not t or t.endswith(("。", "！", "？", ".", "；")) else t + "。"


def _fund_sentence(
    label: str, row: FundRow | None, unit: str | None, columns: tuple[tuple[str, str], ...], rate_places: int
) -> str:
    """``年度资金总额：全年预算数20.33万元，全年执行数16.30万元``; empty when the row prints nothing."""
    if row is None:
        return ""
    parts = []
    for attr, name in columns:
        value = getattr(row, attr)
        if value is None:
            continue
        parts.append(f"{name}{_rate(value, rate_places) if attr == 'rate_pct' else _money(value, unit)}")
    head = label.rstrip("：").replace("其中：", "其中，")
    return f"{head}：{_join(parts)}" if parts else ""


def indicator_paragraph(ind: Indicator, n: int, kind: Kind, style: Style) -> str:
    """One paragraph per indicator: target, actual, score, met or not, and the deviation note."""
    name = clean(ind.name)
    target = clean(ind.target) or "未填写"
    if kind is Kind.TARGET_DECLARATION:
        return f"指标{chinese_number(n)}：{name}，年度指标值为{target}。"
    actual = clean(ind.actual) or "未填写"
    column = "全年实际完成值" if kind is Kind.TRANSFER_SELF_EVALUATION else "实际完成值"
    text = f"指标{chinese_number(n)}：{name}。年度指标值为{target}，{column}为{actual}"
    points = _POINTS.get(style, 2)
    scored = []
    if ind.weight is not None:
        scored.append(f"分值{figure(ind.weight, points)}分")
    if ind.score is not None:
        scored.append(f"得分{figure(ind.score, points)}分")
    text += ("；" + _join(scored) + "。") if scored else "。"
    text += _VERDICTS[judge(ind)]
    if ind.deviation:
        head = "未完成原因和改进措施" if kind is Kind.TRANSFER_SELF_EVALUATION else "偏差原因分析及改进措施"
        text += f"{head}：{_sentence(ind.deviation)}"
    return text


def _groups(indicators: tuple[Indicator, ...]) -> list[tuple[str, list[Indicator]]]:
    """Indicators grouped by level 1, in printed order (a level 1 printed twice makes two groups)."""
    out: list[tuple[str, list[Indicator]]] = []
    for ind in indicators:
        label = clean(ind.level1)
        if out and out[-1][0] == label:
            out[-1][1].append(ind)
        else:
            out.append((label, [ind]))
    return out


def _indicator_blocks(p: Project, kind: Kind, style: Style) -> list[Block]:
    blocks: list[Block] = []
    n = 0
    for label, items in _groups(p.indicators):
        blocks.append(Block(f"{label}完成情况", 3))
        for ind in items:
            n += 1
            blocks.append(Block(indicator_paragraph(ind, n, kind, style)))
    return blocks


def _deviation_blocks(p: Project, kind: Kind) -> list[Block]:
    """Why targets were missed and what will change: the deviation notes, unmet indicators, remedies."""
    lines: list[str] = []
    for ind in p.indicators:
        verdict = judge(ind)
        if ind.deviation:
            lines.append(f"{clean(ind.name)}：{_sentence(ind.deviation)}")
        elif verdict in (PARTIAL, UNMET):
            lines.append(f"{clean(ind.name)}{verdict}年度目标，表中未填写原因和改进措施。")
    for r in p.fund_management or ():
        remedy = clean(r.remedy)
        # 无 (none) is how the forms say there was no problem: not a deviation to report
        if remedy and remedy not in ("无", "—", "-"):
            lines.append(f"{clean(r.item)}：{_sentence(remedy)}")
    if not lines:
        # said as what the form shows, not as a claim that every target was met
        lines.append("表中未列明偏离绩效目标的情况。")
    return [Block(line) for line in lines]


def _goal_blocks(p: Project, goal_label: str, outcome_label: str) -> list[Block]:
    out = []
    if p.overall_goal:
        out.append(Block(f"项目总目标：{_sentence(p.overall_goal)}"))
    out.append(Block(f"{goal_label}：{_sentence(p.goal) or '未填写。'}"))
    if outcome_label:
        out.append(Block(f"{outcome_label}：{_sentence(p.outcome) or '未填写。'}"))
    return out


_SELF_COLUMNS = (
    ("initial", "年初预算数"),
    ("adjusted", "全年预算数"),
    ("executed", "全年执行数"),
    ("rate_pct", "执行率"),
)
_TRANSFER_COLUMNS = (
    ("adjusted", "全年预算数（A）"),
    ("executed", "全年执行数（B）"),
    ("rate_pct", "预算执行率（B/A）"),
)
_DECLARED_COLUMNS = (("requested", "年度资金申请总额"),)


def _funds_blocks(
    p: Project, rows: tuple[tuple[str, str], ...], columns: tuple[tuple[str, str], ...], rate_places: int = 2
) -> list[Block]:
    out = []
    for key, label in rows:
        text = _fund_sentence(label, getattr(p.funds, key), p.money_unit, columns, rate_places)
        if text:
            out.append(Block(text + "。"))
    return out


def _self_evaluation(doc: Document, style: Style, maximum: Decimal | None = None) -> Narrative:
    blocks: list[Block] = []
    points = _POINTS.get(style, 2)
    for k, p in enumerate(doc.projects, start=1):
        blocks.append(Block(f"{chinese_number(k)}、{clean(p.name)}", 1))
        blocks.append(Block("（一）项目基本情况", 2))
        blocks.append(Block(f"主管部门：{clean(p.department) or '未填写'}；实施单位：{clean(p.unit) or '未填写'}。"))
        blocks += _funds_blocks(p, SELF_FUND_ROWS, _SELF_COLUMNS)
        blocks.append(Block("（二）绩效目标及完成情况", 2))
        blocks += _goal_blocks(p, "年度总体目标", "实际完成情况")
        blocks.append(Block("（三）绩效指标完成情况分析", 2))
        blocks += _indicator_blocks(p, doc.kind, style)
        blocks.append(Block("（四）偏离绩效目标的原因和改进措施", 2))
        blocks += _deviation_blocks(p, doc.kind)
        blocks.append(Block("（五）自评结论", 2))
        parts = []
        ex = p.execution
        if ex is not None and ex.weight is not None:
            parts.append(f"预算执行率分值{figure(ex.weight, points)}分")
        if ex is not None and ex.score is not None:
            parts.append(f"得分{figure(ex.score, points)}分")
        if over_maximum(p, maximum):
            parts.append(over_maximum_note(maximum or Decimal(0)).removeprefix("注：本表的").rstrip("。"))
        else:
            if p.total_score is not None:
                parts.append(f"自评总分{figure(p.total_score, points)}分")
            if p.grade:
                parts.append(f"评分等级为{clean(p.grade)}")
        blocks.append(Block(_join(parts) + "。" if parts else "表中未填写自评得分。"))
    blocks.append(Block(f"{chinese_number(len(doc.projects) + 1)}、绩效自评结果拟应用和公开情况", 1))
    blocks.append(Block(_USE_AND_DISCLOSURE))
    year = f"{doc.year}年度" if doc.year else ""
    return Narrative(f"{year}项目支出绩效自评报告", tuple(blocks), f"附件：{Kind.SELF_EVALUATION.label}")


def _transfer(doc: Document, style: Style) -> Narrative:
    blocks: list[Block] = []
    # one transfer fund is the usual report; several get a heading each and their parts one level down
    many = len(doc.projects) > 1
    for k, p in enumerate(doc.projects, start=1):
        if many:
            blocks.append(Block(f"{chinese_number(k)}、{clean(p.name)}", 1))
        unit = p.money_unit
        central = p.funds.central
        blocks.append(Block("一、绩效目标分解下达情况", 1 if not many else 2))
        blocks.append(Block("（一）中央下达转移支付预算和绩效目标情况", 2 if not many else 3))
        first = f"{clean(p.central_department) or '中央主管部门'}下达{clean(p.name)}"
        if central is not None and central.adjusted is not None:
            first += f"，中央财政资金全年预算数{_money(central.adjusted, unit)}"
        blocks.append(Block(first + "。"))
        blocks.append(Block(f"年度总体目标：{_sentence(p.goal) or '未填写。'}"))
        blocks.append(Block("（二）分解下达预算和绩效目标情况", 2 if not many else 3))
        blocks.append(
            Block(
                f"{clean(p.department) or '地方主管部门'}将资金和绩效目标分解下达至{clean(p.unit) or '资金使用单位'}。"
            )
        )
        blocks += _funds_blocks(p, TRANSFER_FUND_ROWS, (("adjusted", "全年预算数"),))
        blocks.append(Block("二、绩效情况分析", 1 if not many else 2))
        blocks.append(Block("（一）资金投入情况分析", 2 if not many else 3))
        blocks += _funds_blocks(p, TRANSFER_FUND_ROWS, _TRANSFER_COLUMNS, rate_places=1)
        blocks.append(Block("（二）资金管理情况分析", 2 if not many else 3))
        for r in p.fund_management or ():
            text = f"{clean(r.item)}：{_sentence(r.description) or '未填写。'}"
            if r.remedy:
                text += f"存在问题和改进措施：{_sentence(r.remedy)}"
            blocks.append(Block(text))
        blocks.append(Block("（三）总体绩效目标完成情况分析", 2 if not many else 3))
        blocks += _goal_blocks(p, "总体目标", "全年实际完成情况")
        blocks.append(Block("（四）绩效指标完成情况分析", 2 if not many else 3))
        blocks += _indicator_blocks(p, doc.kind, style)
        blocks.append(Block("三、偏离绩效目标的原因和下一步改进措施", 1 if not many else 2))
        blocks += _deviation_blocks(p, doc.kind)
        blocks.append(Block("四、绩效自评结果拟应用和公开情况", 1 if not many else 2))
        blocks.append(Block(_USE_AND_DISCLOSURE))
    year = f"{doc.year}年度" if doc.year else ""
    name = clean(doc.projects[0].name) if len(doc.projects) == 1 else "中央对地方转移支付"
    return Narrative(f"{year}{name}绩效自评报告", tuple(blocks), f"附件：{Kind.TRANSFER_SELF_EVALUATION.label}")


def _declaration(doc: Document, style: Style) -> Narrative:
    blocks: list[Block] = []
    for k, p in enumerate(doc.projects, start=1):
        blocks.append(Block(f"{chinese_number(k)}、{clean(p.name)}", 1))
        blocks.append(Block("（一）项目基本情况", 2))
        facts = [
            f"{label}：{clean(value)}"
            for label, value in (
                ("主管部门", p.department),
                ("实施单位", p.unit),
                ("项目性质", p.nature),
                ("项目类别", p.category),
                ("计划开始日期", p.start_date),
                ("计划完成日期", p.end_date),
            )
            if value
        ]
        blocks.append(Block("；".join(facts) + "。" if facts else "项目基本信息未填写。"))
        blocks += _funds_blocks(p, SELF_FUND_ROWS, _DECLARED_COLUMNS)
        blocks.append(Block("（二）绩效目标", 2))
        blocks += _goal_blocks(p, "年度总体目标", "")
        blocks.append(Block("（三）绩效指标", 2))
        blocks += _indicator_blocks(p, doc.kind, style)
    year = f"{doc.year}年度" if doc.year else ""
    return Narrative(f"{year}项目绩效目标申报说明", tuple(blocks), f"附件：{Kind.TARGET_DECLARATION.label}")


_MONITORED_COLUMNS = (
    ("adjusted", "年度预算数"),
    ("executed", "截至监控日执行数"),
    ("rate_pct", "执行率"),
    ("forecast", "全年预计执行数"),
)


def monitored_paragraph(ind: Indicator, n: int) -> str:
    """One indicator of a monitoring form: target, value to date, forecast, causes, likelihood and remedy."""
    parts = [f"年度指标值为{clean(ind.target) or '未填写'}"]
    parts.append(f"截至监控日完成值为{clean(ind.actual) or '未填写'}")
    parts.append(f"全年预计完成值为{clean(ind.forecast) or '未填写'}")
    if ind.likelihood:
        parts.append(f"完成目标可能性：{clean(ind.likelihood)}")
    text = f"指标{chinese_number(n)}：{clean(ind.name)}。{_join(parts)}。"
    if ind.cause:
        text += f"偏差原因类型：{'、'.join(ind.cause)}。"
    if ind.deviation:
        text += f"偏差原因分析：{_sentence(ind.deviation)}"
    if ind.remedy:
        text += f"纠偏措施：{_sentence(ind.remedy)}"
    return text


def _monitoring(doc: Document) -> Narrative:
    """The 绩效运行监控情况说明 that goes with monitoring forms: execution, progress, each indicator's outlook."""
    blocks: list[Block] = []
    for k, p in enumerate(doc.projects, start=1):
        blocks.append(Block(f"{chinese_number(k)}、{clean(p.name)}", 1))
        blocks.append(Block("（一）预算执行情况", 2))
        facts = f"主管部门：{clean(p.department) or '未填写'}；实施单位：{clean(p.unit) or '未填写'}"
        blocks.append(Block(facts + (f"；监控截止日期：{p.as_of}。" if p.as_of else "。")))
        blocks += _funds_blocks(p, SELF_FUND_ROWS, _MONITORED_COLUMNS)
        blocks.append(Block("（二）总体目标完成进度", 2))
        blocks += _goal_blocks(p, "年度目标", "截至监控日完成情况")
        blocks.append(Block("（三）绩效指标完成进度及纠偏措施", 2))
        for n, ind in enumerate(p.indicators, start=1):
            blocks.append(Block(monitored_paragraph(ind, n)))
    year = f"{doc.year}年度" if doc.year else ""
    return Narrative(f"{year}项目支出绩效运行监控情况说明", tuple(blocks), f"附件：{Kind.MONITORING.label}")


def narrative(doc: Document, style: Style, maximum: Decimal | None = None) -> Narrative:
    """The written report of a document, by its kind; a total above ``maximum`` is not quoted."""
    if doc.kind is Kind.TRANSFER_SELF_EVALUATION:
        return _transfer(doc, style)
    if doc.kind in (Kind.TARGET_DECLARATION, Kind.DEPARTMENT_DECLARATION):
        return _declaration(doc, style)
    if doc.kind is Kind.MONITORING:
        return _monitoring(doc)
    return _self_evaluation(doc, style, maximum)
