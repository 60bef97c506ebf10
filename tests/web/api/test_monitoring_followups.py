"""The API of monitoring actions (``/api/v1/monitoring/actions``) as a program uses it, each role in its scope."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from jixiao.core.workflow import Action
from jixiao.web.audit.models import AuditEvent
from jixiao.web.monitoring import services
from jixiao.web.monitoring.models import MonitoringAction, MonitoringRecord
from tests.web.conftest import ctx
from tests.web.monitoring.conftest import approved, fill, open_all, record_of
from tests.web.test_api import call, token_for

__all__ = ["approved"]  # the fixture, imported for pytest
pytestmark = pytest.mark.django_db
BASE = "/api/v1/monitoring/actions"


def exact(response: Any) -> Any:
    return json.loads(response.content, parse_float=Decimal)


def soon(days: int = 14) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@pytest.fixture
def forms(people: dict[str, Any], approved: dict[str, Any]) -> dict[str, MonitoringRecord]:
    """A1's and B1's monitoring forms, filled and submitted (under their departments' review)."""
    round_ = open_all(people)
    recs = {}
    for key in ("a1", "b1"):
        staff = people[f"staff_{key}"]
        recs[key] = services.act(ctx(staff), fill(record_of(round_, approved[key]), staff), Action.SUBMIT)
    return recs


def test_the_whole_loop_through_the_api(people: dict[str, Any], forms: dict[str, MonitoringRecord]) -> None:
    """Raised by the department on an alert, reported by the unit, reopened, reported again, closed: each audited."""
    dept, unit = token_for(people["dept_a"]), token_for(people["staff_a1"])
    rec = forms["a1"]
    behind = rec.findings.get(code="execution-behind-schedule")
    body = {"record_id": rec.pk, "kind": "correct", "task": "9月底前执行率达到75%。", "due": soon()}
    made = call("post", BASE, dept, body | {"alert": services.alert_key(behind)})
    assert made.status_code == 200, made.content.decode()
    action = exact(made)
    assert (action["state"], action["owner"], action["alert_code"]) == ("open", "unit", "execution-behind-schedule")
    assert [s["step"] for s in action["steps"]] == ["raise"] and action["steps"][0]["by"]
    url = f"{BASE}/{action['id']}"
    assert call("post", f"{url}/submit", dept, {"evidence": "代为办理"}).status_code == 403  # the unit's to do
    reported = exact(call("post", f"{url}/submit", unit, {"evidence": "已支付第二批经费。"}))
    assert reported["state"] == "submitted" and reported["evidence"] == "已支付第二批经费。"
    refused = call("post", f"{url}/reopen", dept, {"comment": ""})
    assert refused.status_code == 422 and "重新打开时请填写意见" in exact(refused)["message"]
    assert call("post", f"{url}/close", unit, {}).status_code == 403  # the unit does not close its own
    exact(call("post", f"{url}/reopen", dept, {"comment": "请补充凭证。"}))
    exact(call("post", f"{url}/submit", unit, {"evidence": "已补凭证。"}))
    closed = exact(call("post", f"{url}/close", dept))
    assert closed["state"] == "closed" and closed["closed_at"] is not None
    assert [s["step"] for s in closed["steps"]] == ["raise", "submit", "reopen", "submit", "close"]
    events = AuditEvent.objects.filter(object_type="monitoring.monitoringaction", object_id=str(action["id"]))
    assert events.count() == 5


def test_cancel_through_the_api(people: dict[str, Any], forms: dict[str, MonitoringRecord]) -> None:
    """Only the raising side cancels, with a reason; then it is no longer pending nor overdue in the list."""
    finance, dept = token_for(people["finance"]), token_for(people["dept_a"])
    body = {"record_id": forms["a1"].pk, "kind": "correct", "task": "补足场次。", "due": soon(1)}
    action = exact(call("post", BASE, dept, body))
    url = f"{BASE}/{action['id']}/cancel"
    assert call("post", url, dept, {"reason": ""}).status_code == 422  # a reason is required
    assert call("post", url, finance, {"reason": "不需要"}).status_code == 403  # the bureau did not raise it
    assert call("post", url, token_for(people["dept_b"]), {"reason": "不需要"}).status_code == 404  # not its own
    assert exact(call("get", BASE, dept, pending="true"))["count"] == 1
    done = exact(call("post", url, dept, {"reason": "项目已终止。"}))
    assert done["state"] == "cancelled" and done["state_label"] == "已撤销" and done["overdue"] is False
    assert done["steps"][-1]["step"] == "cancel" and done["steps"][-1]["comment"] == "项目已终止。"
    assert exact(call("get", BASE, dept, pending="true"))["count"] == 0
    assert exact(call("get", BASE, dept, state="cancelled"))["count"] == 1
    assert call("post", url, dept, {"reason": "再撤销"}).status_code == 403


def test_each_role_lists_and_reads_only_its_own(people: dict[str, Any], forms: dict[str, MonitoringRecord]) -> None:
    """A unit sees its own unit's actions, a department its units', the bureau all; others' are 404."""
    a1 = services.raise_action(
        ctx(people["dept_a"]), forms["a1"], services.NewAction("correct", "甲", timezone.localdate() + timedelta(1))
    )
    b1 = services.raise_action(
        ctx(people["finance"]),
        forms["b1"],
        services.NewAction(
            "reduce", "乙", timezone.localdate() + timedelta(2), amount=Decimal("2000.50"), reason="结余"
        ),
    )
    seen = {
        who: {i["id"] for i in exact(call("get", BASE, token_for(people[who])))["items"]}
        for who in ("staff_a1", "staff_a2", "staff_b1", "dept_a", "dept_b", "finance")
    }
    assert seen == {
        "staff_a1": {a1.pk},
        "staff_a2": set(),
        "staff_b1": {b1.pk},
        "dept_a": {a1.pk},
        "dept_b": {b1.pk},
        "finance": {a1.pk, b1.pk},
    }  # administrators get no token for business data at all (api.services)
    for who, hidden in (("staff_a2", a1), ("staff_a1", b1), ("dept_a", b1), ("dept_b", a1)):
        assert call("get", f"{BASE}/{hidden.pk}", token_for(people[who])).status_code == 404
    read = call("get", f"{BASE}/{b1.pk}", token_for(people["staff_b1"]))
    assert b'"amount":2000.50' in read.content and exact(read)["owner"] == "finance"
    finance = token_for(people["finance"])
    assert [i["id"] for i in exact(call("get", BASE, finance, kind="reduce"))["items"]] == [b1.pk]
    assert [i["id"] for i in exact(call("get", BASE, finance, department=forms["a1"].department_id))["items"]] == [
        a1.pk
    ]
    assert exact(call("get", BASE, finance, overdue="true"))["count"] == 0
    MonitoringAction.objects.filter(pk=a1.pk).update(due=timezone.localdate() - timedelta(days=1))
    late = exact(call("get", BASE, finance, overdue="true"))
    assert [i["id"] for i in late["items"]] == [a1.pk] and late["items"][0]["overdue"] is True


def test_raising_is_checked_as_on_the_page(people: dict[str, Any], forms: dict[str, MonitoringRecord]) -> None:
    """A unit may not raise (403); a form out of scope is 404; a bad due date or amount is 422 naming the field."""
    body = {"record_id": forms["a1"].pk, "kind": "correct", "task": "补足场次。", "due": soon()}
    assert call("post", BASE, token_for(people["staff_a1"]), body).status_code == 403
    assert call("post", BASE, token_for(people["dept_b"]), body).status_code == 404
    dept = token_for(people["dept_a"])
    past = call("post", BASE, dept, body | {"due": (timezone.localdate() - timedelta(days=1)).isoformat()})
    assert past.status_code == 422 and "早于今天" in past.content.decode()
    reduce = call("post", BASE, dept, body | {"kind": "reduce", "reason": "结余"})
    assert reduce.status_code == 422 and "建议金额" in reduce.content.decode()
    assert call("post", BASE, dept, body | {"amount": "1.234", "kind": "reduce"}).status_code == 422
    assert not MonitoringAction.objects.exists()
