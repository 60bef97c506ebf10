"""Which due date a record follows, and whether it is overdue: the one place that decides.

The rule (docs/decisions/0016-deadlines-and-notices.md):

- the finance bureau's date for a stage and year is the one it set for the record's department,
  else the one it set for all departments;
- a department's own date is the one it set for the record's unit, else the one it set for all its units;
- a record follows the earlier of the two (a department may only bring its units' date forward);
- a record is **overdue** on the day after its due date (the due date itself is still in time, in the
  server's time zone, Asia/Shanghai) while it is not submitted: a draft, or a record returned to its unit.
  A record with no due date is never overdue.

The monitoring app asks the same questions of its own records through :func:`due_date`,
:func:`is_overdue` and :func:`overdue_q` with its own field names.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from jixiao.core.workflow import Role, State
from jixiao.web.access import Person, account_of
from jixiao.web.notices.models import Deadline, Stage

# not yet submitted: never submitted, or returned to the unit for changes
NOT_SUBMITTED = (State.DRAFT.value, State.RETURNED.value)
NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Fields:
    """Where a model keeps what the rule reads: the year, the unit, the department and the state."""

    year: str
    unit: str
    department: str
    state: str = "state"


DECLARATION_FIELDS = Fields("year", "project__unit_id", "project__department_id")
EVALUATION_FIELDS = Fields("year", "declaration__project__unit_id", "declaration__project__department_id")


@dataclass
class YearDates:
    """The dates of one stage and year, by scope."""

    bureau_all: datetime.date | None = None
    bureau_department: dict[int, datetime.date] = field(default_factory=dict)
    department_all: dict[int, datetime.date] = field(default_factory=dict)
    department_unit: dict[int, tuple[int, datetime.date]] = field(default_factory=dict)  # unit → (department, date)

    def due(self, department_id: int | None, unit_id: int | None) -> datetime.date | None:
        """The date a record of ``unit_id`` in ``department_id`` follows, or None."""
        bureau = self.bureau_department.get(department_id, self.bureau_all) if department_id else self.bureau_all
        own = None
        if unit_id is not None and unit_id in self.department_unit:
            own = self.department_unit[unit_id][1]
        elif department_id is not None:
            own = self.department_all.get(department_id)
        dates = [d for d in (bureau, own) if d is not None]
        return min(dates) if dates else None

    def overdue_q(self, today: datetime.date, f: Fields) -> Q:
        """Records of this year (any state) whose date here is before ``today``, as a condition on ``f``."""
        special_units = set(self.department_unit)
        late_units = [u for u, (d, _) in self.department_unit.items() if (self.due(d, u) or today) < today]
        special_departments = set(self.bureau_department) | set(self.department_all)
        late_departments = [d for d in special_departments if (self.due(d, None) or today) < today]
        rest = Q() if self.bureau_all is not None and self.bureau_all < today else NOTHING
        by_department = Q(**{f"{f.department}__in": late_departments}) | (
            ~Q(**{f"{f.department}__in": special_departments}) & rest
        )
        return Q(**{f"{f.unit}__in": late_units}) | (~Q(**{f"{f.unit}__in": special_units}) & by_department)


class DeadlineBook:
    """The deadlines of one stage for some years, read once: answers for any number of records."""

    def __init__(self, stage: Stage | str, years: Iterable[int] | None = None) -> None:
        self.stage = Stage(stage)
        rows = Deadline.objects.filter(stage=self.stage)
        if years is not None:
            rows = rows.filter(year__in=list(years))
        self.years: dict[int, YearDates] = {}
        for row in rows.values("year", "level", "department_id", "unit_id", "due"):
            dates = self.years.setdefault(row["year"], YearDates())
            if row["level"] == Deadline.Level.BUREAU:
                if row["department_id"] is None:
                    dates.bureau_all = row["due"]
                else:
                    dates.bureau_department[row["department_id"]] = row["due"]
            elif row["unit_id"] is not None:
                dates.department_unit[row["unit_id"]] = (row["department_id"], row["due"])
            else:
                dates.department_all[row["department_id"]] = row["due"]

    def due(self, year: int, department_id: int | None, unit_id: int | None) -> datetime.date | None:
        """The due date of a record of ``year`` in ``unit_id`` (of ``department_id``), or None."""
        dates = self.years.get(year)
        return dates.due(department_id, unit_id) if dates else None

    def is_overdue(
        self, year: int, department_id: int | None, unit_id: int | None, state: str, today: datetime.date | None = None
    ) -> bool:
        """True when the record's due date has passed and it is not submitted (draft or returned)."""
        if state not in NOT_SUBMITTED:
            return False
        due = self.due(year, department_id, unit_id)
        return due is not None and due < (today or timezone.localdate())

    def overdue_q(self, f: Fields, today: datetime.date | None = None) -> Q:
        """The overdue records as a queryset condition on the fields ``f`` of their model."""
        today = today or timezone.localdate()
        by_year = NOTHING
        for year, dates in self.years.items():
            by_year |= Q(**{f.year: year}) & dates.overdue_q(today, f)
        return Q(**{f"{f.state}__in": NOT_SUBMITTED}) & by_year


# -- the API other apps call (the monitoring rounds) -------------------------------------------------------------


def due_date(stage: Stage | str, year: int, department_id: int | None, unit_id: int | None) -> datetime.date | None:
    """The due date a record of ``stage`` and ``year`` in the unit follows, or None when none is set."""
    return DeadlineBook(stage, [year]).due(year, department_id, unit_id)


def is_overdue(
    stage: Stage | str,
    year: int,
    department_id: int | None,
    unit_id: int | None,
    state: str,
    today: datetime.date | None = None,
) -> bool:
    """Whether one record is overdue (see the module's rule); for many records use :class:`DeadlineBook`."""
    return DeadlineBook(stage, [year]).is_overdue(year, department_id, unit_id, state, today)


def overdue_q(stage: Stage | str, f: Fields, today: datetime.date | None = None) -> Q:
    """The overdue records of ``stage`` as a condition on a model whose fields are ``f``.

    E.g. ``MonitoringRecord.objects.filter(overdue_q(Stage.MONITORING, Fields("round__year",
    "project__unit_id", "project__department_id")))``.
    """
    return DeadlineBook(stage).overdue_q(f, today)


def deadlines_visible_to(user: Person) -> QuerySet[Deadline]:
    """The dates that bind what ``user`` sees: all of them for the bureau, else its department's (a unit: its own)."""
    account = account_of(user)
    rows = Deadline.objects.select_related("department", "unit", "set_by__account")
    if account is None or account.role_enum is Role.FINANCE_REVIEWER:
        return rows  # the bureau's, and (as the page always has) an account without an organization's role
    org = account.organization
    department_id = org.department_or_self.pk if org is not None and org.department_or_self is not None else None
    unit_q = Q(unit_id=org.pk) if org is not None and account.role_enum is Role.UNIT_STAFF else Q(unit__isnull=False)
    return rows.filter(
        Q(department__isnull=True)
        | Q(department_id=department_id, unit__isnull=True)
        | (Q(department_id=department_id) & unit_q)
    )
