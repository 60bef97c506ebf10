"""What the cycle's home page shows of monitoring: the forms waiting for this person, with their due dates."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from jixiao.core.workflow import Role, State
from jixiao.web.access import Person, role_of
from jixiao.web.monitoring.models import MonitoringRecord, MonitoringRound
from jixiao.web.monitoring.views.action_lists import action_todo

WAITING = {
    Role.UNIT_STAFF: [State.DRAFT.value, State.RETURNED.value],
    Role.DEPT_REVIEWER: [State.SUBMITTED.value],
    Role.FINANCE_REVIEWER: [State.DEPT_APPROVED.value],
}


def monitoring_todo(user: Person) -> dict[str, Any]:
    """The monitoring forms waiting for ``user`` (a unit's open ones first by due date) and the open rounds."""
    role = role_of(user)
    if role not in WAITING:
        return {}
    waiting = (
        MonitoringRecord.objects.visible_to(user)
        .filter(state__in=WAITING[role], round__status=MonitoringRound.Status.OPEN)
        .select_related("round", "unit")
        .order_by("round__due", "project_name", "pk")
    )
    shown = {"monitoring_todo": waiting[:20], "monitoring_shown": True, "today": timezone.localdate()}
    return shown | action_todo(user)  # the actions following alerts that wait for this person
