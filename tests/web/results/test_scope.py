"""Who sees what of results application: the finance bureau all and decides; the others their own, read-only."""

from __future__ import annotations

import re
from typing import Any

import pytest

from jixiao.web.results.models import ResultDecision
from tests.web.results.helpers import evaluated
from tests.web.test_api import call, token_for

pytestmark = pytest.mark.django_db


def listed(client: Any) -> set[str]:
    """The projects the finance page lists for 2025."""
    page = client.get("/work/results/", {"year": "2025"}).content.decode()
    return set(re.findall(r'<td><a href="/work/evaluations/[0-9]+/">([^<]+)</a></td>', page))


def test_scope_matrix_pages_and_api(tree: Any, people: dict[str, Any], login: Any) -> None:
    """Every role: what the page lists, whether the decision form shows, what a POST or the API gives."""
    a1 = evaluated(people, tree.unit_a1, "unit_a1", "医保甲项目", "差")
    b1 = evaluated(people, tree.unit_b1, "unit_b1", "教育乙项目", "良")
    expected = {
        "finance": {"医保甲项目", "教育乙项目"},
        "dept_a": {"医保甲项目"},
        "dept_b": {"教育乙项目"},
        "staff_a1": {"医保甲项目"},
        "staff_a2": set(),  # same department, another unit: nothing
        "staff_b1": {"教育乙项目"},
    }
    for name, projects in expected.items():
        client = login(people[name])
        assert listed(client) == projects, name
        for ev in (a1, b1):
            detail = client.get(f"/work/results/{ev.pk}/")
            assert detail.status_code == (200 if ev.project_name in projects else 404), (name, ev.project_name)
            if name != "finance" and detail.status_code == 200:
                assert 'id="decide-form"' not in detail.content.decode()
                assert client.post(f"/work/results/{ev.pk}/", {"action": "accept"}).status_code == 403
                assert client.post("/work/results/batch/", {"pick": str(ev.pk)}).status_code in (302, 403)
        answer = call("get", "/api/v1/results", token_for(people[name]), year=2025)
        assert {i["project"] for i in answer.json()["items"]} == projects, name
    assert not ResultDecision.objects.exists()  # nobody but finance could decide
    for admin in ("sysadmin", "secadmin", "auditor"):
        client = login(people[admin])
        assert client.get("/work/results/").status_code == 403
        assert client.get(f"/work/results/{a1.pk}/").status_code == 403
        assert client.get("/work/results/download/xlsx/").status_code == 403
    # the API decides through the same service: a department is refused, finance accepts, a change needs a reason
    path = f"/api/v1/results/{a1.pk}/decision"
    refused = call("post", path, token_for(people["dept_a"]), {"action": "accept", "version": 0})
    assert refused.status_code == 403
    finance = token_for(people["finance"])
    no_reason = call("post", path, finance, {"action": "change", "amount": 1000, "version": 0})
    assert no_reason.status_code == 422 and "调整理由" in no_reason.json()["message"]
    assert no_reason.json()["message"].startswith("项目“"), no_reason.json()  # the sentence alone, no place
    done = call("post", path, finance, {"action": "accept", "version": 0})
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["decision"]["amount"] == 50000.00 and body["proposal"]["label"] == "削减或取消 50%"
    assert body["status"] == "decided" and len(body["history"]) == 1
    again = call("post", path, finance, {"action": "accept", "version": 0})
    assert again.status_code == 409
    other = call("get", f"/api/v1/results/{b1.pk}", token_for(people["dept_a"]))
    assert other.status_code == 404
