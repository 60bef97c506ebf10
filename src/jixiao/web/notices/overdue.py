"""Overdue records as each role's pages show them: the home page's panel and the lists' marker and filter."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, F
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from jixiao.core.workflow import Role
from jixiao.web.access import Person, project_scope, role_of
from jixiao.web.notices.deadlines import DECLARATION_FIELDS, EVALUATION_FIELDS, DeadlineBook, Fields
from jixiao.web.notices.models import Stage

LATE = '<span class="late" title="{stage}截止日期 {due}">逾期</span>'


def _kinds() -> list[tuple[str, Any, Stage, Fields, str]]:
    from jixiao.web.cycle.models import Declaration, SelfEvaluation

    return [
        ("绩效目标申报表", Declaration, Stage.DECLARATION, DECLARATION_FIELDS, "cycle:declaration_detail"),
        ("绩效自评表", SelfEvaluation, Stage.SELF_EVALUATION, EVALUATION_FIELDS, "cycle:evaluation_detail"),
    ]


def home_overdue(user: Person, today: datetime.date | None = None) -> dict[str, Any]:
    """The home page's overdue panel: a unit's own overdue records; reviewers' counts per department or unit.

    Reviewers do not open a unit's drafts, but a draft past its date is exactly what they must chase:
    the counts include drafts (numbers only, within the reviewer's departments: ``project_scope``).
    """
    today = today or timezone.localdate()
    role = role_of(user)
    panel: dict[str, Any] = {"records": [], "counts": [], "by": "", "any": False}
    for label, model, stage, fields, detail in _kinds():
        book = DeadlineBook(stage)
        late = model.objects.filter(book.overdue_q(fields, today))
        if role is Role.UNIT_STAFF:
            prefix = fields.unit.removesuffix("unit_id")
            rows = late.filter(project_scope(user, prefix)).values(
                "pk", "year", "project_name", "state", unit=F(fields.unit), department=F(fields.department)
            )
            for row in rows.order_by("year", "project_name")[:20]:
                due = book.due(row["year"], row["department"], row["unit"])
                panel["records"].append(row | {"what": label, "detail": detail, "due": due, "stage": stage.label})
        elif role in (Role.DEPT_REVIEWER, Role.FINANCE_REVIEWER):
            prefix = fields.unit.removesuffix("unit_id")
            by = fields.unit if role is Role.DEPT_REVIEWER else fields.department
            panel["by"] = "实施单位" if role is Role.DEPT_REVIEWER else "主管部门"
            counted = (
                late.filter(project_scope(user, prefix))
                .values(name=F(by.removesuffix("_id") + "__name"))
                .annotate(n=Count("pk"))
                .order_by("name")
            )
            panel["counts"].extend({"what": label, "name": c["name"], "n": c["n"]} for c in counted)
    panel["any"] = bool(panel["records"] or panel["counts"])
    return panel


def mark_rows(rows: Sequence[dict[str, Any]], stage: Stage, today: datetime.date | None = None) -> None:
    """Add to each list row (with ``the_year``, ``unit_id``, ``department_id``, ``state``) its ``late`` marker."""
    today = today or timezone.localdate()
    book = DeadlineBook(stage, {r["the_year"] for r in rows})
    for r in rows:
        if book.is_overdue(r["the_year"], r["department_id"], r["unit_id"], r["state"], today):
            due = book.due(r["the_year"], r["department_id"], r["unit_id"])
            r["late"] = format_html(LATE, stage=stage.label, due=f"{due:%Y-%m-%d}")
        else:
            r["late"] = mark_safe("")


def overdue_filter(queryset: Any, stage: Stage) -> Any:
    """Only the overdue records of a list's queryset (the 逾期 filter)."""
    fields = DECLARATION_FIELDS if stage is Stage.DECLARATION else EVALUATION_FIELDS
    return queryset.filter(DeadlineBook(stage).overdue_q(fields))


def pick_cell(row: dict[str, Any], pickable: str | None) -> SafeString:
    """A list row's checkbox for batch approval (its id and the version shown), when its state allows it."""
    if pickable is None:
        return mark_safe("")
    if row["state"] != pickable:
        return mark_safe("<td></td>")
    return format_html(
        '<td><input type="checkbox" name="pick" value="{}:{}" aria-label="选择 {}"></td>',
        row["pk"],
        row["the_version"],
        row["name"],
    )
