"""The demo's actions on its monitoring round: open, reported and closed, cancelled; made through the services."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from jixiao.core.workflow import State
from jixiao.web.audit.services import Context
from jixiao.web.monitoring import services
from jixiao.web.monitoring.models import MonitoringAction, MonitoringRecord, MonitoringRound


def demo_actions(people: dict[str, User], round_: MonitoringRound) -> list[MonitoringAction]:
    """On the demo unit's forms: a 纠偏 of the execution alert left open, a row's 纠偏 closed, another cancelled."""
    dept, unit = Context.system(people["dept"]), Context.system(people["unit"])
    organization = people["unit"].account.organization
    mine = MonitoringRecord.objects.filter(round=round_, unit=organization).order_by("project_name", "pk")
    made = []
    due = timezone.localdate() + timedelta(days=30)
    behind = mine.filter(state=State.SUBMITTED.value, findings__code="execution-behind-schedule").first()
    finding = behind.findings.filter(code="execution-behind-schedule").first() if behind is not None else None
    if behind is not None and finding is not None:
        task = "分析支出进度滞后的原因，9月底前执行率达到序时进度，按月报送支付进度。"
        new = services.NewAction("correct", task, due, alert=services.alert_key(finding))
        made.append(services.raise_action(dept, behind, new))
    approved = mine.filter(state=State.APPROVED.value).first()
    if approved is not None:
        row = approved.rows.order_by("position").last()
        new = services.NewAction("correct", "下半年补足进度，报送阶段性成果。", due, row_id=row.pk if row else None)
        action = services.raise_action(dept, approved, new)
        action = services.submit_action(unit, action, "已调整实施计划，8月完成阶段验收，附验收意见。")
        made.append(services.conclude_action(dept, action, close=True, comment="已核实，同意关闭。"))
        first = approved.rows.order_by("position").first()
        new = services.NewAction("correct", "补报上半年培训签到表。", due, row_id=first.pk if first else None)
        raised = services.raise_action(dept, approved, new)
        made.append(services.cancel_action(dept, raised, "签到表已随监控表附件报送，无需另行整改。"))
    return made
