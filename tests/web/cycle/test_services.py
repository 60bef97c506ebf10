"""The services package (issue 15, item 2): what a save audits, the API's stale action, one permission decision."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from jixiao.core.workflow import Action, State
from jixiao.web.api import api as api_module
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.sentences import describe
from jixiao.web.cycle import services
from jixiao.web.cycle.models import DeclarationIndicator, EvaluationIndicator
from tests.web.conftest import advance, ctx, declare, evaluate
from tests.web.test_api import call, error_of, token_for
from tests.web.test_cycle import _Fields

pytestmark = pytest.mark.django_db


def _form(page: str) -> dict[str, str]:
    fields = _Fields()
    fields.feed(page)
    return fields.values


def test_a_one_cell_change_is_audited_as_that_cell(tree: Any, people: dict[str, Any], login: Any) -> None:
    """The form posted back as it renders with one actual value retyped: the audit holds that cell, no other."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    ev = evaluate(decl, people["staff_a1"])
    staff = login(people["staff_a1"])
    shown = _form(staff.get(f"/work/evaluations/{ev.pk}/edit/").content.decode())
    histories = EvaluationIndicator.history.count()
    assert shown["row-2-actual"] == "达成指标"
    answer = staff.post(f"/work/evaluations/{ev.pk}/edit/", shown | {"row-2-actual": "基本达成", "save": "1"})
    assert answer.status_code == 302
    event = AuditEvent.objects.filter(event=AuditEvent.Type.UPDATE, object_id=str(ev.pk)).latest("pk")
    assert event.detail == {
        "before": {"rows": {"3": {"actual": "达成指标"}}},
        "after": {"rows": {"3": {"actual": "基本达成"}}},
    }
    assert describe(event) == "把第 3 行的“实际完成值”从 达成指标 改为 基本达成。"
    assert EvaluationIndicator.history.count() == histories + 1  # only the changed row is written again

    # saved again unchanged: nothing changed, nothing held
    again = _form(staff.get(f"/work/evaluations/{ev.pk}/edit/").content.decode())
    assert staff.post(f"/work/evaluations/{ev.pk}/edit/", again | {"save": "1"}).status_code == 302
    event = AuditEvent.objects.filter(event=AuditEvent.Type.UPDATE, object_id=str(ev.pk)).latest("pk")
    assert event.detail == {"before": {}, "after": {}}


def test_a_declaration_row_change_and_a_removed_row_are_audited_by_row(
    tree: Any, people: dict[str, Any], login: Any
) -> None:
    """A target retyped in the editor is that cell; a row taken out is that row, whole, on the before side."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    staff = login(people["staff_a1"])
    shown = _form(staff.get(f"/work/declarations/{decl.pk}/edit/").content.decode())
    rows = list(decl.indicators.values_list("pk", flat=True))
    histories = DeclarationIndicator.history.count()
    assert staff.post(f"/work/declarations/{decl.pk}/edit/", shown | {"ind-1-target": "≥96%"}).status_code == 302
    # the row keeps its identity and only it is written again: one history entry, not a copy of the tree
    assert list(decl.indicators.values_list("pk", flat=True)) == rows
    assert DeclarationIndicator.history.count() == histories + 1
    changed = DeclarationIndicator.history.latest("history_id")
    assert changed.history_type == "~" and changed.target == "≥96%" and changed.id == rows[1]
    event = AuditEvent.objects.filter(event=AuditEvent.Type.UPDATE, object_id=str(decl.pk)).latest("pk")
    assert event.detail["after"] == {"indicators": {"2": {"target": "≥96%"}}}
    before_target = event.detail["before"]["indicators"]["2"]["target"]
    assert before_target != "≥96%" and set(event.detail["before"]) == {"indicators"}

    shown = _form(staff.get(f"/work/declarations/{decl.pk}/edit/").content.decode())
    last = int(shown["ind-TOTAL_FORMS"]) - 1
    removed = shown | {f"ind-{last}-DELETE": "on"}
    assert staff.post(f"/work/declarations/{decl.pk}/edit/", removed).status_code == 302
    event = AuditEvent.objects.filter(event=AuditEvent.Type.UPDATE, object_id=str(decl.pk)).latest("pk")
    gone = event.detail["before"]["indicators"][str(last + 1)]
    assert gone["name"] == shown[f"ind-{last}-name"] and event.detail["after"]["indicators"][str(last + 1)] is None
    assert f"删除指标第 {last + 1} 行。" in describe(event)
    assert list(decl.indicators.values_list("pk", flat=True)) == rows[:-1]

    # saved again as it renders: nothing written, to the rows or their history
    histories = DeclarationIndicator.history.count()
    shown = _form(staff.get(f"/work/declarations/{decl.pk}/edit/").content.decode())
    assert staff.post(f"/work/declarations/{decl.pk}/edit/", shown).status_code == 302
    assert DeclarationIndicator.history.count() == histories

    # a row inserted at the top: the others keep their rows and move down a place
    added = _form(staff.get(f"/work/declarations/{decl.pk}/edit/").content.decode())
    total = int(added["ind-TOTAL_FORMS"])
    moved = {
        k.replace(f"ind-{n}-", f"ind-{n + 1}-", 1): v
        for n in range(total)
        for k, v in added.items()
        if k.startswith(f"ind-{n}-")
    }
    top = {"ind-0-level1": "产出指标", "ind-0-level2": "数量指标", "ind-0-name": "新增指标", "ind-0-target": "≥1个"}
    kept = {k: v for k, v in added.items() if not k.startswith("ind-") or k.endswith("_FORMS")}
    posted = kept | moved | top | {"ind-TOTAL_FORMS": str(total + 1)}
    assert staff.post(f"/work/declarations/{decl.pk}/edit/", posted).status_code == 302
    after = list(decl.indicators.order_by("position").values_list("pk", "name"))
    assert after[0][1] == "新增指标" and [pk for pk, _ in after[1:]] == rows[:-1]


def test_the_api_stale_action_is_refused_by_the_service(tree: Any, people: dict[str, Any]) -> None:
    """The API sends the version it saw to services.act, which answers the conflict (audited), not the API."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.SUBMITTED)
    seen = decl.version
    # meanwhile it is returned and submitted again: approvable still, but not the version the client saw
    services.act(ctx(people["dept_a"]), decl, Action.RETURN, "请补充")
    services.act(ctx(people["staff_a1"]), decl, Action.SUBMIT)
    token = token_for(people["dept_a"])
    stale = call("post", f"/api/v1/declarations/{decl.pk}/actions/approve", token, {"version": seen})
    assert stale.status_code == 409 and error_of(stale)["details"]["current_version"] == seen + 2
    conflict = AuditEvent.objects.filter(event=AuditEvent.Type.CONFLICT, object_id=str(decl.pk)).get()
    assert conflict.detail == {"expected_version": seen, "current_version": seen + 2}
    # the API keeps no lock or version check of its own
    source = inspect.getsource(api_module._act)
    assert "select_for_update" not in source and "transaction" not in source and "expected_version=" in source
    with pytest.raises(services.ConflictError):
        services.act(ctx(people["dept_a"]), decl, Action.DEPT_APPROVE, expected_version=seen)


def test_a_forbidden_user_hears_the_same_on_every_path(tree: Any, people: dict[str, Any], login: Any) -> None:
    """A filer approving their own submitted declaration: the page, the API and the service give one answer."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.SUBMITTED)
    with pytest.raises(PermissionDenied) as refused:
        services.act(ctx(people["staff_a1"]), decl, Action.DEPT_APPROVE)
    message = str(refused.value)
    assert "不能" in message
    page = login(people["staff_a1"]).post(f"/work/declarations/{decl.pk}/act/dept_approve/")
    assert page.status_code == 403 and message in page.content.decode()
    api = call("post", f"/api/v1/declarations/{decl.pk}/actions/approve", token_for(people["staff_a1"]), {})
    assert api.status_code == 403 and error_of(api)["message"] == message
    # the edit form of a record the user may not edit: the same decision, said the same way
    with pytest.raises(PermissionDenied) as editing:
        services.update_declaration(ctx(people["staff_a1"]), decl, decl.version, {}, [])
    form = login(people["staff_a1"]).get(f"/work/declarations/{decl.pk}/edit/")
    assert form.status_code == 403 and str(editing.value) in form.content.decode()
    decl.refresh_from_db()
    assert decl.state == State.SUBMITTED.value
