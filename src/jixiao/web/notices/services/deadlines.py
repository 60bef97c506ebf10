"""Setting a stage's due date: the finance bureau for all departments or one, a department for its units."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jixiao.core.workflow import Role
from jixiao.web.access import account_of
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.notices.deadlines import DeadlineBook
from jixiao.web.notices.models import Deadline, Stage
from jixiao.web.orgs.models import Organization

YEARS = (2000, 2100)  # the window of the forms' years (as orgs.services)


def _scope(
    ctx: Context, department: Organization | None, unit: Organization | None
) -> tuple[str, Organization | None, Organization | None]:
    """Who sets the date and for whom: (level, department, unit), or the refusal saying what is allowed."""
    account = account_of(ctx.user)
    role = account.role_enum if account is not None else None
    if role is Role.FINANCE_REVIEWER:
        if unit is not None:
            raise ValidationError("财政部门按主管部门设定截止日期；单位的截止日期由其主管部门在此之前设定。")
        if department is not None and department.kind != Organization.Kind.DEPARTMENT:
            raise ValidationError(f"「{department.name}」不是主管部门，请选择主管部门或“全部主管部门”。")
        return Deadline.Level.BUREAU, department, None
    if role is Role.DEPT_REVIEWER and account is not None:
        own = account.organization
        if department is not None and department != own:
            raise PermissionDenied("主管部门只能为本部门所属单位设定截止日期。")
        if unit is not None and (own is None or unit.kind != Organization.Kind.UNIT or unit.department_id != own.pk):
            raise PermissionDenied(f"「{unit.name}」不是本部门所属单位，不能为其设定截止日期。")
        return Deadline.Level.DEPARTMENT, own, unit
    raise PermissionDenied("截止日期由财政部门设定，主管部门可为所属单位设定更早的日期。")


def set_deadline(
    ctx: Context,
    year: int,
    stage: Stage | str,
    due: datetime.date,
    *,
    department: Organization | None = None,
    unit: Organization | None = None,
    note: str = "",
) -> Deadline:
    """Set (or move) the due date of ``stage`` of ``year`` for a scope; audited with the date it replaces.

    The finance bureau sets it for all departments (``department`` None) or one; a department reviewer for
    all its units (``unit`` None) or one of them, and never later than the bureau's date for them.
    """
    level, department, unit = _scope(ctx, department, unit)
    stage = Stage(stage)
    if not YEARS[0] <= year <= YEARS[1]:
        raise ValidationError(f"年度应在 {YEARS[0]} 到 {YEARS[1]} 之间（四位数字，如 2026）。")
    if not datetime.date(year - 1, 1, 1) <= due <= datetime.date(year + 1, 12, 31):
        raise ValidationError(f"截止日期 {due:%Y-%m-%d} 不在 {year} 年度前后一年之内，请检查年份。")
    with transaction.atomic():
        if level == Deadline.Level.DEPARTMENT:
            bureau = _bureau_date(stage, year, department)
            if bureau is not None and due > bureau:
                raise ValidationError(
                    f"财政部门规定{department.name if department else ''}{year}年度{stage.label}截止日期为 "
                    f"{bureau:%Y-%m-%d}；主管部门只能设定同日或更早的日期。"
                )
        row = (
            Deadline.objects.select_for_update()
            .filter(year=year, stage=stage, level=level, department=department, unit=unit)
            .order_by()  # the model's ordering joins the organizations: PostgreSQL locks no outer join
            .first()
        )
        before = f"{row.due:%Y-%m-%d}" if row is not None else None
        if row is None:
            row = Deadline(year=year, stage=stage, level=level, department=department, unit=unit)
        row.due, row.note, row.set_by = due, note.strip()[:500], ctx.user
        row.save()
        record(
            ctx,
            AuditEvent.Type.SETTINGS_CHANGE,
            obj=row,
            organization=unit or department,
            detail={
                "setting": "deadline",
                "year": year,
                "stage": stage.label,
                "scope": row.scope_name,
                "due": f"{due:%Y-%m-%d}",
                "previous_due": before,  # None: the first date of this scope
                "note": row.note,
            },
        )
        return row


def remove_deadline(ctx: Context, deadline: Deadline) -> None:
    """Remove a due date its setter's level may change (the records then follow the next wider one); audited."""
    account = account_of(ctx.user)
    role = account.role_enum if account is not None else None
    mine = (role is Role.FINANCE_REVIEWER and deadline.level == Deadline.Level.BUREAU) or (
        role is Role.DEPT_REVIEWER
        and account is not None
        and deadline.level == Deadline.Level.DEPARTMENT
        and deadline.department_id == account.organization_id
    )
    if not mine:
        raise PermissionDenied("只能删除本级（财政部门或本主管部门）设定的截止日期。")
    with transaction.atomic():
        record(
            ctx,
            AuditEvent.Type.SETTINGS_CHANGE,
            obj=deadline,
            organization=deadline.unit or deadline.department,
            detail={
                "setting": "deadline",
                "year": deadline.year,
                "stage": deadline.get_stage_display(),
                "scope": deadline.scope_name,
                "removed": True,
                "previous_due": f"{deadline.due:%Y-%m-%d}",
            },
        )
        deadline.delete()


def _bureau_date(stage: Stage, year: int, department: Organization | None) -> datetime.date | None:
    """The finance bureau's date for ``department``'s records (its own for the department, else for all)."""
    dates = DeadlineBook(stage, [year]).years.get(year)
    if dates is None:
        return None
    if department is not None and department.pk in dates.bureau_department:
        return dates.bureau_department[department.pk]
    return dates.bureau_all
