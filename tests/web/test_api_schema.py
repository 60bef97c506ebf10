"""The API against its own OpenAPI schema: schemathesis generates requests, valid and invalid, from the schema.

Every answer must be documented (status and content type), match its
response schema, and never be a server error. The caller is a finance
reviewer with a token, so every endpoint is reachable; half the generated
record ids are turned into ids of real records so that reads and review
actions reach the services, not only the 404 path.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode

from jixiao.core.workflow import Action, State
from jixiao.web.monitoring import services as monitoring
from jixiao.web.monitoring.models import MonitoringRecord
from tests.web.conftest import Tree, advance, ctx, declare, evaluate
from tests.web.monitoring.conftest import fill
from tests.web.test_api import token_for

pytestmark = pytest.mark.django_db
EXAMPLES = 25  # per operation and mode: 45 operations x 2 modes stay within about three minutes

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture
def known_ids(tree: Tree, people: dict[str, Any]) -> dict[str, list[int]]:
    """Records the finance bureau sees, in several states: declarations and self-evaluations by id."""
    ids: dict[str, list[int]] = {"declarations": [], "evaluations": []}
    for n, state in enumerate((State.SUBMITTED, State.DEPT_APPROVED, State.APPROVED, State.PUBLISHED)):
        decl = advance(declare(people["staff_a1"], tree.unit_a1, f"申报{n}"), people, "staff_a1", "dept_a", state)
        ids["declarations"].append(decl.pk)
        approved = advance(
            declare(people["staff_b1"], tree.unit_b1, f"自评{n}"), people, "staff_b1", "dept_b", State.APPROVED
        )
        ev = advance(evaluate(approved, people["staff_b1"]), people, "staff_b1", "dept_b", state)  # type: ignore[arg-type]
        ids["evaluations"].append(ev.pk)
    # a monitoring round over every department, one form of it submitted (the finance bureau sees it)
    round_ = monitoring.open_round(ctx(people["finance"]), 2025, date(2025, 7, 31), date(2025, 8, 15)).round
    records = list(MonitoringRecord.objects.filter(round=round_).order_by("pk"))
    first = next(r for r in records if r.unit_id == tree.unit_b1.pk)
    monitoring.act(ctx(people["staff_b1"]), fill(first, people["staff_b1"]), Action.SUBMIT)
    ids["monitoring/rounds"], ids["monitoring/records"] = [round_.pk], [r.pk for r in records]
    return ids


@pytest.fixture
def finance_token(people: dict[str, Any]) -> str:
    """A finance reviewer's token: the widest business scope."""
    return token_for(people["finance"])


@pytest.fixture
def api_schema(known_ids: dict[str, list[int]]) -> Iterator[Any]:
    """The API's own schema, served by the WSGI application in this process (and this test's transaction)."""
    # Django's test client keeps the connection open between requests; a bare WSGI call must be told to as well
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_conforms_to_its_own_schema(
    mode: GenerationMode, api_schema: Any, finance_token: str, known_ids: dict[str, list[int]]
) -> None:
    """Every generated request, valid or not, is answered as documented, in the documented shape, never with a 5xx."""
    failures: list[str] = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case: Any) -> None:
            _aim_at_known_records(case, known_ids)
            case.call_and_validate(headers={"Authorization": f"Bearer {finance_token}"}, checks=CHECKS)

        try:
            check()
        except Exception as exc:  # collect every operation's failure, not only the first
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)


def _aim_at_known_records(case: Any, known_ids: dict[str, list[int]]) -> None:
    """Turn half the generated record ids into ids of real records, so reads and actions reach the services."""
    record_id = (case.path_parameters or {}).get("id")
    if isinstance(record_id, int) and record_id % 2 == 0:
        kind = next(
            (
                k
                for k in ("evaluations", "monitoring/rounds", "monitoring/records")
                if case.path.startswith(f"/api/v1/{k}")
            ),
            "declarations",
        )
        case.path_parameters["id"] = known_ids[kind][record_id // 2 % len(known_ids[kind])]
