"""The API of deadlines and of a person's own notices (``/api/v1/deadlines``, ``/api/v1/notices``), per role."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from jixiao.web.audit.models import AuditEvent
from jixiao.web.notices.models import Notice
from jixiao.web.notices.services.deadlines import set_deadline
from jixiao.web.notices.services.notices import notify
from tests.web.conftest import ctx
from tests.web.test_api import call, token_for

pytestmark = pytest.mark.django_db


def test_deadlines_each_role_sees_those_binding_it(tree: Any, people: dict[str, Any]) -> None:
    """The bureau's date for all and for a department; a department's for its units and for one unit."""
    set_deadline(ctx(people["finance"]), 2025, "monitoring", date(2025, 8, 20))
    set_deadline(ctx(people["finance"]), 2025, "monitoring", date(2025, 8, 15), department=tree.dept_b)
    set_deadline(ctx(people["dept_a"]), 2025, "monitoring", date(2025, 8, 10), department=tree.dept_a)
    set_deadline(ctx(people["dept_a"]), 2025, "monitoring", date(2025, 8, 5), department=tree.dept_a, unit=tree.unit_a2)

    def seen(who: str, **query: Any) -> set[tuple[str, str]]:
        items = json.loads(call("get", "/api/v1/deadlines", token_for(people[who]), **query).content)["items"]
        return {(i["scope"], i["due"]) for i in items}

    everyone = ("全部主管部门", "2025-08-20")
    dept_a = ("测试市医疗保障局（全部所属单位）", "2025-08-10")
    a2 = ("测试市医保监督所", "2025-08-05")
    dept_b = ("测试市教育局（全部所属单位）", "2025-08-15")
    assert seen("finance") == {everyone, dept_a, a2, dept_b}
    assert seen("dept_a") == {everyone, dept_a, a2}
    assert seen("staff_a1") == {everyone, dept_a}  # not A2's own date
    assert seen("staff_a2") == {everyone, dept_a, a2}
    assert seen("staff_b1") == {everyone, dept_b}
    assert seen("finance", year=2024) == set() and seen("finance", stage="declaration") == set()
    bad = call("get", "/api/v1/deadlines", token_for(people["finance"]), stage="audit")
    assert bad.status_code == 422


def test_notices_are_ones_own_and_marked_read(people: dict[str, Any]) -> None:
    """Each person lists only their own notices; marking someone else's id read changes nothing; all at once works."""
    mine = notify([people["staff_a1"]], Notice.Kind.ASSIGNED, "请填报监控表。", "/work/monitoring/records/1/")
    notify([people["staff_a1"]], Notice.Kind.OVERDUE, "监控表已逾期。")
    theirs = notify([people["staff_b1"]], Notice.Kind.RETURNED, "监控表被退回。")
    token = token_for(people["staff_a1"])
    listed = json.loads(call("get", "/api/v1/notices", token).content)
    assert listed["count"] == 2 and listed["unread"] == 2
    assert [i["text"] for i in listed["items"]] == ["监控表已逾期。", "请填报监控表。"]
    assert listed["items"][1]["link"] == "/work/monitoring/records/1/" and listed["items"][1]["kind_label"] == "新任务"
    answer = json.loads(call("post", "/api/v1/notices/read", token, {"ids": [mine[0].pk, theirs[0].pk]}).content)
    assert answer == {"marked": 1, "unread": 1}
    assert Notice.objects.get(pk=theirs[0].pk).read_at is None  # another person's notice untouched
    unread = json.loads(call("get", "/api/v1/notices", token, unread="true").content)
    assert [i["text"] for i in unread["items"]] == ["监控表已逾期。"]
    assert json.loads(call("post", "/api/v1/notices/read", token, {"all": True}).content) == {"marked": 1, "unread": 0}
    assert AuditEvent.objects.filter(event="update", detail__what="notices_read").count() == 2
    others = json.loads(call("get", "/api/v1/notices", token_for(people["staff_b1"])).content)
    assert [i["text"] for i in others["items"]] == ["监控表被退回。"]
    assert call("get", "/api/v1/notices", None).status_code == 401
