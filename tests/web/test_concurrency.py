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
