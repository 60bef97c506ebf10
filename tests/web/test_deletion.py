"""Deleting a mistaken draft: only a draft, only by its own unit, after a confirmation, audited, history kept.

The refusals of every other role, owner and state are in the scope matrix
(``tests/web/test_scope.py``); here is what a deletion does and leaves.
"""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.core.workflow import State
from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle.models import (
    Declaration,
    DeclarationIndicator,
    EvaluationIndicator,
    Project,
    SelfEvaluation,
    StoredFinding,
)
from tests.web.conftest import advance, declare, evaluate
from tests.web.posting import form_data

pytestmark = pytest.mark.django_db


def test_the_unit_deletes_its_draft_after_confirming(tree: Any, people: dict[str, Any], login: Any) -> None:
    """The draft's page links to a confirmation; confirming removes the draft, its rows and its project, audited."""
    decl = declare(people["staff_a1"], tree.unit_a1, "误建的项目")
    indicators = list(decl.indicators.values_list("pk", flat=True))
    staff = login(people["staff_a1"])
    for page in (f"/work/declarations/{decl.pk}/", f"/work/declarations/{decl.pk}/edit/"):
        assert f'href="/work/declarations/{decl.pk}/delete/"' in staff.get(page).content.decode(), page
    confirm = staff.get(f"/work/declarations/{decl.pk}/delete/")
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "误建的项目" in html and "4 个绩效指标" in html and "不能恢复" in html
    assert Declaration.objects.filter(pk=decl.pk).exists()  # opening the confirmation deletes nothing

    response = staff.post(f"/work/declarations/{decl.pk}/delete/", form_data(html, "delete-form"))
    assert response.status_code == 302 and response["Location"] == "/work/declarations/"
    assert "已删除「误建的项目」2025年度绩效目标申报表草稿" in staff.get(response["Location"]).content.decode()
    assert not Declaration.objects.filter(pk=decl.pk).exists()
    assert not DeclarationIndicator.objects.filter(pk__in=indicators).exists()
    assert not StoredFinding.objects.filter(declaration_id=decl.pk).exists()
    assert not Project.objects.filter(name="误建的项目").exists()  # nothing else named it

    event = AuditEvent.objects.get(event="delete", object_type="cycle.declaration", object_id=str(decl.pk))
    assert event.actor == people["staff_a1"] and event.organization == tree.unit_a1 and event.success
    assert event.detail["name"] == "误建的项目" and event.detail["year"] == 2025
    assert len(event.detail["before"]["indicators"]) == 4
    assert AuditEvent.objects.filter(event="delete", object_type="cycle.project").count() == 1
    # the history keeps the record and every row as they were when deleted, and who deleted them
    gone = Declaration.history.filter(id=decl.pk, history_type="-").get()
    assert gone.goal == decl.goal and gone.history_user == people["staff_a1"]
    assert DeclarationIndicator.history.filter(id__in=indicators, history_type="-").count() == 4
    assert Project.history.filter(name="误建的项目", history_type="-").exists()


def test_a_project_with_other_years_is_kept(tree: Any, people: dict[str, Any], login: Any) -> None:
    """Deleting one year's draft keeps the project when another year's declaration still names it."""
    declare(people["staff_a1"], tree.unit_a1, "连续项目", 2024)
    draft = declare(people["staff_a1"], tree.unit_a1, "连续项目", 2025)
    staff = login(people["staff_a1"])
    html = staff.get(f"/work/declarations/{draft.pk}/delete/").content.decode()
    assert "将一并删除" not in html
    staff.post(f"/work/declarations/{draft.pk}/delete/", form_data(html, "delete-form"))
    assert not Declaration.objects.filter(pk=draft.pk).exists()
    assert Declaration.objects.filter(project__name="连续项目", year=2024).exists()


def test_the_unit_deletes_a_draft_self_evaluation(tree: Any, people: dict[str, Any], login: Any) -> None:
    """A draft self-evaluation goes with its rows; its approved declaration stays and can be evaluated afresh."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    ev = evaluate(decl, people["staff_a1"])
    staff = login(people["staff_a1"])
    for page in (f"/work/evaluations/{ev.pk}/", f"/work/evaluations/{ev.pk}/edit/"):
        assert f'href="/work/evaluations/{ev.pk}/delete/"' in staff.get(page).content.decode(), page
    html = staff.get(f"/work/evaluations/{ev.pk}/delete/").content.decode()
    assert "绩效自评表" in html and "绩效目标不受影响" in html
    response = staff.post(f"/work/evaluations/{ev.pk}/delete/", form_data(html, "delete-form"))
    assert response.status_code == 302 and response["Location"] == f"/work/declarations/{decl.pk}/"
    assert not SelfEvaluation.objects.filter(pk=ev.pk).exists()
    assert not EvaluationIndicator.objects.filter(evaluation_id=ev.pk).exists()
    decl.refresh_from_db()
    assert decl.state == State.APPROVED.value and decl.indicators.count() == 4
    assert "开始绩效自评" in staff.get(response["Location"]).content.decode()
    assert AuditEvent.objects.filter(event="delete", object_type="cycle.selfevaluation", object_id=str(ev.pk)).exists()
    assert SelfEvaluation.history.filter(id=ev.pk, history_type="-").exists()


def test_a_draft_changed_since_the_confirmation_is_not_deleted(tree: Any, people: dict[str, Any], login: Any) -> None:
    """A draft saved by a colleague after the confirmation was opened is kept, and the page says why."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    staff = login(people["staff_a1"])
    html = staff.get(f"/work/declarations/{decl.pk}/delete/").content.decode()
    Declaration.objects.filter(pk=decl.pk).update(version=decl.version + 1)  # a colleague's save
    response = staff.post(f"/work/declarations/{decl.pk}/delete/", form_data(html, "delete-form"), follow=True)
    assert Declaration.objects.filter(pk=decl.pk).exists()
    assert "已被修改" in response.content.decode()
    assert not AuditEvent.objects.filter(event="delete").exists()


def test_a_submitted_record_offers_no_deletion(tree: Any, people: dict[str, Any], login: Any) -> None:
    """Once submitted (or returned) a record shows no delete link, and its delete address refuses."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.RETURNED)
    staff = login(people["staff_a1"])
    assert "/delete/" not in staff.get(f"/work/declarations/{decl.pk}/").content.decode()
    assert "/delete/" not in staff.get(f"/work/declarations/{decl.pk}/edit/").content.decode()
    assert staff.post(f"/work/declarations/{decl.pk}/delete/", {"version": str(decl.version)}).status_code == 403
    assert Declaration.objects.filter(pk=decl.pk).exists()


@pytest.mark.parametrize("action", ["delete", "edit", "adjust"])
def test_the_review_action_address_takes_only_review_actions(
    action: str, tree: Any, people: dict[str, Any], login: Any
) -> None:
    """``act/<action>/`` answers 404 for what is not a review step (deleting has its own confirmed address)."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    staff = login(people["staff_a1"])
    response = staff.post(f"/work/declarations/{decl.pk}/act/{action}/", {"comment": ""})
    assert response.status_code == 404
    decl.refresh_from_db()
    assert decl.version == 1 and not decl.state_changes.exists()
