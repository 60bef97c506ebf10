"""The 整改 API (``/api/v1/rectifications/``) as a program uses it: list and filter, detail, answer, accept, reopen."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context
from jixiao.web.rectification import services
from jixiao.web.rectification.models import Rectification
from tests.web.conftest import declare
from tests.web.rectification.conftest import soon
from tests.web.test_api import call, token_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/rectifications"


@pytest.fixture
def item(tree: Any, people: dict[str, Any]) -> Rectification:
    decl = declare(people["staff_a1"], tree.unit_a1)
    new = services.NewItem(decl.project_id, 2025, "补办培训3次。", soon())
    return services.open_item(Context(user=people["dept_a"], ip="127.0.0.1"), new)


def test_answer_reopen_answer_accept_through_the_api(people: dict[str, Any], item: Rectification) -> None:
    """Each step through the services: the same refusals in Chinese, the same audit events as the pages."""
    unit, dept = token_for(people["staff_a1"]), token_for(people["dept_a"])
    empty = call("post", f"{BASE}/{item.pk}/answer", unit, {"answer": ""})
    assert empty.status_code == 422 and "answer" in empty.content.decode()
    answered = call("post", f"{BASE}/{item.pk}/answer", unit, {"answer": "已补办。"})
    assert answered.status_code == 200 and answered.json()["state"] == "submitted"
    assert call("post", f"{BASE}/{item.pk}/accept", unit, {}).status_code == 403  # never its own answer
    no_reason = call("post", f"{BASE}/{item.pk}/reopen", dept, {"comment": " "})
    assert no_reason.status_code == 422 and "退回理由" in no_reason.json()["message"]
    assert call("post", f"{BASE}/{item.pk}/reopen", dept, {"comment": "请补充签到表。"}).json()["state"] == "reopened"
    call("post", f"{BASE}/{item.pk}/answer", unit, {"answer": "补充了签到表。"})
    accepted = call("post", f"{BASE}/{item.pk}/accept", dept, {"comment": "已核实。"})
    assert accepted.status_code == 200 and accepted.json()["state_label"] == "已验收"
    detail = call("get", f"{BASE}/{item.pk}", unit).json()
    assert [s["step"] for s in detail["steps"]] == ["open", "submit", "reopen", "submit", "accept"]
    events = AuditEvent.objects.filter(object_type="rectification.rectification").order_by("pk")
    assert [e.event for e in events] == ["create", "submit", "return", "submit", "approve"]
    assert call("post", f"{BASE}/{item.pk}/cancel", dept, {"comment": "撤销"}).status_code == 403  # closed


def test_the_list_filters(people: dict[str, Any], item: Rectification) -> None:
    """By state, year, project, department and overdue; a bad filter is 422."""
    finance = token_for(people["finance"])
    assert call("get", BASE, finance, state="open").json()["count"] == 1
    assert call("get", BASE, finance, state="accepted").json()["count"] == 0
    assert call("get", BASE, finance, year=2024).json()["count"] == 0
    assert call("get", BASE, finance, project=item.project_id, department=item.department_id).json()["count"] == 1
    assert call("get", BASE, finance, overdue="true").json()["count"] == 0
    Rectification.objects.filter(pk=item.pk).update(due=timezone.localdate() - timedelta(days=1))
    late = call("get", BASE, finance, overdue="true").json()
    assert late["count"] == 1 and late["items"][0]["overdue"] is True
    assert call("get", BASE, finance, state="done").status_code == 422
