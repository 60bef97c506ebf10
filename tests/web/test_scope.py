"""The scope matrix: every role against every page and action, on records of every state and owner.

Expected results are written out here, independently of the code under
test: who may see a record (by owner and state), and which actions each
role may take in each state (the review cycle of the brief). A record a
role may not see answers 404; a visible record a role may not act on
answers 403 and stays as it was; lists never show a foreign row.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from jixiao.core.workflow import State
from jixiao.web.cycle.models import Declaration, Publication, SelfEvaluation
from tests.web.conftest import Tree, advance, declare, evaluate

pytestmark = pytest.mark.django_db

STATES = list(State)
OWNERS = ("own", "sibling", "other_dept")  # unit_a1 (staff_a1's), unit_a2 (same department), unit_b1
ROLES = ("staff_a1", "dept_a", "finance", "sysadmin", "secadmin", "auditor", "anonymous")

# Who sees a record, by owner and state. Reviewers never see a unit's drafts.
VISIBLE = {
    "staff_a1": lambda owner, state: owner == "own",
    "dept_a": lambda owner, state: owner in ("own", "sibling") and state is not State.DRAFT,
    "finance": lambda owner, state: state is not State.DRAFT,
    "sysadmin": lambda owner, state: False,
    "secadmin": lambda owner, state: False,
    "auditor": lambda owner, state: False,
    "anonymous": lambda owner, state: False,
}
# Which actions each role may take in each state (the brief's review cycle).
ALLOWED = {
    # only a draft is deleted, and only by its own unit: once submitted a record has a review history
    "staff_a1": {State.DRAFT: {"edit", "submit", "delete"}, State.RETURNED: {"edit", "submit"}},
    "dept_a": {State.SUBMITTED: {"return", "dept_approve"}, State.APPROVED: {"publish"}},
    "finance": {
        State.DEPT_APPROVED: {"return", "finance_approve"},
        State.APPROVED: {"publish", "adjust"},
    },
}
ACTIONS = ("submit", "return", "dept_approve", "finance_approve", "publish")


@dataclass
class Record:
    """A record of the matrix with its owner and state."""

    kind: str  # "declaration" or "evaluation"
    owner: str
    state: State
    pk: int
    name: str


@pytest.fixture
def records(tree: Tree, people: dict[str, Any]) -> list[Record]:
    """A declaration and a self-evaluation in every state, for each of the three owners."""
    units = {"own": (tree.unit_a1, "staff_a1", "dept_a"), "sibling": (tree.unit_a2, "staff_a2", "dept_a")}
    units["other_dept"] = (tree.unit_b1, "staff_b1", "dept_b")
    out: list[Record] = []
    for owner, (unit, staff, dept) in units.items():
        for state in STATES:
            name = f"{owner}-申报-{state.value}"
            decl = advance(declare(people[staff], unit, name), people, staff, dept, state)
            out.append(Record("declaration", owner, state, decl.pk, name))
            ev_name = f"{owner}-自评-{state.value}"
            approved = advance(declare(people[staff], unit, ev_name), people, staff, dept, State.APPROVED)
            ev = evaluate(approved, people[staff])
            ev = advance(ev, people, staff, dept, state)  # type: ignore[arg-type]
            out.append(Record("evaluation", owner, state, ev.pk, ev_name))
    return out


def _client(role: str, people: dict[str, Any], login: Any) -> Client:
    return Client() if role == "anonymous" else login(people[role])


def _model(kind: str) -> type[Declaration] | type[SelfEvaluation]:
    return Declaration if kind == "declaration" else SelfEvaluation


def _path(kind: str) -> str:
    return "declarations" if kind == "declaration" else "evaluations"


def _expected_read(role: str, rec: Record) -> int:
    if role == "anonymous":
        return 302
    return 200 if VISIBLE[role](rec.owner, rec.state) else 404


def _expected_action(role: str, rec: Record, action: str) -> int:
    if role == "anonymous":
        return 302
    if not VISIBLE[role](rec.owner, rec.state):
        return 404
    return 302 if action in ALLOWED.get(role, {}).get(rec.state, set()) else 403


@pytest.mark.parametrize("role", ROLES)
def test_role_against_every_record(role: str, records: list[Record], people: dict[str, Any], login: Any) -> None:
    """One role against every record: pages, review actions and lists all answer as the matrix says."""
    client = _client(role, people, login)
    _reading_pages(role, records, client)
    _actions(role, records, client)
    _deletions(role, records, client)
    _lists(role, records, client)
    _summaries(role, records, client)


def _reading_pages(role: str, records: list[Record], client: Client) -> None:
    """Detail and edit pages answer by role, owner and state; edit only where the role may edit."""
    for rec in records:
        detail = client.get(f"/work/{_path(rec.kind)}/{rec.pk}/")
        assert detail.status_code == _expected_read(role, rec), (role, rec)
        # the form as a file and on paper: whoever may read the record, before publication too
        for url in (f"/work/{_path(rec.kind)}/{rec.pk}/download.xlsx", f"/work/{_path(rec.kind)}/{rec.pk}/print/"):
            assert client.get(url).status_code == _expected_read(role, rec), (role, rec, url)
        edit = client.get(f"/work/{_path(rec.kind)}/{rec.pk}/edit/")
        expected = _expected_action(role, rec, "edit")
        assert edit.status_code == (200 if expected == 302 and role != "anonymous" else expected), (role, rec, "edit")
        if rec.kind == "declaration":  # the editor's live share check answers whoever may edit, as the edit page
            shares = client.post(f"/work/declarations/{rec.pk}/shares/", {})
            assert shares.status_code == edit.status_code, (role, rec, "shares")


def _actions(role: str, records: list[Record], client: Client) -> None:
    """Every review action by every role: allowed ones move the state, refused ones change nothing."""
    for rec in records:
        for action in ACTIONS:
            with transaction.atomic():
                before = _model(rec.kind).objects.get(pk=rec.pk)
                response = client.post(f"/work/{_path(rec.kind)}/{rec.pk}/act/{action}/", {"comment": "意见"})
                after = _model(rec.kind).objects.get(pk=rec.pk)
                expected = _expected_action(role, rec, action)
                assert response.status_code == expected, (role, rec, action)
                if expected != 302 or role == "anonymous":
                    assert (after.state, after.version) == (before.state, before.version), (role, rec, action)
                transaction.set_rollback(True)


def _deletions(role: str, records: list[Record], client: Client) -> None:
    """The delete confirmation and the deletion answer by role, owner and state; a refused one deletes nothing."""
    for rec in records:
        url = f"/work/{_path(rec.kind)}/{rec.pk}/delete/"
        expected = _expected_action(role, rec, "delete")
        confirm = client.get(url)
        assert confirm.status_code == (200 if expected == 302 and role != "anonymous" else expected), (role, rec, url)
        with transaction.atomic():
            version = _model(rec.kind).objects.get(pk=rec.pk).version
            response = client.post(url, {"version": str(version)})
            assert response.status_code == expected, (role, rec, "delete")
            deleted = not _model(rec.kind).objects.filter(pk=rec.pk).exists()
            assert deleted == (expected == 302 and role != "anonymous"), (role, rec, "delete")
            transaction.set_rollback(True)


def _lists(role: str, records: list[Record], client: Client) -> None:
    """The declaration and evaluation lists show exactly the records the role may see."""
    for kind in ("declaration", "evaluation"):
        response = client.get(f"/work/{_path(kind)}/")
        if role == "anonymous":
            assert response.status_code == 302
            continue
        page = response.content.decode()
        for rec in (r for r in records if r.kind == kind):
            # the evaluation of a record in the list needs its approved declaration; names are unique
            shown = rec.name in page
            assert shown == VISIBLE[role](rec.owner, rec.state), (role, rec)


def _summaries(role: str, records: list[Record], client: Client) -> None:
    """The 汇总表, its downloads and the dashboard hold exactly the rows and figures the role may see."""
    urls = ("/work/summary/?year=2025", "/work/summary/download.csv?year=2025", "/work/summary/download.xlsx?year=2025")
    if role in ("anonymous", "sysadmin", "secadmin", "auditor"):
        for url in (*urls, "/work/summary/dashboard/?year=2025"):
            assert client.get(url).status_code == (302 if role == "anonymous" else 403), (role, url)
        return
    table = client.get(urls[1]).content.decode("utf-8-sig")
    rows = {r["项目名称"]: r for r in list(csv.DictReader(io.StringIO(table)))[:-1]}  # the last line: totals
    for rec in records:
        if rec.kind == "declaration":
            assert (rec.name in rows) == VISIBLE[role](rec.owner, rec.state), (role, rec)
        else:  # its declaration is approved; the self-evaluation's state shows only where the role sees it
            shown = rec.name in rows and rows[rec.name]["自评状态"] != ""
            assert shown == VISIBLE[role](rec.owner, rec.state), (role, rec)
    page = client.get(urls[0]).content.decode()
    assert all(name in page for name in rows)
    html = client.get("/work/summary/dashboard/?year=2025").content.decode()
    data = json.loads(html.split('<script id="chart-data" type="application/json">')[1].split("</script>")[0])
    visible = {rec.pk for rec in records if rec.kind == "evaluation" and VISIBLE[role](rec.owner, rec.state)}
    assert {p[0] for p in data["points"]} <= visible, role
    assert bool(data["points"]) == bool(visible), role  # each filled self-evaluation is a point
    assert sum(p["projects"] for p in data["progress"]) == len(rows), role


def test_portal_shows_only_published_records(records: list[Record]) -> None:
    """Anonymous readers see published records only, and each can be opened and downloaded."""
    client = Client()
    page = client.get("/").content.decode()
    for rec in records:
        assert (rec.name in page) == (rec.state is State.PUBLISHED), rec
    publications = Publication.objects.all()
    assert publications.count() == len([r for r in records if r.state is State.PUBLISHED])
    for publication in publications:
        assert client.get(f"/p/{publication.pk}/").status_code == 200
        download = client.get(f"/p/{publication.pk}.json")
        assert download.status_code == 200 and download["Content-Type"].startswith("application/json")
    assert client.get("/p/999999/").status_code == 404


@pytest.mark.parametrize("role", ("staff_a1", "dept_a", "finance", "sysadmin", "secadmin", "anonymous"))
def test_audit_log_is_for_the_audit_administrator_only(role: str, people: dict[str, Any], login: Any) -> None:
    """Everyone but the audit administrator is refused the audit log (anonymous readers are sent to log in)."""
    response = _client(role, people, login).get("/audit/")
    assert response.status_code == (302 if role == "anonymous" else 403)


def test_audit_administrator_reads_the_log(people: dict[str, Any], login: Any) -> None:
    """The audit administrator reads the log, including their own login."""
    response = login(people["auditor"]).get("/audit/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_fields_a_role_may_not_set_are_ignored(tree: Tree, people: dict[str, Any], login: Any) -> None:
    """Posting state, unit, project or version fields it may not set changes none of them."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    client = login(people["staff_a1"])
    form = {
        "version": decl.version,
        "nature": "经常性项目",
        "category": "特定目标类",
        "money_unit": "元",
        "requested_total": "100000.00",
        "requested_current": "100000.00",
        "requested_carryover": "0.00",
        "requested_other": "0.00",
        "goal": "改过的目标",
        "state": "approved",
        "project": "999",
        "unit": str(tree.unit_b1.pk),
        "by": str(people["finance"].pk),
        "ind-TOTAL_FORMS": "1",
        "ind-INITIAL_FORMS": "0",
        "ind-MIN_NUM_FORMS": "1",
        "ind-MAX_NUM_FORMS": "1000",
        "ind-0-level1": "产出指标",
        "ind-0-level2": "数量指标",
        "ind-0-name": "培训场次",
        "ind-0-target": "≥4(次)",
        "ind-0-weight": "90",
    }
    response = client.post(f"/work/declarations/{decl.pk}/edit/", form)
    assert response.status_code == 302
    decl.refresh_from_db()
    assert decl.goal == "改过的目标"
    assert decl.state == State.DRAFT.value
    assert decl.project.unit_id == tree.unit_a1.pk
    assert decl.version == 2


def test_staff_cannot_create_for_another_unit_or_as_reviewer(people: dict[str, Any], login: Any) -> None:
    """Only unit staff reach the new-declaration page; it always creates for their own unit."""
    assert login(people["dept_a"]).get("/work/declarations/new/").status_code == 403
    assert login(people["finance"]).post("/work/declarations/new/", {"name": "x", "year": 2025}).status_code == 403
    client = login(people["staff_a1"])
    response = client.post("/work/declarations/new/", {"name": "新项目", "year": 2025, "unit": "999"})
    assert response.status_code == 302
    assert Declaration.objects.get(project__name="新项目").project.unit.name == "测试市医保中心"
