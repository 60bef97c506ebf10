"""The approval gate: a new project at or above the pack's amount is approved only after a supporting assessment."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.test import Client

from jixiao.core.workflow import State
from jixiao.web.assessments import services as assessing
from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle.models import Declaration
from tests.web.assessments.conftest import new_declaration, scored
from tests.web.conftest import Tree, ctx
from tests.web.posting import form_data


def _approve_as_posted(client: Client, decl: Declaration) -> str:
    """Press 财政批复 on the declaration's page as a browser would; the page it comes back to."""
    page = client.get(f"/work/declarations/{decl.pk}/").content.decode()
    action = re.search(r'formaction="([^"]*/act/finance_approve/)"', page)
    assert action is not None, "the page offers no 财政批复 button"
    response = client.post(action.group(1), form_data(page, "review-form"), follow=True)
    assert response.status_code == 200
    return response.content.decode()


def _assessed(decl: Declaration, people: dict[str, Any], each: str) -> Any:
    assessment = assessing.create_assessment(ctx(people["finance"]), decl)
    assessing.draw_panel(ctx(people["finance"]), assessment, seed="gate")
    scored(assessment, people, each)
    return assessing.conclude_assessment(ctx(people["finance"]), assessment, "同意。")


def test_approval_is_refused_without_an_assessment_and_allowed_with_a_supporting_one(
    tree: Tree, people: dict[str, Any], pool: Any, login: Callable[[Any], Client]
) -> None:
    decl = new_declaration(people, tree)
    finance = login(people["finance"])
    page = _approve_as_posted(finance, decl)
    assert "须经事前绩效评估" in page and "目前还没有已出具结论的事前绩效评估" in page
    decl.refresh_from_db()
    assert decl.state == State.DEPT_APPROVED.value
    assert not AuditEvent.objects.filter(
        event=AuditEvent.Type.APPROVE, object_id=str(decl.pk), username="finance"
    ).exists()

    assessment = _assessed(decl, people, "90")
    assert assessment.conclusion == "support" and assessment.total == 90
    _approve_as_posted(finance, decl)
    decl.refresh_from_db()
    assert decl.state == State.APPROVED.value


def test_adjust_conclusion_gates_until_the_adjustments_are_recorded(
    tree: Tree, people: dict[str, Any], pool: Any, login: Callable[[Any], Client]
) -> None:
    decl = new_declaration(people, tree)
    assessment = _assessed(decl, people, "70")
    assert assessment.conclusion == "adjust"
    finance = login(people["finance"])
    assert "请先在评估中记录调整完善的内容" in _approve_as_posted(finance, decl)
    decl.refresh_from_db()
    assert decl.state == State.DEPT_APPROVED.value

    page = finance.get(f"/work/assessments/{assessment.pk}/").content.decode()
    data = form_data(page, "adjustments-form", adjustments="压减设备购置数量，单位成本降至同类项目水平。")
    finance.post(f"/work/assessments/{assessment.pk}/adjustments/", data)
    _approve_as_posted(finance, decl)
    decl.refresh_from_db()
    assert decl.state == State.APPROVED.value


def test_a_rejected_project_is_not_approved(
    tree: Tree, people: dict[str, Any], pool: Any, login: Callable[[Any], Client]
) -> None:
    decl = new_declaration(people, tree)
    _assessed(decl, people, "50")
    assert "评估结论为“不予支持”（总分 50.00）" in _approve_as_posted(login(people["finance"]), decl)
    decl.refresh_from_db()
    assert decl.state == State.DEPT_APPROVED.value


def test_a_project_below_the_amount_or_not_new_is_not_gated(
    tree: Tree, people: dict[str, Any], login: Callable[[Any], Client]
) -> None:
    from tests.web.conftest import advance, declare

    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.DEPT_APPROVED)
    _approve_as_posted(login(people["finance"]), decl)
    decl.refresh_from_db()
    assert decl.state == State.APPROVED.value
