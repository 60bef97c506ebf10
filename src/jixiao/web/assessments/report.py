"""The assessment report (事前绩效评估报告) in the official layout: the written report, the sheet, the conclusion.

The exporters' model draws it: a :class:`~jixiao.exporters.model.Narrative` (the report's chapters, as
a provincial 办法 lists them) and two forms, 事前绩效评估评分表 and 事前绩效评估结论表; the Word
renderer prints the narrative with the forms attached, the PDF renderer the forms. The declaration's
own document rides along only for the report's kind and year.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.scoring.exante import ExanteRules
from jixiao.exporters.model import Block, Cell, Form, Grid, Narrative, Report, Role, Style
from jixiao.web.assessments.costs import CostRow
from jixiao.web.assessments.models import Assessment, PanelSeat
from jixiao.web.cycle.documents import declaration_document

FORMATS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf"}


def _label(col: int, text: str, colspan: int = 1) -> Cell:
    return Cell(col, text, Role.LABEL, colspan=colspan)


def _text(col: int, text: str, colspan: int = 1) -> Cell:
    return Cell(col, text, Role.TEXT, colspan=colspan)


def _figure(col: int, value: Decimal | None) -> Cell:
    return Cell(col, "" if value is None else f"{value:.2f}", Role.FIGURE, number=value, places=2)


def sheet_form(assessment: Assessment, rules: ExanteRules, seats: list[PanelSeat]) -> Form:
    """事前绩效评估评分表: one row per point, a column per expert, the experts' totals and the panel's."""
    n = len(seats)
    widths = (10.0, 34.0, 6.0, *([8.0] * n))
    head: tuple[Cell, ...] = (_label(0, "评估维度"), _label(1, "评估要点"), _label(2, "分值"))
    head += tuple(_label(3 + i, f"专家{s.position}") for i, s in enumerate(seats))
    rows: list[tuple[Cell, ...]] = [head]
    for d in rules.dimensions:
        for q in d.questions:
            scores = tuple(
                _figure(3 + i, Decimal(s.scores[q.key]) if q.key in s.scores else None) for i, s in enumerate(seats)
            )
            rows.append((_text(0, d.name), _text(1, q.text), _figure(2, q.weight), *scores))
    totals = tuple(_figure(3 + i, s.total) for i, s in enumerate(seats))
    rows.append((_label(0, "合计", 2), _figure(2, rules.total_weight), *totals))
    # the panel's total spans the experts' columns
    total = Cell(3, f"{assessment.total}", Role.FIGURE, number=assessment.total, places=2, colspan=max(n, 1))
    rows.append((_label(0, "评估总分（各专家评分的平均数）", 3), total))
    return Form(
        title="事前绩效评估评分表",
        subtitle=f"（{assessment.year}年度）",
        sheet="评分表",
        grid=Grid(widths, tuple(rows)),
        notes=(f"评分依据：{rules.document}。",),
    )


def conclusion_form(assessment: Assessment, rules: ExanteRules, costs: list[CostRow]) -> Form:
    """事前绩效评估结论表: the project, the cost comparison, the total, the conclusion and the adjustments."""
    decl = assessment.declaration
    widths = (14.0, 20.0, 14.0, 20.0)
    rows: list[tuple[Cell, ...]] = [
        (_label(0, "项目名称"), _text(1, assessment.project_name, 3)),
        (
            _label(0, "实施单位"),
            _text(1, assessment.unit.name),
            _label(2, "主管部门"),
            _text(3, assessment.department.name),
        ),
        (
            _label(0, "项目性质"),
            _text(1, decl.nature),
            _label(2, f"申请总额（{decl.money_unit}）"),
            _figure(3, decl.requested_total),
        ),
    ]
    for row in costs:
        line = row.line
        bench = f"参考 {line.benchmark_unit_cost} 元" if line.benchmark_unit_cost is not None else "无参考标准"
        rng = row.similar_range
        similar = f"；同类项目 {rng[0]}–{rng[1]} 元（以申请总额计）" if rng else ""
        rows.append(
            (
                _label(0, f"{line.output}单位成本"),
                _text(1, f"{row.unit_cost} 元/{line.unit}"),
                _text(2, f"{bench}{similar}", 2),
            )
        )
    rows += [
        (
            _label(0, "评估总分"),
            _figure(1, assessment.total),
            _label(2, "评估结论"),
            _text(3, assessment.get_conclusion_display()),
        ),
        (_label(0, "评估意见"), _text(1, assessment.opinion, 3)),
        (_label(0, "调整完善内容"), _text(1, assessment.adjustments or "—", 3)),
    ]
    return Form(
        title="事前绩效评估结论表",
        subtitle=f"（{assessment.year}年度）",
        sheet="结论表",
        grid=Grid(widths, tuple(rows)),
        notes=(
            f"总分 {rules.support_min} 分（含）以上予以支持，{rules.adjust_min} 分（含）以上调整完善后予以支持，"
            f"{rules.adjust_min} 分以下不予支持。",
        ),
    )


def narrative(assessment: Assessment, costs: list[CostRow], seats: list[PanelSeat]) -> Narrative:
    """The written report in the chapters a provincial 办法 asks for."""
    decl = assessment.declaration
    blocks = [
        Block("一、项目基本情况", 1),
        Block(
            f"{assessment.project_name}由{assessment.unit.name}实施，主管部门为{assessment.department.name}，"
            f"项目性质为{decl.nature or '未填写'}，"
            f"{assessment.year}年度资金申请总额 {decl.requested_total} {decl.money_unit}。"
        ),
        Block(decl.goal or "年度总体目标未填写。"),
        Block("二、评估内容", 1),
        Block(assessment.summary or "—"),
        Block("三、成本效益分析", 1),
        *(
            Block(
                f"{r.line.output}：数量 {r.line.quantity} {r.line.unit}，测算成本 {r.line.cost} 元，"
                f"单位成本 {r.unit_cost} 元"
                + (
                    f"，为参考单位成本 {r.line.benchmark_unit_cost} 元（{r.line.benchmark_source or '评估人引用'}）的 "
                    f"{r.ratio_to_benchmark_pct}%"
                    if r.ratio_to_benchmark_pct is not None
                    else ""
                )
                + "。"
            )
            for r in costs
        ),
        Block(assessment.cost_notes or "（无补充说明）"),
        Block("四、专家评审情况", 1),
        Block(
            f"从专家库中随机抽取 {len(seats)} 名专家，按立项必要性、投入经济性、绩效目标合理性、实施方案可行性、"
            f"筹资合规性逐项评分，评估总分为各专家评分的平均数 {assessment.total} 分。"
        ),
        *(Block(f"专家{s.position}（{s.total} 分）：{s.comment}") for s in seats),
        Block("五、评估结论", 1),
        Block(f"评估结论：{assessment.get_conclusion_display()}。{assessment.opinion}"),
    ]
    if assessment.adjustments:
        blocks += [Block("六、调整完善情况", 1), Block(assessment.adjustments)]
    return Narrative(title=f"{assessment.project_name}事前绩效评估报告", blocks=tuple(blocks), attachment="附件：")


def assessment_report(assessment: Assessment, rules: ExanteRules, costs: list[CostRow]) -> Report:
    """The report of a concluded assessment, for the Word and PDF renderers."""
    seats = list(assessment.seats.select_related("expert"))
    made = narrative(assessment, costs, seats)
    forms = (conclusion_form(assessment, rules, costs), sheet_form(assessment, rules, seats))
    return Report(
        document=declaration_document(assessment.declaration),
        style=Style.DECLARATION,
        title=made.title,
        summary=forms[0],
        forms=forms,
        money_unit="元",
        maximum=rules.total_weight,
        make_narrative=lambda: made,
    )


def render(report: Report, fmt: str) -> bytes:
    """The report as Word (narrative and forms) or PDF (the two forms)."""
    if fmt == "docx":
        from jixiao.exporters import docx

        return docx.render(report)
    from jixiao.exporters import pdf

    return pdf.render(report, summary=False)
