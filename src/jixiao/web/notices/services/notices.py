"""Notices: written for the people a change concerns, sent by e-mail too, marked read by their reader.

The workflow calls :func:`after_review_step` once a review step is committed (``services.act`` registers it
with ``transaction.on_commit``); a notice or an e-mail that fails is logged and never undoes the step. The
``remind`` command calls :func:`send_reminders`. Other apps (the monitoring rounds) call :func:`notify`,
:func:`unit_staff`, and may add their own overdue records with :func:`register_reminders`.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from jixiao.core.workflow import Action, Role
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.notices.models import Notice

log = logging.getLogger(__name__)
SUBJECT = "【预算绩效管理】"


# -- who hears of it -----------------------------------------------------------------------------------


def _active(role: Role) -> QuerySet[User]:
    return User.objects.filter(is_active=True, account__role=role.value)


def unit_staff(unit_id: int) -> QuerySet[User]:
    """The unit's staff (单位填报人员): who fills its records."""
    return _active(Role.UNIT_STAFF).filter(account__organization_id=unit_id)


def department_reviewers(department_id: int) -> QuerySet[User]:
    """The department's reviewers (主管部门审核人员)."""
    return _active(Role.DEPT_REVIEWER).filter(account__organization_id=department_id)


def finance_reviewers() -> QuerySet[User]:
    """The finance bureau's reviewers (财政审核人员)."""
    return _active(Role.FINANCE_REVIEWER)


# -- writing and sending ----------------------------------------------------------------------------------


def notify(
    recipients: Iterable[User], kind: Notice.Kind | str, text: str, link: str = "", key: str = ""
) -> list[Notice]:
    """A notice to each of ``recipients`` and an e-mail to those with an address; the notices made.

    With ``key`` (a reminder's identity, e.g. the record and the day) a person who already has a notice of
    that key gets none: run twice, a reminder is given once. The e-mail goes after the notices are stored;
    a failed e-mail is logged and the notice stays (``emailed`` false).
    """
    people = {u.pk: u for u in recipients}
    if key:
        already = set(
            Notice.objects.filter(key=key, recipient_id__in=list(people)).values_list("recipient_id", flat=True)
        )
        people = {pk: u for pk, u in people.items() if pk not in already}
    if not people:
        return []
    made = Notice.objects.bulk_create(
        [Notice(recipient=u, kind=kind, text=text, link=link[:300], key=key) for u in people.values()],
        ignore_conflicts=bool(key),  # a second run at the same moment: the constraint keeps one
    )
    if key:  # ignore_conflicts leaves the primary keys unset: read back what is now stored and not yet mailed
        made = list(Notice.objects.filter(key=key, recipient_id__in=list(people), emailed=False))
    _mail(made, people)
    return made


def _absolute(link: str) -> str:
    """The link as an address a mail reader can open (JIXIAO_SITE_URL in front of the page's path)."""
    base = getattr(settings, "JIXIAO_SITE_URL", "")
    return f"{base.rstrip('/')}{link}" if base and link.startswith("/") else link


def _mail(made: Sequence[Notice], people: dict[int, User]) -> None:
    """Send the notices' e-mail (one message each, to those with an address); never raises."""
    claimed = []
    for notice in made:
        address = people[notice.recipient_id].email if notice.recipient_id in people else ""
        # claimed one by one: of two runs at once, only one sends each message
        if address and Notice.objects.filter(pk=notice.pk, emailed=False).update(emailed=True):
            claimed.append((notice, address))
    if not claimed:
        return
    messages = [
        EmailMessage(
            subject=SUBJECT + notice.text[:60],
            body=f"{notice.text}\n\n{_absolute(notice.link)}\n\n（本邮件由预算绩效管理系统自动发送，请勿回复。）",
            to=[address],
        )
        for notice, address in claimed
    ]
    try:
        get_connection(fail_silently=False).send_messages(messages)
    except Exception:
        log.exception("通知邮件发送失败（%d 封）：请检查 JIXIAO_EMAIL_* 设置与邮件服务器。", len(messages))
        Notice.objects.filter(pk__in=[n.pk for n, _ in claimed]).update(emailed=False)


# -- the workflow's hook -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Facts:
    """What a notice of a record says and where it points."""

    name: str
    year: int
    what: str  # 绩效目标申报表 / 绩效自评表
    link: str
    unit_id: int
    unit: str
    department_id: int
    department: str


def _facts(rec: models.Model) -> _Facts:
    from jixiao.web.cycle.models import Declaration
    from jixiao.web.monitoring.models import MonitoringRecord

    if isinstance(rec, MonitoringRecord):
        # a monitoring form knows its unit and department itself; its page is the monitoring app's
        return _Facts(
            name=rec.project_name,
            year=rec.year,
            what=str(MonitoringRecord._meta.verbose_name),
            link=reverse("monitoring:record_detail", args=[rec.pk]),
            unit_id=rec.unit_id,
            unit=rec.unit.name,
            department_id=rec.department_id,
            department=rec.department.name,
        )
    decl = rec if isinstance(rec, Declaration) else rec.declaration  # type: ignore[attr-defined]
    project = decl.project
    detail = "cycle:declaration_detail" if isinstance(rec, Declaration) else "cycle:evaluation_detail"
    return _Facts(
        name=project.name,
        year=decl.year,
        what=str(type(rec)._meta.verbose_name),
        link=reverse(detail, args=[rec.pk]),
        unit_id=project.unit_id,
        unit=project.unit.name,
        department_id=project.department_id,
        department=project.department.name,
    )


def after_review_step(rec: models.Model, action: Action, comment: str = "", *, role: Role | None = None) -> None:
    """Tell the people a committed review step concerns; called by ``services.act`` after the commit.

    Submitted: the department's reviewers. Returned: the unit's staff, with the comment (and the department,
    when the finance bureau returned what it approved). Approved by the department: the finance bureau (to
    review) and the unit. Approved by the finance bureau: the unit and its department. Never raises: the
    step is done whatever happens to its notices.
    """
    try:
        _after_review_step(rec, action, comment, role)
    except Exception:
        log.exception("审核操作已完成，但通知未能发出（%s #%s，%s）。", type(rec).__name__, rec.pk, action.value)


def _after_review_step(rec: models.Model, action: Action, comment: str, role: Role | None) -> None:
    f = _facts(rec)
    title = f"「{f.name}」{f.year}年度{f.what}"
    if action is Action.SUBMIT:
        notify(department_reviewers(f.department_id), Notice.Kind.SUBMITTED, f"{f.unit}提交了{title}，请审核。", f.link)
    elif action is Action.RETURN:
        said = comment.strip().rstrip("。.；;") or "（未填写）"  # the sentence adds its own full stop
        text = f"{title}被退回，退回意见：{said}。请修改后重新提交。"
        notify(unit_staff(f.unit_id), Notice.Kind.RETURNED, text, f.link)
        if role is Role.FINANCE_REVIEWER:  # the department approved it: it hears of the bureau's return too
            text = f"财政部门退回了{title}，退回意见：{said}。"
            notify(department_reviewers(f.department_id), Notice.Kind.RETURNED, text, f.link)
    elif action is Action.DEPT_APPROVE:
        notify(finance_reviewers(), Notice.Kind.SUBMITTED, f"{f.department}审核通过了{title}，请财政审核。", f.link)
        notify(unit_staff(f.unit_id), Notice.Kind.APPROVED, f"{title}已通过主管部门审核，待财政批复。", f.link)
    elif action is Action.FINANCE_APPROVE:
        text = f"{title}已财政批复。"
        notify(unit_staff(f.unit_id), Notice.Kind.APPROVED, text, f.link)
        notify(department_reviewers(f.department_id), Notice.Kind.APPROVED, text, f.link)


def records_assigned(records: Sequence[models.Model]) -> None:
    """Tell each record's unit staff of a record loaded for them to fill in (called after the load's commit).

    Never raises, as :func:`after_review_step`.
    """
    for rec in records:
        try:
            f = _facts(rec)
            text = f"「{f.name}」{f.year}年度{f.what}已导入为您单位的草稿，请核对、补充后提交。"
            notify(unit_staff(f.unit_id), Notice.Kind.ASSIGNED, text, f.link)
        except Exception:
            log.exception("导入已完成，但通知未能发出（%s #%s）。", type(rec).__name__, rec.pk)


# -- reminders of overdue records ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    """One overdue record's reminder: to whom, what, where, and its identity (without the day)."""

    recipients: Iterable[User]
    text: str
    link: str
    key: str  # e.g. "declaration:12"; the day is added, so it is given at most once a day


ReminderSource = Callable[[datetime.date], Iterable[Reminder]]
_SOURCES: list[ReminderSource] = []


def register_reminders(source: ReminderSource) -> None:
    """Add a source of overdue records (the monitoring rounds add theirs) to what ``remind`` sends."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def cycle_reminders(today: datetime.date) -> Iterable[Reminder]:
    """The overdue declarations and self-evaluations, each to its unit's staff."""
    from jixiao.web.cycle.models import Declaration, SelfEvaluation
    from jixiao.web.notices.deadlines import DECLARATION_FIELDS, EVALUATION_FIELDS, DeadlineBook
    from jixiao.web.notices.models import Stage

    staff: dict[int, list[User]] = {}  # each unit's staff, read once for all its records
    for user in _active(Role.UNIT_STAFF).select_related("account"):
        staff.setdefault(user.account.organization_id or 0, []).append(user)
    for model, stage, fields in (
        (Declaration, Stage.DECLARATION, DECLARATION_FIELDS),
        (SelfEvaluation, Stage.SELF_EVALUATION, EVALUATION_FIELDS),
    ):
        book = DeadlineBook(stage)
        late = model.objects.filter(book.overdue_q(fields, today)).values(
            "pk", "year", "state", "project_name", unit=models.F(fields.unit), department=models.F(fields.department)
        )
        for row in late.order_by("pk").iterator():
            due = book.due(row["year"], row["department"], row["unit"])
            what = str(model._meta.verbose_name)
            state = "已退回待修改" if row["state"] == "returned" else "尚未提交"
            detail = "cycle:declaration_detail" if model is Declaration else "cycle:evaluation_detail"
            yield Reminder(
                staff.get(row["unit"], []),
                f"「{row['project_name']}」{row['year']}年度{what}{state}，"
                f"{stage.label}截止日期 {due:%Y-%m-%d} 已过，请尽快提交。",
                reverse(detail, args=[row["pk"]]),
                f"{model.__name__.lower()}:{row['pk']}",
            )


def send_reminders(ctx: Context, today: datetime.date | None = None) -> int:
    """Remind the staff of every overdue record, at most once a day each; the number of notices given.

    One audit event records the run (how many records, how many notices).
    """
    today = today or timezone.localdate()
    prefix = f"overdue:{today:%Y-%m-%d}:"
    reminders = [r for source in (cycle_reminders, *_SOURCES) for r in source(today)]
    keys = [prefix + r.key for r in reminders]
    # the day's reminders already given, read once (by key, through its index): a second run writes nothing
    given_before = set()
    for chunk in range(0, len(keys), 500):
        given_before |= set(Notice.objects.filter(key__in=keys[chunk : chunk + 500]).values_list("recipient_id", "key"))
    new: list[Notice] = []
    people: dict[int, User] = {}
    for reminder, key in zip(reminders, keys, strict=True):
        for user in reminder.recipients:
            if (user.pk, key) not in given_before:
                given_before.add((user.pk, key))
                people[user.pk] = user
                new.append(
                    Notice(recipient=user, kind=Notice.Kind.OVERDUE, text=reminder.text, link=reminder.link, key=key)
                )
    # two runs at once: the constraint keeps one of each, and each message is claimed before it is sent
    Notice.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    # the new notices as stored (bulk_create with ignore_conflicts gives no ids), for those with an address
    mailed = sorted({n.key for n in new if n.recipient.email})
    made: list[Notice] = []
    for chunk in range(0, len(mailed), 500):
        made += Notice.objects.filter(key__in=mailed[chunk : chunk + 500], emailed=False)
    _mail([n for n in made if n.recipient_id in people and people[n.recipient_id].email], people)
    records = len(reminders)
    given = len(new)
    with transaction.atomic():
        record(
            ctx,
            AuditEvent.Type.CREATE,
            detail={"what": "overdue_reminders", "day": f"{today:%Y-%m-%d}", "records": records, "notices": given},
        )
    return given


# -- reading -------------------------------------------------------------------------------------------------------


def mark_read(ctx: Context, notice_ids: Iterable[int] | None = None) -> int:
    """Mark the person's own notices read (all unread ones when ``notice_ids`` is None); how many changed."""
    person = ctx.person()
    unread = Notice.objects.filter(recipient=person, read_at__isnull=True)
    if notice_ids is not None:
        unread = unread.filter(pk__in=list(notice_ids))
    with transaction.atomic():
        changed = unread.update(read_at=timezone.now())
        if changed:
            record(ctx, AuditEvent.Type.UPDATE, detail={"what": "notices_read", "notices": changed})
    return changed
