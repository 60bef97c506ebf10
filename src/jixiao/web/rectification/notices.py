"""Who hears of an item's steps (the notices app's notices and e-mail), and the daily reminder of overdue ones.

Opened: the unit's staff (新任务). Answered: the reviewers of the organization that opened it (待审核).
Accepted, reopened (with the reason) or cancelled: the unit's staff. Overdue: the unit's staff, once a
day, through the ``remind`` command (:func:`reminders`, registered by the app). A notice that fails is
logged and never undoes the step.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.urls import reverse

from jixiao.web.notices.models import Notice
from jixiao.web.notices.services.notices import Reminder, department_reviewers, finance_reviewers, notify, unit_staff
from jixiao.web.orgs.models import Organization

if TYPE_CHECKING:
    from jixiao.web.rectification.models import Rectification

log = logging.getLogger(__name__)


def openers(item: Rectification) -> QuerySet[User]:
    """Who accepts it: the reviewers of the department or of the finance bureau that opened it."""
    if item.raised_in.kind == Organization.Kind.DEPARTMENT:
        return department_reviewers(item.raised_in_id)
    return finance_reviewers()


def _what(item: Rectification) -> str:
    return f"「{item.project.name}」{item.year}年度整改事项"


def after_step(item: Rectification, step: str, comment: str = "") -> None:
    """Tell the people a committed step concerns (called on commit by the services); never raises."""
    try:
        link = reverse("rectification:detail", args=[item.pk])
        unit = unit_staff(item.unit_id)
        if step == "open":
            notify(unit, Notice.Kind.ASSIGNED, f"{_what(item)}：{item.task}（整改期限 {item.due:%Y-%m-%d}）", link)
        elif step == "submit":
            notify(openers(item), Notice.Kind.SUBMITTED, f"{_what(item)}已提交整改情况，请验收。", link)
        elif step == "accept":
            notify(unit, Notice.Kind.APPROVED, f"{_what(item)}已验收通过。", link)
        elif step == "reopen":
            notify(unit, Notice.Kind.RETURNED, f"{_what(item)}被退回重改：{comment}", link)
        elif step == "cancel":
            notify(unit, Notice.Kind.RETURNED, f"{_what(item)}已撤销：{comment}", link)
    except Exception:
        log.exception("整改事项的操作已完成，但通知未能发出（#%s，%s）。", item.pk, step)


def reminders(today: datetime.date) -> Iterable[Reminder]:
    """The overdue items, each to its unit's staff (given at most once a day by ``remind``)."""
    from jixiao.web.rectification.models import Rectification

    late = Rectification.objects.overdue(today).select_related("project").order_by("pk")
    for item in late.iterator():
        yield Reminder(
            unit_staff(item.unit_id),
            f"{_what(item)}整改期限 {item.due:%Y-%m-%d} 已过，请尽快整改并提交整改情况。",
            reverse("rectification:detail", args=[item.pk]),
            f"rectification:{item.pk}",
        )
