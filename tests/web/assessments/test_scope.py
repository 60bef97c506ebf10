"""Who sees what: every role over the assessments, the pool and the declaration; an expert only their seats."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from jixiao.web.assessments import services as assessing
from jixiao.web.assessments.models import Assessment
from tests.web.assessments.conftest import new_declaration
from tests.web.conftest import Tree, ctx

# role -> (sees the assessment's page, sees the pool, sees the declaration's page)
MATRIX = {
    "staff_a1": (True, False, True),
    "staff_a2": (False, False, False),
    "staff_b1": (False, False, False),
    "dept_a": (True, True, True),
    "dept_b": (False, True, False),
    "finance": (True, True, True),
    "sysadmin": (False, False, False),
    "secadmin": (False, False, False),
    "auditor": (False, False, False),
    "seated": (True, False, False),
    "unseated": (False, False, False),
}


@pytest.fixture
def drawn(tree: Tree, people: dict[str, Any], pool: Any) -> Assessment:
    decl = new_declaration(people, tree)
    assessment = assessing.create_assessment(ctx(people["finance"]), decl)
    assessing.draw_panel(ctx(people["finance"]), assessment, seed="scope")
    return assessment


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_the_scope_matrix(who: str, drawn: Assessment, people: dict[str, Any], login: Callable[[Any], Client]) -> None:
    seated = {s.expert.user.username for s in drawn.seats.select_related("expert__user")}
    experts = sorted(u for u in people if u.startswith("expert_"))
    name = {"seated": sorted(seated)[0], "unseated": next(u for u in experts if u not in seated)}.get(who, who)
    client = login(people[name])
    sees, pool, declaration = MATRIX[who]
    assert (client.get(f"/work/assessments/{drawn.pk}/").status_code == 200) is sees
    listed = drawn.project_name in client.get("/work/assessments/").content.decode()
    assert listed is sees
    assert (client.get("/work/assessments/experts/").status_code == 200) is pool
    assert (client.get(f"/work/declarations/{drawn.declaration_id}/").status_code == 200) is declaration
    if who == "staff_a1":  # the unit does not learn who scores its project before the conclusion
        page = client.get(f"/work/assessments/{drawn.pk}/").content.decode()
        names = [s.expert.name for s in drawn.seats.select_related("expert")]
        assert "专家1" in page and not any(n in page for n in names)
        api = client.get(f"/api/v1/assessments/{drawn.pk}").json()
        assert [s["expert"] for s in api["seats"]] == [None] * len(names)
    if who == "seated":
        # never a declaration's other records: its downloads, its evaluations, its monitoring
        for url in (f"/work/declarations/{drawn.declaration_id}/print/", "/work/declarations/", "/work/monitoring/"):
            response = client.get(url)
            assert response.status_code in (302, 403, 404) or "智慧教室建设" not in response.content.decode()
        page = client.get(f"/work/assessments/{drawn.pk}/").content.decode()
        others = [s.expert.affiliation for s in drawn.seats.select_related("expert") if s.expert.user.username != name]
        assert others and not any(o in page for o in others)  # the other experts on the panel stay unnamed
