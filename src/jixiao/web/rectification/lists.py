"""What pages show of 整改事项 beyond their own: a person's to-do on the home page, a project's panel, and the
per-department counts of the summary (open, overdue, closed)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from jixiao.core.workflow import Role
from jixiao.web.access import Person, account_of
from jixiao.web.rectification.models import Rectification

SHOWN = 20
State = Rectification.State


def _waiting(user: Person) -> Q | None:
    """The items waiting for ``user``: to answer as the unit, or to accept as the side that opened them."""
    account = account_of(user)
    if account is None:
        return None
    role = account.role_enum
    if role is Role.UNIT_STAFF:
        return Q(state__in=Rectification.PENDING, unit=account.organization_id)
    if role is Role.DEPT_REVIEWER:
        return Q(state=State.SUBMITTED, raised_in=account.organization_id)
    if role is Role.FINANCE_REVIEWER:
        return Q(state=State.SUBMITTED)
    return None


def todo(user: Person) -> dict[str, Any]:
    """The items waiting for ``user``, the earliest due first, with how many there are and how many are overdue."""
    waiting = _waiting(user)
    if waiting is None:
        return {}
    today = timezone.localdate()
    items = Rectification.objects.visible_to(user).filter(waiting).select_related("project", "unit")
    items = items.order_by("due", "pk")
    return {
        "rectification_todo": items[:SHOWN],
        "rectification_todo_count": items.count(),
        "rectification_overdue": items.overdue(today).count(),
        "today": today,
    }


def project_items(user: Person, project_id: int) -> dict[str, Any]:
    """A project's items ``user`` may see, open ones first then closed, with their counts (the records' panel)."""
    today = timezone.localdate()
    items = list(Rectification.objects.visible_to(user).filter(project_id=project_id).order_by("-year", "due", "pk"))
    still = [i for i in items if i.state in Rectification.OPEN_STATES]
    done = [i for i in items if i.state not in Rectification.OPEN_STATES]
    return {
        "open_items": still,
        "closed_items": done,
        "overdue_count": sum(1 for i in still if i.overdue_on(today)),
        "today": today,
    }


def department_counts(user: Person, year: int | None = None) -> list[dict[str, Any]]:
    """Per department (as ``user`` may see): items open, of them overdue, and closed (accepted), by name."""
    today = timezone.localdate()
    items = Rectification.objects.visible_to(user)
    if year is not None:
        items = items.filter(year=year)
    rows = (
        items.values("department__name")
        .annotate(
            open=Count("pk", filter=Q(state__in=Rectification.OPEN_STATES)),
            overdue=Count("pk", filter=Q(state__in=Rectification.PENDING, due__lt=today)),
            closed=Count("pk", filter=Q(state=State.ACCEPTED)),
        )
        .order_by("department__name")
    )
    return [
        {"department": r["department__name"], "open": r["open"], "overdue": r["overdue"], "closed": r["closed"]}
        for r in rows
    ]
