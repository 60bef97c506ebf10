"""A round's progress by department: filed, not filed, late, approved, alerts (one query, grouped)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum

from jixiao.core.workflow import FROZEN_VALUES, State
from jixiao.web.access import Person, project_scope
from jixiao.web.monitoring.models import MonitoringRecord, MonitoringRound


@dataclass(frozen=True)
class Progress:
    """One department's line of a round's progress table (or the total line)."""

    department: str
    total: int
    filed: int
    unfiled: int
    late: int
    approved: int
    alerts: int

    @property
    def filed_pct(self) -> str:
        """Filed as a share of all, in percent to one place (the table's 填报率)."""
        return f"{self.filed * 100 / self.total:.1f}%" if self.total else "—"


def progress(round_: MonitoringRound, user: Person, today: date) -> list[Progress]:
    """The round's progress per department within what ``user`` answers for, with a 合计 line last.

    A reviewer counts the unit's drafts as not filed without seeing them; late is a form not filed
    after the due date, or filed after it. Alerts are the warnings and errors its review found.
    """
    overdue = today > round_.due
    late = Q(submitted_at__date__gt=round_.due) | (Q(state=State.DRAFT.value) if overdue else Q(pk__in=[]))
    rows = (
        MonitoringRecord.objects.filter(project_scope(user), round=round_)
        .values("department__name")
        .annotate(
            total=Count("pk"),
            unfiled=Count("pk", filter=Q(state=State.DRAFT.value)),
            late=Count("pk", filter=late),
            approved=Count("pk", filter=Q(state__in=FROZEN_VALUES)),
            alerts=Sum("warnings") + Sum("errors"),
        )
        .order_by("department__name")
    )
    lines = [
        Progress(
            r["department__name"],
            r["total"],
            r["total"] - r["unfiled"],
            r["unfiled"],
            r["late"],
            r["approved"],
            r["alerts"] or 0,
        )
        for r in rows
    ]
    if lines:
        lines.append(
            Progress(
                "合计",
                *(
                    sum(getattr(line, k) for line in lines)
                    for k in ("total", "filed", "unfiled", "late", "approved", "alerts")
                ),
            )
        )
    return lines
