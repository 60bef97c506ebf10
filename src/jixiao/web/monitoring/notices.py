"""Who hears of monitoring: each unit of a round opened for it, the people of each review step, late units daily.

The notices app sends them (in-app notice and e-mail); this module only says who, what and where. Every
function here runs after the write it reports has committed and never undoes it.
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count
from django.urls import reverse

from jixiao.core.review import CHECKS
from jixiao.core.review.findings import title_of
from jixiao.core.workflow import Action, Role, State
from jixiao.web.monitoring.models import MonitoringRecord, MonitoringRound
from jixiao.web.notices.models import Notice
from jixiao.web.notices.services.notices import (
    Reminder,
    after_review_step,
    department_reviewers,
    notify,
    unit_staff,
)

log = logging.getLogger(__name__)
NOT_FILED = (State.DRAFT.value, State.RETURNED.value)  # what a late unit still owes
# the monitoring rules' warnings: the alerts a reviewer is told of (errors stop a submission anyway)
ALERT_CODES = frozenset(c.code for c in CHECKS if c.scope == "monitoring" and c.severity.value == "warning")


def after_step(rec: MonitoringRecord, action: Action, comment: str, role: Role) -> None:
    """Tell the step's people once the step is committed (as the other records' steps do).

    A form submitted with alerts also tells its department's reviewers how many and which, so the
    forms that need acting on stand out among the ones to review.
    """
    transaction.on_commit(functools.partial(after_review_step, rec, action, comment, role=role), robust=True)
    if action is Action.SUBMIT:
        transaction.on_commit(functools.partial(_alerts_raised, rec.pk), robust=True)


def _alerts_raised(record_id: int) -> None:
    try:
        rec = MonitoringRecord.objects.select_related("department").get(pk=record_id)
        alerts = rec.findings.filter(code__in=ALERT_CODES).order_by("pk")
        if not alerts:
            return
        titles = "、".join(dict.fromkeys(title_of(f.code) for f in alerts))
        text = f"「{rec.project_name}」{rec.year}年度绩效目标执行监控表提交时有 {len(alerts)} 条预警：{titles}。"
        link = reverse("monitoring:record_detail", args=[rec.pk]) + "#findings"
        notify(department_reviewers(rec.department_id), Notice.Kind.ALERT, text, link)
    except Exception:
        log.exception("监控表已提交，但预警通知未能发出（监控表 #%s）。", record_id)


def after_opening(round_: MonitoringRound) -> None:
    """Once the round is committed, each unit with forms in it hears of them: once per unit and round."""
    transaction.on_commit(functools.partial(_round_opened, round_.pk), robust=True)


def _round_opened(round_id: int) -> None:
    try:
        round_ = MonitoringRound.objects.get(pk=round_id)
        link = reverse("cycle:home")
        due = f"{round_.due:%Y-%m-%d}"
        per_unit = MonitoringRecord.objects.filter(round=round_).values("unit").annotate(n=Count("pk")).order_by("unit")
        for row in per_unit:
            text = f"{round_}已发起：您单位有 {row['n']} 张绩效目标执行监控表待填报，填报截止日期 {due}。"
            # the key makes opening the round again (to add departments) tell no unit twice
            notify(unit_staff(row["unit"]), Notice.Kind.ASSIGNED, text, link, key=f"round:{round_.pk}:{row['unit']}")
    except Exception:
        log.exception("监控批次已发起，但通知未能发出（批次 #%s）。", round_id)


def monitoring_reminders(today: datetime.date) -> Iterable[Reminder]:
    """The monitoring forms of open rounds still unfiled after their round's due date, each to its unit's staff."""
    late = (
        MonitoringRecord.objects.filter(
            round__status=MonitoringRound.Status.OPEN, round__due__lt=today, state__in=NOT_FILED
        )
        .select_related("round")
        .order_by("pk")
    )
    staff: dict[int, list[User]] = {}
    for rec in late.iterator():
        if rec.unit_id not in staff:
            staff[rec.unit_id] = list(unit_staff(rec.unit_id))
        state = "已退回待修改" if rec.state == State.RETURNED.value else "尚未提交"
        yield Reminder(
            staff[rec.unit_id],
            f"「{rec.project_name}」{rec.year}年度绩效目标执行监控表{state}，"
            f"填报截止日期 {rec.round.due:%Y-%m-%d} 已过，请尽快提交。",
            reverse("monitoring:record_detail", args=[rec.pk]),
            f"monitoringrecord:{rec.pk}",
        )
