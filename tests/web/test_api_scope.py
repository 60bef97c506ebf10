"""The scope matrix of the API: every role against every endpoint, on records of every owner and state.

The expectations are the page matrix's own (``VISIBLE`` and ``ALLOWED`` of
``test_scope``), read for the API: a record a role may not see answers 404,
a visible record a role may not act on answers 403 and stays as it was, an
anonymous caller hears 401, lists hold exactly the visible rows, and a
refused write leaves every table of the cycle as it was.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from jixiao.core.workflow import State
from jixiao.web.cycle.models import Declaration, SelfEvaluation
from tests.web import test_scope
from tests.web.conftest import Tree
from tests.web.test_api import call, counts, document_text, error_of, kept_token, token_for
from tests.web.test_scope import ACTIONS, ALLOWED, OWNERS, ROLES, VISIBLE, Record

pytestmark = pytest.mark.django_db

records = test_scope.records  # the page matrix's records: a declaration and an evaluation per owner and state

API_ACTIONS = (*ACTIONS, "approve")
# ``approve`` is the caller's own approval: the department's or the finance bureau's
APPROVE_AS = {"dept_a": "dept_approve", "finance": "finance_approve"}
# Who may import a document naming a unit of each owner (staff_a1's unit, its sibling, another department's).
IMPORTS = {"finance": set(OWNERS), "dept_a": {"own", "sibling"}}
ADMINS = ("sysadmin", "secadmin", "auditor")


def _path(kind: str) -> str:
    return "declarations" if kind == "declaration" else "evaluations"


def _model(kind: str) -> type[Declaration] | type[SelfEvaluation]:
    return Declaration if kind == "declaration" else SelfEvaluation


def _expected_read(role: str, rec: Record) -> int:
    if role == "anonymous":
        return 401
    return 200 if VISIBLE[role](rec.owner, rec.state) else 404


def _expected_action(role: str, rec: Record, action: str) -> int:
    if role == "anonymous":
        return 401
    if not VISIBLE[role](rec.owner, rec.state):
        return 404
    action = APPROVE_AS.get(role, "dept_approve") if action == "approve" else action
    return 200 if action in ALLOWED.get(role, {}).get(rec.state, set()) else 403


def _token(role: str, people: dict[str, Any]) -> str | None:
    if role == "anonymous":
        return None
    # administrators cannot make tokens; one kept from a former business role must still see nothing
    return kept_token(people[role]) if role in ADMINS else token_for(people[role])


@pytest.mark.parametrize("role", ROLES)
def test_role_against_every_api_endpoint(role: str, records: list[Record], people: dict[str, Any]) -> None:
    """One role against every record and endpoint: reads, findings, actions and lists answer as the matrix says."""
    token = _token(role, people)
    _reads(role, records, token)
    _actions(role, records, token)
    _project_list(role, records, token)
    _summary(role, records, token)


def _reads(role: str, records: list[Record], token: str | None) -> None:
    """The record and its findings answer 200 where visible, 404 elsewhere (401 without a token)."""
    for rec in records:
        for suffix in ("", "/findings"):
            response = call("get", f"/api/v1/{_path(rec.kind)}/{rec.pk}{suffix}", token)
            assert response.status_code == _expected_read(role, rec), (role, rec, suffix)
            if response.status_code != 200:
                error_of(response)


def _actions(role: str, records: list[Record], token: str | None) -> None:
    """Every review action: allowed ones move the state; refused ones change no table of the cycle."""
    for rec in records:
        for action in API_ACTIONS:
            with transaction.atomic():
                before = _model(rec.kind).objects.get(pk=rec.pk)
                tables = counts()
                response = call(
                    "post", f"/api/v1/{_path(rec.kind)}/{rec.pk}/actions/{action}", token, {"comment": "意见"}
                )
                after = _model(rec.kind).objects.get(pk=rec.pk)
                expected = _expected_action(role, rec, action)
                assert response.status_code == expected, (role, rec, action, response.content[:200])
                if expected == 200:
                    assert response.json()["state"] == after.state != before.state, (role, rec, action)
                else:
                    error_of(response)
                    assert (after.state, after.version) == (before.state, before.version), (role, rec, action)
                    assert counts() == tables, (role, rec, action)
                transaction.set_rollback(True)


def _expected_rows(role: str, records: list[Record]) -> dict[str, State | None]:
    """Project name -> the evaluation state the role sees (None: no visible evaluation), for every visible row."""
    rows: dict[str, State | None] = {}
    for rec in records:
        if rec.kind == "declaration" and VISIBLE[role](rec.owner, rec.state):
            rows[rec.name] = None
        # an evaluation record's declaration stays approved; its evaluation shows only where visible itself
        if rec.kind == "evaluation" and VISIBLE[role](rec.owner, State.APPROVED):
            rows[rec.name] = rec.state if VISIBLE[role](rec.owner, rec.state) else None
    return rows


def _project_list(role: str, records: list[Record], token: str | None) -> None:
    """The project list holds exactly the visible rows, paged, with no hidden evaluation shown."""
    if role == "anonymous":
        assert call("get", "/api/v1/projects", token).status_code == 401
        return
    expected = _expected_rows(role, records)
    seen: dict[str, State | None] = {}
    for offset in range(0, len(records) + 1, 10):
        data = call("get", "/api/v1/projects", token, limit=10, offset=offset).json()
        assert data["count"] == len(expected), role
        for item in data["items"]:
            state = item["evaluation_state"]
            seen[item["project"]] = State(state) if state else None
    assert seen == expected, role


def _summary(role: str, records: list[Record], token: str | None) -> None:
    """The summary's rows are the same visible rows, and its totals count only them."""
    response = call("get", "/api/v1/summary", token)
    if role == "anonymous":
        assert response.status_code == 401
        return
    data = response.json()
    expected = _expected_rows(role, records)
    shown = {r["project"]: State(r["evaluation_state"]) if r["evaluation_state"] else None for r in data["rows"]}
    assert shown == expected, role
    assert data["totals"]["projects"] == len(expected)
    assert data["totals"]["evaluated"] == sum(1 for state in expected.values() if state is not None)


@pytest.mark.parametrize("role", ROLES)
def test_role_importing_documents_for_every_owner(role: str, tree: Tree, people: dict[str, Any]) -> None:
    """A document naming a unit of each owner: loaded (201) where the role may import, else refused unchanged."""
    units = {"own": tree.unit_a1, "sibling": tree.unit_a2, "other_dept": tree.unit_b1}
    token = _token(role, people)
    for owner, unit in units.items():
        assert unit.parent is not None
        text = document_text(department=unit.parent.name, unit=unit.name, name=f"导入-{owner}")
        with transaction.atomic():
            tables = counts()
            response = call("post", "/api/v1/documents", token, text)
            expected = 401 if role == "anonymous" else 201 if owner in IMPORTS.get(role, set()) else 403
            assert response.status_code == expected, (role, owner, response.content[:300])
            if expected == 201:
                assert Declaration.objects.get(pk=response.json()["declarations"][0]).project.unit == unit
            else:
                error_of(response)
                assert counts() == tables, (role, owner)
            transaction.set_rollback(True)
