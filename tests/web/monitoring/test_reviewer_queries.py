"""The reviewers' reads cost a fixed number of queries: the same on seven filed forms as on three.

A province's round has thousands of forms; a page or an API list that read each form's unit, department
or round on its own would grow with them. Each read below is counted after a first read has warmed the
per-process caches, then again once four more forms are filed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jixiao.core.workflow import Action, State
from jixiao.web.monitoring import services
from jixiao.web.monitoring.models import MonitoringRecord, MonitoringRound
from tests.web.conftest import advance, ctx, declare
from tests.web.monitoring.conftest import AS_OF, fill
from tests.web.test_api import bearer, token_for

pytestmark = pytest.mark.django_db


def _file_all(people: dict[str, Any], round_: MonitoringRound) -> None:
    """Fill and submit every draft of the round, each by its unit's staff."""
    staff = {people[n].account.organization_id: people[n] for n in ("staff_a1", "staff_a2", "staff_b1")}
    for rec in MonitoringRecord.objects.filter(round=round_, state=State.DRAFT.value):
        who = staff[rec.unit_id]
        services.act(ctx(who), fill(rec, who), Action.SUBMIT)


def _count(client: Client, url: str, headers: dict[str, str]) -> int:
    assert client.get(url, **headers).status_code == 200  # type: ignore[arg-type]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **headers).status_code == 200  # type: ignore[arg-type]
    return len(captured.captured_queries)


def test_reviewer_reads_do_not_grow_with_the_round(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """The alerts page, the 序时进度 page and the API's lists and round: as many queries for 7 filed forms as for 3."""
    due = timezone.localdate() + timedelta(days=30)  # in time: nothing late
    opened = services.open_round(ctx(people["finance"]), 2025, AS_OF, due).round
    _file_all(people, opened)  # A1, A2 and B1 (the draft declaration has no form)
    client = login(people["finance"])
    token = bearer(token_for(people["finance"]))
    reads = {
        "alerts page": ("/work/monitoring/alerts/", {}),
        "schedule page": (f"/work/monitoring/rounds/{opened.pk}/schedule/", {}),
        "api alerts": ("/api/v1/monitoring/alerts?limit=200", token),
        "api records": (f"/api/v1/monitoring/rounds/{opened.pk}/records?limit=200", token),
        "api round": (f"/api/v1/monitoring/rounds/{opened.pk}", token),
        "api rounds": ("/api/v1/monitoring/rounds", token),
    }
    before = {name: _count(client, url, headers) for name, (url, headers) in reads.items()}
    units = [(tree.unit_a1, "staff_a1", "dept_a"), (tree.unit_b1, "staff_b1", "dept_b")] * 2
    for n, (unit, staff, dept) in enumerate(units):
        advance(declare(people[staff], unit, name=f"新增项目{n}"), people, staff, dept, State.APPROVED)
    services.open_round(ctx(people["finance"]), 2025, AS_OF, due)  # the same round: adds the four new forms
    _file_all(people, opened)
    assert MonitoringRecord.objects.filter(round=opened).exclude(state=State.DRAFT.value).count() == 7
    after = {name: _count(client, url, headers) for name, (url, headers) in reads.items()}
    assert after == before
