"""Who hears of an action's steps (the notices app's notices and e-mail), and the daily reminder of overdue ones.

Raised: its owner (the unit's staff, or the finance bureau). Reported: the reviewers of the side that
raised it. Closed, reopened or cancelled: its owner, with the comment. Overdue: its owner, once a day, through the
``remind`` command (:func:`action_reminders`, registered by the app). A notice that fails is logged and
never undoes the step.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.urls import reverse

from jixiao.web.monitoring.action_models import MonitoringAction
from jixiao.web.notices.models import Notice
from jixiao.web.notices.services.notices import (
    Reminder,
    department_reviewers,
    finance_reviewers,
    notify,
    unit_staff,
)
from jixiao.web.orgs.models import Organization

log = logging.getLogger(__name__)


def owners(action: MonitoringAction) -> QuerySet[User]:
    """Who does the action: the form's unit staff (纠偏), else the finance bureau's reviewers."""
    if action.owner == MonitoringAction.Owner.UNIT:
        return unit_staff(action.record.unit_id)
    return finance_reviewers()


def raisers(action: MonitoringAction) -> QuerySet[User]:
    """Who confirms it: the reviewers of the department or of the finance bureau that raised it."""
    if action.raised_in.kind == Organization.Kind.DEPARTMENT:
        return department_reviewers(action.raised_in_id)
    return finance_reviewers()


def _what(action: MonitoringAction) -> str:
    return f"「{action.record.project_name}」{action.get_kind_display()}"


def after_step(action: MonitoringAction, step: str, comment: str = "") -> None:
    """Tell the people a committed step concerns (called on commit by the services); never raises."""
    try:
        link = reverse("monitoring:action_detail", args=[action.pk])
        due = f"{action.due:%Y-%m-%d}"
        if step == "raise":
            text = f"{_what(action)}：{action.task}（完成期限 {due}）"
            notify(owners(action), Notice.Kind.ASSIGNED, text, link)
        elif step == "submit":
            notify(raisers(action), Notice.Kind.SUBMITTED, f"{_what(action)}已提交办理情况，请确认。", link)
        elif step == "close":
            notify(owners(action), Notice.Kind.APPROVED, f"{_what(action)}已确认关闭。", link)
        elif step == "reopen":
            notify(owners(action), Notice.Kind.RETURNED, f"{_what(action)}被重新打开：{comment}", link)
        elif step == "cancel":  # nothing left to do: the owner is told why, as a task taken back
            notify(owners(action), Notice.Kind.RETURNED, f"{_what(action)}已撤销，无需再办理：{comment}", link)
    except Exception:
        log.exception("整改事项的操作已完成，但通知未能发出（#%s，%s）。", action.pk, step)


def action_reminders(today: datetime.date) -> Iterable[Reminder]:
    """The overdue actions, each to its owner (given at most once a day by ``remind``)."""
    late = MonitoringAction.objects.overdue(today).select_related("record", "raised_in").order_by("pk")
    for action in late.iterator():
        yield Reminder(
            owners(action),
            f"{_what(action)}完成期限 {action.due:%Y-%m-%d} 已过，请尽快办理并提交办理情况。",
            reverse("monitoring:action_detail", args=[action.pk]),
            f"monitoringaction:{action.pk}",
        )
