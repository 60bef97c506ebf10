"""What the home page and a round's page show of the actions following monitoring alerts: each person's to-do."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from jixiao.core.workflow import Role
from jixiao.web.access import Person, account_of
from jixiao.web.monitoring.action_models import MonitoringAction
from jixiao.web.monitoring.models import MonitoringRound

SHOWN = 20


def _waiting(user: Person) -> Q | None:
    """The actions waiting for ``user``: to do as their owner, or to confirm as the side that raised them."""
    account = account_of(user)
    if account is None:
        return None
    role = account.role_enum
    pending = Q(state__in=MonitoringAction.PENDING)
    to_confirm = Q(state=MonitoringAction.State.SUBMITTED, raised_in=account.organization_id)
    if role is Role.UNIT_STAFF:
        return pending & Q(owner=MonitoringAction.Owner.UNIT, record__unit=account.organization_id)
    if role is Role.FINANCE_REVIEWER:
        return (pending & Q(owner=MonitoringAction.Owner.FINANCE)) | to_confirm
    if role is Role.DEPT_REVIEWER:
        return to_confirm
    return None


def action_todo(user: Person) -> dict[str, Any]:
    """The actions waiting for ``user``, the overdue ones first, with how many are overdue."""
    waiting = _waiting(user)
    if waiting is None:
        return {}
    today = timezone.localdate()
    actions = (
        MonitoringAction.objects.visible_to(user)
        .filter(waiting)
        .select_related("record__unit", "record__round", "row__indicator")
        .order_by("due", "pk")
    )
    return {
        "action_todo": actions[:SHOWN],
        "action_todo_count": actions.count(),
        "action_overdue": actions.overdue(today).count(),
        "today": today,
    }


def round_overdue(user: Person, round_: MonitoringRound) -> dict[str, Any]:
    """A round's overdue actions that ``user`` may see, and how many actions it has in all."""
    today = timezone.localdate()
    actions = MonitoringAction.objects.visible_to(user).filter(record__round=round_)
    overdue = actions.overdue(today).select_related("record__unit", "row__indicator").order_by("due", "pk")
    return {
        "overdue_actions": overdue[:SHOWN],
        "overdue_count": overdue.count(),
        "action_count": actions.count(),
        "today": today,
    }
