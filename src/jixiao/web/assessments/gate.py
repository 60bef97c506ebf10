"""The approval gate: a new declaration above the pack's amount needs a supporting ex-ante assessment."""

from __future__ import annotations

from jixiao.core.scoring.exante import Conclusion, needs_assessment
from jixiao.web.assessments.models import Assessment
from jixiao.web.cycle.models import Declaration
from jixiao.web.cycle.packs import record_pack


def assessment_gate(declaration: Declaration) -> str | None:
    """Why the finance bureau may not approve ``declaration`` yet, or None (registered in ``AppConfig.ready``)."""
    rules = record_pack(declaration).exante
    if not needs_assessment(rules, declaration.nature, declaration.requested_total, declaration.money_unit):
        return None
    latest = (
        Assessment.objects.filter(declaration=declaration, state=Assessment.State.CONCLUDED)
        .order_by("-concluded_at", "-id")
        .first()
    )
    need = (
        f"该项目为新增项目（项目性质：{declaration.nature}），年度资金申请总额达到 {rules.gate_amount_yuan:,} 元，"
        "须经事前绩效评估"
    )
    if latest is None:
        return f"{need}，结论为“予以支持”或“调整完善后予以支持”后才能批复；目前还没有已出具结论的事前绩效评估。"
    if latest.supports:
        return None
    if latest.conclusion_enum is Conclusion.ADJUST:
        return f"{need}；评估结论为“调整完善后予以支持”，请先在评估中记录调整完善的内容，再批复。"
    return f"{need}；评估结论为“不予支持”（总分 {latest.total}），不能批复。"
