"""What reviewers list of a round: its records filtered, and the alerts its reviews raised, each within scope.

The pages (:mod:`jixiao.web.monitoring.views.alerts`) and the API
(:mod:`jixiao.web.api.monitoring`) read the same querysets, so a person and a
program with the same filters see the same rows. Every queryset starts from
``visible_to`` (the access helpers' scope): a reviewer never sees a unit's
draft nor the findings of one, a department only its own units.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from jixiao.core.review.findings import REGISTRY, Severity
from jixiao.core.workflow import State
from jixiao.web.access import Person
from jixiao.web.monitoring.models import MonitoringFinding, MonitoringRecord, MonitoringRound

SEVERITIES = tuple((s.value, s.label) for s in Severity)
# an alert is what asks a reviewer to look: an error or a warning (an info is a note)
ALERT_SEVERITIES = (Severity.ERROR.value, Severity.WARNING.value)


def late_q(round_: MonitoringRound, today: date) -> Q:
    """Records of ``round_`` that are late: filed after the due date, or still a draft once it has passed."""
    late = Q(submitted_at__date__gt=round_.due)
    return late | Q(state=State.DRAFT.value) if today > round_.due else late


def is_late(rec: MonitoringRecord, today: date) -> bool:
    """The same judgement as :func:`late_q` for one record (its round read with it)."""
    due = rec.round.due
    if rec.submitted_at is not None:
        return rec.submitted_at.date() > due
    return rec.state == State.DRAFT.value and today > due


@dataclass(frozen=True)
class RecordFilters:
    """The filters of a round's records; None (or empty) is no filter."""

    department: int | None = None
    unit: int | None = None
    state: str | None = None
    has_alerts: bool | None = None
    late: bool | None = None


def round_records(
    user: Person, round_: MonitoringRound, filters: RecordFilters, today: date
) -> QuerySet[MonitoringRecord]:
    """The records of ``round_`` that ``user`` may see, filtered, in the round page's order."""
    qs = MonitoringRecord.objects.visible_to(user).filter(round=round_)
    if filters.department is not None:
        qs = qs.filter(department_id=filters.department)
    if filters.unit is not None:
        qs = qs.filter(unit_id=filters.unit)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.has_alerts is not None:
        alerted = Q(errors__gt=0) | Q(warnings__gt=0)
        qs = qs.filter(alerted) if filters.has_alerts else qs.exclude(alerted)
    if filters.late is not None:
        late = late_q(round_, today)
        qs = qs.filter(late) if filters.late else qs.exclude(late)
    return qs.select_related("round", "unit", "department").order_by(
        "department__name", "unit__name", "project_name", "pk"
    )


@dataclass(frozen=True)
class AlertFilters:
    """The filters of the alerts list; None (or empty) is no filter. No severity: errors and warnings."""

    round: int | None = None
    department: int | None = None
    code: str | None = None
    severity: str | None = None


def alerts(user: Person, filters: AlertFilters) -> QuerySet[MonitoringFinding]:
    """The findings of the monitoring records ``user`` may see, filtered: the alerts list, by round and project."""
    records = MonitoringRecord.objects.visible_to(user)
    if filters.round is not None:
        records = records.filter(round_id=filters.round)
    if filters.department is not None:
        records = records.filter(department_id=filters.department)
    qs = MonitoringFinding.objects.filter(record__in=records)
    qs = qs.filter(severity=filters.severity) if filters.severity else qs.filter(severity__in=ALERT_SEVERITIES)
    if filters.code:
        qs = qs.filter(code=filters.code)
    return qs.select_related("record__round", "record__unit", "record__department").order_by(
        "-record__round__as_of",
        "record__department__name",
        "record__unit__name",
        "record__project_name",
        "record_id",
        "indicator_index",
        "pk",
    )


def title_of(code: str) -> str:
    """The check's Chinese title (the code itself for a code the registry no longer knows)."""
    check = REGISTRY.get(code)
    return check.title if check is not None else code


def monitoring_codes(user: Person) -> list[tuple[str, str]]:
    """The kinds of alert to filter by, as (code, title): every monitoring check a review can raise, then
    the other checks (the approved targets' own, such as a vague target) found in the forms ``user`` sees."""
    own = [(c.code, c.title) for c in REGISTRY.values() if c.scope == "monitoring"]
    known = {code for code, _ in own}
    seen = MonitoringFinding.objects.filter(record__in=MonitoringRecord.objects.visible_to(user))
    found = seen.order_by("code").values_list("code", flat=True).distinct()  # of every severity
    return own + [(code, title_of(code)) for code in found if code not in known]


def visible_rounds(user: Person) -> QuerySet[MonitoringRound]:
    """The rounds ``user`` may see, newest first."""
    return MonitoringRound.objects.visible_to(user).order_by("-year", "-as_of", "pk")
