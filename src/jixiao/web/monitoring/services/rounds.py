"""Opening and closing monitoring rounds: a record per approved declaration in scope, its rows the approved targets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history

from jixiao.core.workflow import FROZEN_VALUES, Role
from jixiao.web.access import account_of
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.cycle.models import Declaration
from jixiao.web.monitoring.cache import bump
from jixiao.web.monitoring.models import MonitoringFinding, MonitoringRecord, MonitoringRound, MonitoringRow
from jixiao.web.monitoring.notices import after_opening
from jixiao.web.monitoring.services.common import reviewed
from jixiao.web.orgs.models import Organization

BATCH = 2000  # rows per INSERT: within SQLite's and PostgreSQL's limits on parameters


@dataclass(frozen=True)
class Opened:
    """What opening (or opening again) a round did: the round, and how many records it gained."""

    round: MonitoringRound
    created: int
    reopened: bool


def _check_dates(year: int, as_of: date, due: date) -> None:
    errors = {}
    if as_of.year != year:
        errors["as_of"] = (
            f"监控截止日期 {as_of.isoformat()} 不在 {year} 年度内：请填写该年度内的日期（如 {year}-07-31）。"
        )
    if due < as_of:
        errors["due"] = f"填报截止日期 {due.isoformat()} 早于监控截止日期 {as_of.isoformat()}：请填写其后的日期。"
    if errors:
        raise ValidationError(errors)


def _departments_for(ctx: Context, departments: Sequence[Organization] | None) -> tuple[Organization, bool]:
    """The opener's organization, and whether the round covers every department (the finance bureau's choice)."""
    account = account_of(ctx.user)
    role = account.role_enum if account is not None else None
    if account is None or account.organization is None or role not in (Role.FINANCE_REVIEWER, Role.DEPT_REVIEWER):
        raise PermissionDenied("只有财政部门或主管部门的审核人员可以发起绩效运行监控。")
    if role is Role.DEPT_REVIEWER and any(d.pk != account.organization_id for d in departments or ()):
        raise PermissionDenied("主管部门只能对本部门所属单位发起监控。")
    if any(d.kind != Organization.Kind.DEPARTMENT for d in departments or ()):
        raise ValidationError({"departments": "监控范围只能选择主管部门。"})
    return account.organization, role is Role.FINANCE_REVIEWER and not departments


def open_round(
    ctx: Context, year: int, as_of: date, due: date, departments: Sequence[Organization] | None = None
) -> Opened:
    """Open a monitoring round, or add to the open one of the same year and date that the opener's office holds.

    The finance bureau opens it for the chosen departments, or all of them when none is chosen; a
    department's reviewer opens it for the department's own units. Every declaration of the year
    approved by the finance bureau in scope gets a record, its rows copied from the approved
    indicators; opening it again adds only what is missing (a declaration approved since, a department
    added), so it may be repeated safely. Audited with the scope and the count.
    """
    _check_dates(year, as_of, due)
    office, everything = _departments_for(ctx, departments)
    chosen = list(departments or ()) if not everything else []
    if office.kind == Organization.Kind.DEPARTMENT and not chosen:
        chosen = [office]
    with transaction.atomic():
        round_, reopened = _open_one(ctx, year, as_of, due, office, everything)
        if reopened:
            round_.all_departments = round_.all_departments or everything
            round_.due = due
            round_.save()
        round_.departments.add(*chosen)
        created = _fill(ctx, round_)
        bump(round_.pk)  # the forms added
        after_opening(round_)
        record(
            ctx,
            AuditEvent.Type.CREATE if not reopened else AuditEvent.Type.UPDATE,
            obj=round_,
            organization=office,
            detail={
                "year": year,
                "as_of": as_of.isoformat(),
                "due": due.isoformat(),
                "departments": "全部" if round_.all_departments else sorted(d.name for d in round_.departments.all()),
                "created": created,
                "reopened": reopened,
            },
        )
        return Opened(round_, created, reopened)


def _open_one(
    ctx: Context, year: int, as_of: date, due: date, office: Organization, everything: bool
) -> tuple[MonitoringRound, bool]:
    """The office's open round of that year and date, locked, and True; or a new one and False."""
    same = MonitoringRound.objects.select_for_update().filter(
        year=year, as_of=as_of, opened_in=office, status=MonitoringRound.Status.OPEN
    )
    existing = same.first()
    if existing is not None:
        return existing, True
    try:
        with transaction.atomic():  # a savepoint: when a parallel opening made it first, this one adds to it
            made = MonitoringRound.objects.create(
                year=year, as_of=as_of, due=due, all_departments=everything, opened_in=office, opened_by=ctx.user
            )
    except IntegrityError:
        return same.get(), True
    return made, False


def _fill(ctx: Context, round_: MonitoringRound) -> int:
    """Create the records the round lacks: one per approved declaration of its year in scope. How many.

    In bulk (a province opens twenty thousand at once): the records, then all their rows, each with
    its history; then each record's review, kept in one more bulk write.
    """
    declarations = Declaration.objects.filter(year=round_.year, state__in=FROZEN_VALUES).exclude(
        monitoring_records__round=round_
    )
    if not round_.all_departments:
        declarations = declarations.filter(project__department__in=round_.departments.all())
    chosen = list(
        declarations.select_related("project__unit", "project__department")
        .prefetch_related("indicators")
        .order_by("pk")
    )
    made = [
        MonitoringRecord(
            round=round_,
            declaration=decl,
            unit=decl.project.unit,
            department=decl.project.department,
            year=decl.year,
            project_name=decl.project_name or decl.project.name,
            money_unit=decl.money_unit,
            budget_total=decl.requested_total,  # the approved budget; the unit corrects it if the year's changed
            rule_pack=decl.rule_pack,
        )
        for decl in chosen
    ]
    rows = {
        rec.declaration_id: [
            MonitoringRow(record=rec, indicator=i, position=i.position) for i in rec.declaration.indicators.all()
        ]
        for rec in made
    }
    # reviewed before they are stored: the counts go in with the records, the findings follow them
    found = [f for rec in made for f in reviewed(rec, rows[rec.declaration_id])]
    user = ctx.user if isinstance(ctx.user, User) else None
    records = bulk_create_with_history(made, MonitoringRecord, batch_size=BATCH, default_user=user)
    bulk_create_with_history(
        [r for made_rows in rows.values() for r in made_rows], MonitoringRow, batch_size=BATCH, default_user=user
    )
    MonitoringFinding.objects.bulk_create(found, batch_size=BATCH)
    return len(records)


def close_round(ctx: Context, round_: MonitoringRound) -> MonitoringRound:
    """Close a round (no more records are added to it); only the office that opened it may."""
    account = account_of(ctx.user)
    if account is None or account.organization_id != round_.opened_in_id:
        raise PermissionDenied("只有发起该监控的单位可以结束它。")
    with transaction.atomic():
        locked = MonitoringRound.objects.select_for_update().get(pk=round_.pk)
        if locked.status == MonitoringRound.Status.CLOSED:
            return locked
        locked.status = MonitoringRound.Status.CLOSED
        locked.save()
        bump(locked.pk)
        record(ctx, AuditEvent.Type.UPDATE, obj=locked, organization=locked.opened_in, detail={"status": "closed"})
        return locked
