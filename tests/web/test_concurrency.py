"""Concurrent writers: no lost update, exactly one transition. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections

from jixiao.core.workflow import Action, State
from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle import services
from jixiao.web.cycle.models import Declaration, StateChange
from tests.web.conftest import DECLARATION_DATA, INDICATORS, ctx, declare

pytestmark = pytest.mark.django_db(transaction=True)


def _race(n: int, work: Callable[[int], object]) -> list[object]:
    """Run ``work`` in ``n`` threads released together; each result or exception, in thread order."""
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # the outcome under test, kept for the assertions
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_stale_saves_one_wins_one_conflicts(tree: Any, people: dict[str, Any]) -> None:
    """Two saves that both started from version 1: one is kept, the other is refused as a conflict."""
    decl = declare(people["staff_a1"], tree.unit_a1)

    def save(i: int) -> object:
        data = DECLARATION_DATA | {"goal": f"第{i}人的目标"}
        return services.update_declaration(
            ctx(people["staff_a1"]), Declaration.objects.get(pk=decl.pk), 1, data, INDICATORS
        )

    results = _race(2, save)
    assert sum(isinstance(r, Declaration) for r in results) == 1, results
    assert sum(isinstance(r, services.ConflictError) for r in results) == 1, results
    decl.refresh_from_db()
    assert decl.version == 2
    assert decl.goal in ("第0人的目标", "第1人的目标")
    assert AuditEvent.objects.filter(event="conflict").count() == 1


def test_ten_parallel_submissions_make_one_transition(tree: Any, people: dict[str, Any]) -> None:
    """Ten submissions of one draft at once: one transition, one state change, one audit event."""
    decl = declare(people["staff_a1"], tree.unit_a1)

    def submit(i: int) -> object:
        return services.act(ctx(people["staff_a1"]), Declaration.objects.get(pk=decl.pk), Action.SUBMIT)

    results = _race(10, submit)
    assert sum(isinstance(r, Declaration) for r in results) == 1, results
    assert sum(isinstance(r, PermissionDenied) for r in results) == 9, results
    decl.refresh_from_db()
    assert decl.state == State.SUBMITTED.value and decl.version == 2
    assert StateChange.objects.filter(declaration=decl).count() == 1
    assert AuditEvent.objects.filter(event="submit", object_id=str(decl.pk)).count() == 1
    assert connection.vendor in ("sqlite", "postgresql")


def test_saves_across_years_of_one_unit_at_once_keep_one_set_of_findings(tree: Any, people: dict[str, Any]) -> None:
    """Last year's self-evaluation and this year's declaration saved at once, again and again: no deadlock,
    no failure, and the cross-document findings stored once each, as a fresh review of the unit finds them."""

    from jixiao.web.cycle.models import SelfEvaluation, StoredFinding
    from jixiao.web.cycle.services.across import ACROSS, review_unit
    from tests.web.conftest import advance, evaluate

    staff = people["staff_a1"]
    last = advance(declare(staff, tree.unit_a1, year=2024), people, "staff_a1", "dept_a", State.APPROVED)
    ev = services.act(ctx(staff), evaluate(last, staff), Action.SUBMIT)
    ev = services.act(ctx(people["dept_a"]), ev, Action.RETURN, "请核实。")
    now = declare(staff, tree.unit_a1, year=2025)
    rounds = 6

    def work(i: int) -> object:
        for n in range(rounds):
            if i == 0:  # last year's result flips between a shortfall and the target met
                current = SelfEvaluation.objects.get(pk=ev.pk)
                rows = [
                    services.EvaluationRowInput(
                        r.indicator_id,
                        f"{3 + n % 2}次" if r.indicator.name == "培训场次" else r.actual,
                        r.score,
                        "说明",
                        "理由",
                    )
                    for r in current.indicators.select_related("indicator")
                ]
                data = {k: getattr(current, k) for k in services.EVALUATION_FIELDS}
                services.update_evaluation(ctx(staff), current, current.version, data, rows)
            else:  # this year's target moves as well
                current = Declaration.objects.get(pk=now.pk)
                first = INDICATORS[0]
                moved = services.IndicatorInput(
                    first.level1, first.level2, first.name, f"≥{3 + n % 2}(次)", first.weight
                )
                rows = [moved, *INDICATORS[1:]]
                services.update_declaration(ctx(staff), current, current.version, DECLARATION_DATA, rows)
        return "done"

    results = _race(2, work)
    assert results == ["done", "done"], results
    stored = sorted(
        (("declaration", f.declaration_id) if f.declaration_id else ("evaluation", f.evaluation_id), f.code, f.message)
        for f in StoredFinding.objects.filter(code__in=ACROSS)
    )
    fresh = sorted((key, row[0], row[5]) for key, rows in review_unit(tree.unit_a1).items() for row in rows)
    assert stored == fresh and stored
