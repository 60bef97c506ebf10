"""Opening monitoring rounds (issue 16, item 1): who may, over what, and that opening again adds only what lacks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jixiao.core.workflow import State
from jixiao.web.audit.models import AuditEvent
from jixiao.web.monitoring import services
from jixiao.web.monitoring.models import MonitoringRecord, MonitoringRound
from tests.web.conftest import advance, ctx, declare
from tests.web.monitoring.conftest import AS_OF, DUE, open_all

pytestmark = pytest.mark.django_db


def _projects(round_: MonitoringRound) -> set[tuple[str, str]]:
    return {(r.unit.name, r.project_name) for r in MonitoringRecord.objects.filter(round=round_)}


def test_the_finance_bureau_opens_a_round_over_every_approved_declaration(
    tree: Any, people: dict[str, Any], approved: dict[str, Any]
) -> None:
    """Each approved declaration gets a record whose rows are its approved indicators; a draft gets none."""
    opened = services.open_round(ctx(people["finance"]), 2025, AS_OF, DUE)
    assert opened.created == 3 and not opened.reopened and opened.round.all_departments
    assert _projects(opened.round) == {
        (tree.unit_a1.name, "业务培训经费"),
        (tree.unit_a2.name, "业务培训经费"),
        (tree.unit_b1.name, "业务培训经费"),
    }
    rec = MonitoringRecord.objects.get(round=opened.round, declaration=approved["a1"])
    assert (rec.state, rec.version, rec.department_id, rec.year) == (State.DRAFT.value, 1, tree.dept_a.pk, 2025)
    assert rec.budget_total == Decimal("100000.00")  # the approved request, for the unit to correct
    targets = [(r.indicator.name, r.indicator.target) for r in rec.rows.select_related("indicator")]
    assert targets == [(i.name, i.target) for i in approved["a1"].indicators.all()]
    # records and rows made in bulk still have their history, saying who made them
    assert [h.history_user for h in rec.rows.first().history.all()] == [people["finance"]]
    assert [h.history_user for h in rec.history.all()] == [people["finance"]]
    assert rec.warnings == rec.findings.filter(severity="warning").count()  # reviewed as it was made
    event = AuditEvent.objects.get(
        event=AuditEvent.Type.CREATE, object_type="monitoring.monitoringround", object_id=str(opened.round.pk)
    )
    assert event.detail["created"] == 3 and event.detail["departments"] == "全部"


def test_opening_again_adds_only_what_is_missing(tree: Any, people: dict[str, Any], approved: dict[str, Any]) -> None:
    """The same year and date again: the same round, no duplicate, and a declaration approved since is added."""
    first = open_all(people)
    again = services.open_round(ctx(people["finance"]), 2025, AS_OF, DUE)
    assert (again.round.pk, again.created, again.reopened) == (first.pk, 0, True)
    assert MonitoringRecord.objects.filter(round=first).count() == 3
    later = advance(
        declare(people["staff_b1"], tree.unit_b1, name="教材编写"), people, "staff_b1", "dept_b", State.APPROVED
    )
    third = services.open_round(ctx(people["finance"]), 2025, AS_OF, date(2025, 8, 20))
    assert third.created == 1 and third.round.pk == first.pk
    assert MonitoringRecord.objects.filter(round=first, declaration=later).count() == 1
    first.refresh_from_db()
    assert first.due == date(2025, 8, 20)


def test_chosen_departments_only(tree: Any, people: dict[str, Any], approved: dict[str, Any]) -> None:
    """The finance bureau's round over department B holds B's projects only."""
    opened = services.open_round(ctx(people["finance"]), 2025, AS_OF, DUE, [tree.dept_b])
    assert not opened.round.all_departments
    assert _projects(opened.round) == {(tree.unit_b1.name, "业务培训经费")}


def test_a_department_opens_a_round_for_its_own_units(
    tree: Any, people: dict[str, Any], approved: dict[str, Any]
) -> None:
    """A department's round covers its units; it may not choose another department; a unit may open none."""
    opened = services.open_round(ctx(people["dept_a"]), 2025, AS_OF, DUE)
    assert _projects(opened.round) == {(tree.unit_a1.name, "业务培训经费"), (tree.unit_a2.name, "业务培训经费")}
    assert opened.round.opened_in == tree.dept_a
    with pytest.raises(PermissionDenied, match="本部门"):
        services.open_round(ctx(people["dept_a"]), 2025, AS_OF, DUE, [tree.dept_b])
    with pytest.raises(PermissionDenied):
        services.open_round(ctx(people["staff_a1"]), 2025, AS_OF, DUE)
    assert MonitoringRound.objects.count() == 1


def test_dates_are_checked(tree: Any, people: dict[str, Any], approved: dict[str, Any]) -> None:
    """A monitoring date outside the year, or a due date before it, is refused with what to fix; nothing made."""
    with pytest.raises(ValidationError) as refused:
        services.open_round(ctx(people["finance"]), 2025, date(2024, 7, 31), date(2024, 7, 1))
    assert "不在 2025 年度内" in refused.value.message_dict["as_of"][0]
    assert "早于监控截止日期" in refused.value.message_dict["due"][0]
    assert not MonitoringRound.objects.exists() and not MonitoringRecord.objects.exists()


def test_closing_a_round(tree: Any, people: dict[str, Any], approved: dict[str, Any]) -> None:
    """Only the office that opened a round closes it; opening again after that starts a new round."""
    first = open_all(people)
    with pytest.raises(PermissionDenied):
        services.close_round(ctx(people["dept_a"]), first)
    services.close_round(ctx(people["finance"]), first)
    first.refresh_from_db()
    assert first.status == MonitoringRound.Status.CLOSED
    again = services.open_round(ctx(people["finance"]), 2025, AS_OF, DUE)
    assert again.round.pk != first.pk and again.created == 3


def test_two_openings_at_once_make_one_round(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second of two parallel openings, not seeing the first's round yet, adds to it instead of making another."""
    first = open_all(people)
    from django.db.models import QuerySet

    real_first = QuerySet.first
    calls: list[int] = []

    def not_yet_committed(self: QuerySet[Any]) -> Any:
        if self.model is MonitoringRound and not calls:
            calls.append(1)
            return None  # as the parallel transaction sees it before the first one commits
        return real_first(self)

    monkeypatch.setattr(QuerySet, "first", not_yet_committed)
    again = services.open_round(ctx(people["finance"]), 2025, AS_OF, DUE)
    assert calls == [1] and again.reopened and again.round.pk == first.pk and again.created == 0
    assert MonitoringRound.objects.count() == 1
