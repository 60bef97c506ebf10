"""The assessment API: the scope of every role, the sheets shown as the page shows them, an expert's own sheet."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.test import Client

from jixiao.core.scoring.exante import national_default
from jixiao.web.assessments import services as assessing
from jixiao.web.assessments.models import Assessment
from tests.web.assessments.conftest import new_declaration, pool
from tests.web.conftest import Tree, ctx
from tests.web.test_api import call, token_for

__all__ = ["pool"]  # the fixture, imported for pytest


def _drawn(people: dict[str, Any], tree: Tree) -> Assessment:
    decl = new_declaration(people, tree)
    assessment = assessing.create_assessment(ctx(people["finance"]), decl, "新建智慧教室。")
    assessing.draw_panel(ctx(people["finance"]), assessment, seed="api")
    return assessment


def test_the_list_and_detail_in_each_role_scope(tree: Tree, people: dict[str, Any], pool: Any) -> None:
    assessment = _drawn(people, tree)
    seen = {}
    for name in ("finance", "dept_a", "dept_b", "staff_a1", "staff_b1"):
        token = token_for(people[name])
        listed = call("get", "/api/v1/assessments", token).json()
        detail = call("get", f"/api/v1/assessments/{assessment.pk}", token)
        seen[name] = (listed["count"], detail.status_code)
    assert seen == {
        "finance": (1, 200),
        "dept_a": (1, 200),
        "dept_b": (0, 404),
        "staff_a1": (1, 200),
        "staff_b1": (0, 404),
    }
    pool_answer = call("get", "/api/v1/assessments/experts", token_for(people["finance"])).json()
    assert pool_answer["count"] == 5
    assert call("get", "/api/v1/assessments/experts", token_for(people["staff_a1"])).json()["count"] == 0


def test_an_expert_scores_through_the_api_and_sees_only_their_own_seat(
    tree: Tree, people: dict[str, Any], pool: Any, login: Callable[[Any], Client]
) -> None:
    assessment = _drawn(people, tree)
    seats = list(assessment.seats.select_related("expert__user"))
    rules = national_default()
    full = {q.key: str(q.weight) for q in rules.questions}
    finance = token_for(people["finance"])
    for n, seat in enumerate(seats):
        client = login(seat.expert.user)
        url = f"/api/v1/assessments/{assessment.pk}"
        mine = client.get(url).json()
        assert [s["position"] for s in mine["seats"]] == [seat.position] and mine["total"] is None
        bad = client.post(
            f"{url}/scores",
            json.dumps({"scores": full | {"funding.shares": "5.5"}, "comment": "好"}),
            "application/json",
        )
        assert bad.status_code == 422 and "「筹资合规性」" in bad.json()["message"]
        good = client.post(f"{url}/scores", json.dumps({"scores": full, "comment": "依据充分。"}), "application/json")
        assert good.status_code == 200 and good.json()["total"] == 100
        again = client.post(f"{url}/scores", json.dumps({"scores": full, "comment": "再交。"}), "application/json")
        assert again.status_code == 422 and "提交后不能修改" in again.json()["message"]
        organiser = call("get", url, finance).json()
        revealed = [s["scores"] is not None for s in organiser["seats"]]
        assert revealed == [n == len(seats) - 1] * len(seats)  # all at once, when the last is in
    # an expert reaches nothing of the cycle through the API either
    client = login(seats[0].expert.user)
    assert client.get(f"/api/v1/declarations/{assessment.declaration_id}").status_code == 404
    assert client.get("/api/v1/assessments/experts").json()["count"] == 0
