"""Who sees what of monitoring (issue 16, must show): each role against each record of each round.

Two rounds: the finance bureau's over every department (F) and department A's over its own units
(D). A unit sees its own forms in every state; a department its units' forms once submitted; the
finance bureau every submitted form; an anonymous reader nothing. What is out of scope is a 404
(never confirmed); what is in scope but not the person's to do is a 403.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from jixiao.core.workflow import Action
from jixiao.web.monitoring import services
from jixiao.web.monitoring.models import MonitoringRecord
from tests.web.conftest import ctx
from tests.web.monitoring.conftest import AS_OF, DUE, fill, open_all, record_of

pytestmark = pytest.mark.django_db

VIEWERS = ("staff_a1", "staff_b1", "dept_a", "dept_b", "finance", "anonymous")
# the records and their states: F:a1, F:b1 and D:a2 submitted; F:a2 and D:a1 drafts
SEES = {
    "staff_a1": {"F:a1", "D:a1"},
    "staff_b1": {"F:b1"},
    "dept_a": {"F:a1", "D:a2"},
    "dept_b": {"F:b1"},
    "finance": {"F:a1", "F:b1", "D:a2"},
    "anonymous": set(),
}
EDITS = {"staff_a1": {"D:a1"}}  # only a unit's own draft or returned form
ROUNDS = {
    "staff_a1": {"F", "D"},
    "staff_b1": {"F"},
    "dept_a": {"F", "D"},
    "dept_b": {"F"},
    "finance": {"F", "D"},
    "anonymous": set(),
}


@pytest.fixture
def world(tree: Any, people: dict[str, Any], approved: dict[str, Any]) -> dict[str, Any]:
    """The two rounds and their five records, in the states the matrix names."""
    by_finance = open_all(people)
    by_department = services.open_round(ctx(people["dept_a"]), 2025, AS_OF, DUE).round
    records = {
        f"{label}:{key}": record_of(round_, approved[key])
        for label, round_ in (("F", by_finance), ("D", by_department))
        for key in ("a1", "a2", "b1")
        if not (label == "D" and key == "b1")
    }
    for name, staff in (("F:a1", "staff_a1"), ("F:b1", "staff_b1"), ("D:a2", "staff_a2")):
        services.act(ctx(people[staff]), fill(records[name], people[staff]), Action.SUBMIT)
    return {"rounds": {"F": by_finance, "D": by_department}, "records": records}


def _client(who: str, people: dict[str, Any], login: Any) -> Client:
    return Client() if who == "anonymous" else login(people[who])


@pytest.mark.parametrize("who", VIEWERS)
def test_each_role_against_each_record_of_each_round(
    who: str, world: dict[str, Any], people: dict[str, Any], login: Any
) -> None:
    """The record page, the edit form and the list of each round: exactly the matrix, nothing more."""
    client = _client(who, people, login)
    for name, rec in world["records"].items():
        page = client.get(f"/work/monitoring/records/{rec.pk}/")
        edit = client.get(f"/work/monitoring/records/{rec.pk}/edit/")
        if who == "anonymous":
            assert (page.status_code, edit.status_code) == (302, 302), name
            assert page["Location"].startswith("/accounts/login/")
            continue
        assert page.status_code == (200 if name in SEES[who] else 404), (who, name)
        expected_edit = 200 if name in EDITS.get(who, set()) else 403 if name in SEES[who] else 404
        assert edit.status_code == expected_edit, (who, name)
    for label, round_ in world["rounds"].items():
        page = client.get(f"/work/monitoring/rounds/{round_.pk}/")
        if who == "anonymous":
            assert page.status_code == 302
            continue
        assert page.status_code == (200 if label in ROUNDS[who] else 404), (who, label)
        if page.status_code == 200:
            listed = {
                n for n, r in world["records"].items() if f"/work/monitoring/records/{r.pk}/" in page.content.decode()
            }
            assert listed == {n for n in SEES[who] if n.startswith(label)}, (who, label)
    if who != "anonymous":
        listed_rounds = client.get("/work/monitoring/").content.decode()
        shown = {label for label, r in world["rounds"].items() if f"/work/monitoring/rounds/{r.pk}/" in listed_rounds}
        assert shown == ROUNDS[who]


def test_a_query_set_sees_the_same(world: dict[str, Any], people: dict[str, Any]) -> None:
    """``visible_to`` (what lists, the API and exports read) is the same matrix as the pages."""
    names = {r.pk: n for n, r in world["records"].items()}
    for who in VIEWERS:
        user = None if who == "anonymous" else people[who]
        seen = {names[pk] for pk in MonitoringRecord.objects.visible_to(user).values_list("pk", flat=True)}
        assert seen == SEES[who], who


def test_reviewers_act_only_within_their_scope(world: dict[str, Any], people: dict[str, Any], login: Any) -> None:
    """Another department's reviewer cannot approve (404, nothing moves); the right one can."""
    rec = world["records"]["F:a1"]
    response = login(people["dept_b"]).post(f"/work/monitoring/records/{rec.pk}/act/dept_approve/")
    assert response.status_code == 404
    rec.refresh_from_db()
    assert rec.state == "submitted"
    response = login(people["dept_a"]).post(f"/work/monitoring/records/{rec.pk}/act/dept_approve/")
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.state == "dept_approved"


def test_progress_counts_within_the_viewers_scope(world: dict[str, Any], people: dict[str, Any], login: Any) -> None:
    """Department A counts its two forms (one filed, one not) without seeing the draft; finance counts all three."""
    url = f"/work/monitoring/rounds/{world['rounds']['F'].pk}/"

    def lines(who: str) -> list[list[str]]:
        page = login(people[who]).get(url).content.decode()
        table = page.split('id="progress"')[1].split("</table>")[0]
        rows = table.split("<tbody>")[1].split("</tr>")[:-1]
        return [[cell.split(">", 1)[1].split("<")[0] for cell in row.split("<t")[2:]] for row in rows]

    # 主管部门, 监控表, 已填报, 未填报, 逾期, 已批复, 预警, 填报率
    # the due date (2025-08-15) is past: the draft is late, and so is the form filed after it
    dept_a = lines("dept_a")
    assert [row[:6] for row in dept_a] == [
        ["测试市医疗保障局", "2", "1", "1", "2", "0"],
        ["合计", "2", "1", "1", "2", "0"],
    ]
    finance = lines("finance")
    assert [row[:4] for row in finance] == [
        ["测试市医疗保障局", "2", "1", "1"],
        ["测试市教育局", "1", "1", "0"],
        ["合计", "3", "2", "1"],
    ]
    assert finance[-1][7] == "66.7%"
    # the due date moved (opening the round again) past today: nothing is late
    services.open_round(ctx(people["finance"]), 2025, AS_OF, date(2099, 12, 31))
    assert [row[4] for row in lines("finance")] == ["0", "0", "0"]


def test_the_rounds_list_filters(world: dict[str, Any], people: dict[str, Any], login: Any) -> None:
    """By department, by state, and with alerts only: each narrows the finance bureau's list as it says."""
    from jixiao.web.monitoring.models import MonitoringRecord

    round_ = world["rounds"]["F"]
    finance = login(people["finance"])
    names = {r.pk: n for n, r in world["records"].items()}

    def listed(query: str) -> set[str]:
        page = finance.get(f"/work/monitoring/rounds/{round_.pk}/?{query}").content.decode()
        return {names[pk] for pk in names if f"/work/monitoring/records/{pk}/" in page.split('id="record-filters"')[1]}

    assert listed("") == {"F:a1", "F:b1"}
    assert listed(f"department={world['records']['F:b1'].department_id}") == {"F:b1"}
    assert listed("state=draft") == set() and listed("state=submitted") == {"F:a1", "F:b1"}
    MonitoringRecord.objects.filter(pk=world["records"]["F:b1"].pk).update(warnings=0, errors=0)
    MonitoringRecord.objects.filter(pk=world["records"]["F:a1"].pk).update(warnings=2, errors=0)
    assert listed("alerts=1") == {"F:a1"}
    assert listed("department=abc&state=nonsense") == {"F:a1", "F:b1"}  # what is not a filter filters nothing
