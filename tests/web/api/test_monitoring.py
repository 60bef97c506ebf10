"""The monitoring API (``/api/v1/monitoring/``) as a program uses it: read, save, review, alerts, within scope."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from jixiao.core.workflow import Action, State
from jixiao.web.audit.models import AuditEvent
from jixiao.web.monitoring import services
from jixiao.web.monitoring.models import MonitoringRecord, MonitoringRound
from tests.web.conftest import ctx
from tests.web.monitoring.conftest import approved, fill, open_all, record_of
from tests.web.test_api import call, token_for

__all__ = ["approved"]  # the fixture, imported for pytest
pytestmark = pytest.mark.django_db
BASE = "/api/v1/monitoring"


def exact(response: Any) -> Any:
    """The answer's JSON with its numbers as decimals (as a program keeping them exact reads them)."""
    return json.loads(response.content, parse_float=Decimal)


@pytest.fixture
def world(people: dict[str, Any], approved: dict[str, Any]) -> dict[str, Any]:
    """The finance bureau's round over all: A1's form filled and submitted, A2's a draft, B1's submitted."""
    round_ = open_all(people)
    # due a month from today: filed now is in time (the conftest's date has long passed)
    MonitoringRound.objects.filter(pk=round_.pk).update(due=timezone.localdate() + timedelta(days=30))
    round_.refresh_from_db()
    recs = {key: record_of(round_, approved[key]) for key in ("a1", "a2", "b1")}
    for key in ("a1", "b1"):
        staff = people[f"staff_{key}"]
        recs[key] = services.act(ctx(staff), fill(recs[key], staff), Action.SUBMIT)
    return {"round": round_, "records": recs}


def tokens(people: dict[str, Any], *names: str) -> dict[str, str]:
    return {name: token_for(people[name]) for name in names}


def test_rounds_list_and_detail_with_progress(people: dict[str, Any], world: dict[str, Any]) -> None:
    """The round's progress counts the department's draft as not filed, without showing it; finance sees all."""
    t = tokens(people, "finance", "dept_a")
    listed = exact(call("get", f"{BASE}/rounds", t["dept_a"]))
    assert listed["count"] == 1 and listed["items"][0]["id"] == world["round"].pk
    assert listed["items"][0]["as_of"] == "2025-07-31" and listed["items"][0]["all_departments"] is True
    detail = exact(call("get", f"{BASE}/rounds/{world['round'].pk}", t["dept_a"]))
    lines = {line["department"]: line for line in detail["progress"]}
    assert set(lines) == {"测试市医疗保障局", "合计"}  # a department counts only its own units
    own = lines["测试市医疗保障局"]
    assert (own["total"], own["filed"], own["unfiled"], own["late"], own["approved"]) == (2, 1, 1, 0, 0)
    counted = MonitoringRecord.objects.filter(department=world["records"]["a1"].department_id)
    assert own["alerts"] == sum(r.warnings + r.errors for r in counted) > 0  # the draft's alerts counted too
    assert detail["schedule"] == {"schedule_pct": Decimal("58.33"), "alert_pct": Decimal("48.33"), "method": "months"}
    everything = exact(call("get", f"{BASE}/rounds/{world['round'].pk}", t["finance"]))
    assert sorted(line["department"] for line in everything["progress"][:-1]) == ["测试市医疗保障局", "测试市教育局"]
    assert everything["progress"][-1]["department"] == "合计"
    assert everything["progress"][-1]["total"] == 3 and everything["progress"][-1]["filed"] == 2


def test_records_of_a_round_filtered(people: dict[str, Any], world: dict[str, Any]) -> None:
    """Filters by department, unit, state, alerts and lateness; money as stored, exact, with its rate."""
    finance = token_for(people["finance"])
    path = f"{BASE}/rounds/{world['round'].pk}/records"
    everything = exact(call("get", path, finance))
    assert everything["count"] == 2  # the finance bureau never sees A2's draft
    item = everything["items"][0]
    assert item["budget_total"] == Decimal("100000.00") and item["execution_rate"] == Decimal("45.00")
    assert b'"budget_total":100000.00' in call("get", path, finance).content  # the digits stored, no float
    a = tree_ids(world)
    assert [i["id"] for i in exact(call("get", path, finance, department=a["dept_a"]))["items"]] == [a["a1"]]
    assert [i["id"] for i in exact(call("get", path, finance, unit=a["unit_b1"]))["items"]] == [a["b1"]]
    assert exact(call("get", path, finance, state="draft"))["count"] == 0
    assert exact(call("get", path, finance, state="submitted"))["count"] == 2
    assert exact(call("get", path, finance, late="true"))["count"] == 0
    alerted = exact(call("get", path, finance, has_alerts="true"))["items"]
    assert all(i["warnings"] + i["errors"] > 0 for i in alerted)
    quiet = exact(call("get", path, finance, has_alerts="false"))["items"]
    assert len(alerted) + len(quiet) == 2 and all(i["warnings"] + i["errors"] == 0 for i in quiet)
    # A1's form had been filed the day after the due date: it alone is late
    after = world["round"].due + timedelta(days=1)
    MonitoringRecord.objects.filter(pk=a["a1"]).update(submitted_at=f"{after.isoformat()}T10:00:00+08:00")
    assert [i["id"] for i in exact(call("get", path, finance, late="true"))["items"]] == [a["a1"]]
    assert exact(call("get", path, finance, state="nonsense")).get("code") == "invalid"


def tree_ids(world: dict[str, Any]) -> dict[str, int]:
    recs = world["records"]
    return {
        "a1": recs["a1"].pk,
        "b1": recs["b1"].pk,
        "dept_a": recs["a1"].department_id,
        "unit_b1": recs["b1"].unit_id,
    }


def test_a_record_with_rows_findings_and_history(people: dict[str, Any], world: dict[str, Any]) -> None:
    """Header, the approved indicators with their monitoring, the findings by row, and the review history."""
    rec = world["records"]["a1"]
    body = exact(call("get", f"{BASE}/records/{rec.pk}", token_for(people["dept_a"])))
    assert body["state"] == "submitted" and body["version"] == rec.version
    assert body["as_of"] == "2025-07-31" and body["goal"].startswith("全年组织业务培训4次")
    assert [r["name"] for r in body["rows"]] == ["培训场次", "培训合格率", "业务能力提升情况", "参训人员满意度"]
    assert body["rows"][3]["cause"] == ["人员保障"] and body["rows"][3]["remedy"] == "下半年补训"
    assert body["rows"][0]["target"] == "≥4(次)" and body["rows"][0]["actual"] == "2次"
    assert [h["action"] for h in body["history"]] == ["submit"] and body["history"][0]["by"] == "staff_a1"
    codes = {f["code"] for f in body["findings"]}
    assert "execution-behind-schedule" in codes  # 45.00% against 58.33% by July's end, margin 10
    behind = next(f for f in body["findings"] if f["code"] == "execution-behind-schedule")
    assert "45.00%" in behind["message"] and "58.33%" in behind["message"]


def test_scope_unit_department_finance(people: dict[str, Any], world: dict[str, Any]) -> None:
    """A unit reads its own record, not another unit's; a department its units'; finance all (drafts aside)."""
    recs = world["records"]
    t = tokens(people, "staff_a1", "staff_a2", "dept_a", "dept_b", "finance")

    def status(who: str, key: str) -> int:
        return int(call("get", f"{BASE}/records/{recs[key].pk}", t[who]).status_code)

    assert status("staff_a1", "a1") == 200 and status("staff_a1", "b1") == 404 and status("staff_a1", "a2") == 404
    assert status("staff_a2", "a2") == 200 and status("staff_a2", "a1") == 404
    assert status("dept_a", "a1") == 200 and status("dept_a", "b1") == 404 and status("dept_a", "a2") == 404
    assert status("dept_b", "b1") == 200 and status("dept_b", "a1") == 404
    assert status("finance", "a1") == 200 and status("finance", "b1") == 200 and status("finance", "a2") == 404
    assert call("get", f"{BASE}/records/{recs['a1'].pk}", None).status_code == 401
    # lists obey the same scope
    listed = exact(call("get", f"{BASE}/rounds/{world['round'].pk}/records", t["dept_b"]))
    assert [i["id"] for i in listed["items"]] == [recs["b1"].pk]
    mine = exact(call("get", f"{BASE}/rounds/{world['round'].pk}/records", t["staff_a2"]))
    assert [(i["id"], i["state"]) for i in mine["items"]] == [(recs["a2"].pk, "draft")]
    alerts = exact(call("get", f"{BASE}/alerts", t["dept_b"]))
    assert alerts["count"] > 0 and {a["record_id"] for a in alerts["items"]} == {recs["b1"].pk}


def audited(rec: MonitoringRecord, event: str) -> int:
    """How many audit events of ``event`` name the record."""
    return AuditEvent.objects.filter(
        event=event, object_type="monitoring.monitoringrecord", object_id=str(rec.pk)
    ).count()


def _save_body(rec: MonitoringRecord, **header: Any) -> dict[str, Any]:
    rows = [
        {"indicator_id": r.indicator_id, "actual": "3次", "forecast": "4次", "likelihood": "确定能"}
        for r in rec.rows.order_by("position")
    ]
    return {"version": rec.version, "rows": rows, **header}


def test_a_unit_saves_twice_and_a_stale_save_is_409(
    people: dict[str, Any], world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save changes what is sent, keeps what is not, audits; the same version sent again is refused (409)."""
    rec = world["records"]["a2"]
    token = token_for(people["staff_a2"])
    received: list[dict[str, Any]] = []
    real = services.update_record

    def update_record(*args: Any) -> Any:  # the service itself, with what it was handed noted
        received.append(args[3])
        return real(*args)

    monkeypatch.setattr(services, "update_record", update_record)
    # the numbers as a program writes them: JSON numbers with 18 digits, which a float would round
    text = json.dumps(_save_body(rec), ensure_ascii=False)[:-1]
    text += ', "budget_total": 1234567890123456.78, "executed_to_date": 600000000000000.01}'
    first = call("patch", f"{BASE}/records/{rec.pk}", token, text)
    assert first.status_code == 200, first.content
    assert exact(first)["version"] == rec.version + 1
    # exact to the fen as sent (a float reads 1234567890123456.8); SQLite keeps 15 digits, PostgreSQL all
    assert received[0]["budget_total"] == Decimal("1234567890123456.78")
    assert received[0]["executed_to_date"] == Decimal("600000000000000.01")
    rec.refresh_from_db()
    assert rec.executed_to_date is not None and rec.rows.first().actual == "3次"
    if connection.vendor == "postgresql":  # a numeric column keeps every digit
        assert rec.budget_total == Decimal("1234567890123456.78")
    assert audited(rec, AuditEvent.Type.UPDATE) == 1
    second = call("patch", f"{BASE}/records/{rec.pk}", token, {"version": rec.version, "outcome": "已培训3次。"})
    assert second.status_code == 200
    rec.refresh_from_db()
    assert rec.outcome == "已培训3次。" and rec.budget_total is not None  # kept
    assert set(received[1]) == {"outcome"}
    stale = call("patch", f"{BASE}/records/{rec.pk}", token, {"version": rec.version - 1, "outcome": "旧的"})
    assert stale.status_code == 409
    answer = exact(stale)
    assert answer["code"] == "conflict" and answer["details"]["current_version"] == rec.version
    rec.refresh_from_db()
    assert rec.outcome == "已培训3次。"
    assert audited(rec, AuditEvent.Type.UPDATE) == 2 and audited(rec, AuditEvent.Type.CONFLICT) == 1


@pytest.mark.parametrize(
    ("body", "field", "said"),
    [
        ({"budget_total": -1}, "budget_total", "budget_total：应大于或等于 0。"),
        ({"executed_to_date": 12.345}, "executed_to_date", "executed_to_date：小数最多 2 位（金额精确到分）。"),
        ({"forecast_total": 10**17}, "forecast_total", "forecast_total：整数部分最多 16 位。"),
        ({"rows": [{"indicator_id": 1, "likelihood": "大概能"}]}, "likelihood", "rows[0].likelihood：应为以下之一"),
        ({"rows": [{"indicator_id": 1, "cause": ["天气"]}]}, "cause", "rows[0].cause[0]：应为以下之一"),
    ],
)
def test_a_refused_value_is_422_naming_its_field(
    people: dict[str, Any], world: dict[str, Any], body: dict[str, Any], field: str, said: str
) -> None:
    """A negative amount, a third decimal, too many digits, a choice the form lacks: 422, the field named."""
    rec = world["records"]["a2"]
    answer = call("patch", f"{BASE}/records/{rec.pk}", token_for(people["staff_a2"]), {"version": rec.version, **body})
    assert answer.status_code == 422
    problems = exact(answer)["details"]
    assert any(field in problem["loc"] for problem in problems), problems
    assert any(problem["message"].startswith(said) for problem in problems), problems  # in Chinese, with its place
    rec.refresh_from_db()
    assert rec.version == world["records"]["a2"].version  # nothing saved


def test_the_services_refusal_is_422_with_its_words(people: dict[str, Any], world: dict[str, Any]) -> None:
    """A year's forecast below what is paid: refused by the service, in Chinese, naming both figures."""
    rec = world["records"]["a2"]
    body = {"version": rec.version, "executed_to_date": "500.00", "forecast_total": "400.00"}
    answer = call("patch", f"{BASE}/records/{rec.pk}", token_for(people["staff_a2"]), body)
    assert answer.status_code == 422
    assert "全年预计执行数 400.00 小于截至监控日执行数 500.00" in exact(answer)["message"]


def test_others_may_not_save(people: dict[str, Any], world: dict[str, Any]) -> None:
    """The department reads A1's submitted form but may not save it (403, audited); B1's staff cannot see it."""
    rec = world["records"]["a1"]
    refused = call("patch", f"{BASE}/records/{rec.pk}", token_for(people["dept_a"]), {"version": rec.version})
    assert refused.status_code == 403
    assert AuditEvent.objects.filter(event=AuditEvent.Type.DENIED).exists()
    assert call("patch", f"{BASE}/records/{rec.pk}", token_for(people["staff_b1"]), {"version": 1}).status_code == 404


def test_review_steps_return_fix_and_approve(people: dict[str, Any], world: dict[str, Any]) -> None:
    """The department returns with a comment (none: 422), the unit fixes and resubmits, both approve."""
    rec = world["records"]["a1"]
    dept, staff, finance = (token_for(people[n]) for n in ("dept_a", "staff_a1", "finance"))
    act = f"{BASE}/records/{rec.pk}/actions"
    assert call("post", f"{act}/return", dept, {"version": rec.version}).status_code == 422  # no comment
    stale = call("post", f"{act}/return", dept, {"version": rec.version - 1, "comment": "请补充"})
    assert stale.status_code == 409
    returned = exact(call("post", f"{act}/return", dept, {"version": rec.version, "comment": "请补充纠偏措施。"}))
    assert returned["state"] == "returned" and returned["kind"] == "monitoring"
    fixed = exact(
        call("patch", f"{BASE}/records/{rec.pk}", staff, {"version": returned["version"], "outcome": "已补充。"})
    )
    assert fixed["state"] == "returned"
    submitted = exact(call("post", f"{act}/submit", staff, {"version": fixed["version"]}))
    assert submitted["state"] == "submitted"
    assert call("post", f"{act}/approve", staff, {}).status_code == 403
    assert exact(call("post", f"{act}/approve", dept))["state"] == "dept_approved"
    assert exact(call("post", f"{act}/approve", finance))["state"] == State.APPROVED.value
    history = exact(call("get", f"{BASE}/records/{rec.pk}", staff))["history"]
    assert [h["action"] for h in history] == ["submit", "return", "submit", "dept_approve", "finance_approve"]
    assert history[1]["comment"] == "请补充纠偏措施。"
    assert call("post", f"{act}/publish", finance).status_code == 422  # a monitoring form is never published


def test_alerts_filtered(people: dict[str, Any], world: dict[str, Any]) -> None:
    """The alerts list by round, department, code and severity, each linking to its record's row."""
    finance = token_for(people["finance"])
    everything = exact(call("get", f"{BASE}/alerts", finance))
    assert everything["count"] > 0 and {a["severity"] for a in everything["items"]} <= {"error", "warning"}
    behind = exact(call("get", f"{BASE}/alerts", finance, code="execution-behind-schedule"))
    assert behind["count"] == 2 and {a["title"] for a in behind["items"]} == {"预算执行进度落后于序时进度"}
    a_only = exact(call("get", f"{BASE}/alerts", finance, department=world["records"]["a1"].department_id))
    assert {a["department"] for a in a_only["items"]} == {"测试市医疗保障局"}
    assert exact(call("get", f"{BASE}/alerts", finance, round=world["round"].pk))["count"] == everything["count"]
    assert exact(call("get", f"{BASE}/alerts", finance, round=world["round"].pk + 1))["count"] == 0
    rows = [a for a in everything["items"] if a["indicator_index"] is not None]
    for a in rows:
        assert a["url"] == f"/work/monitoring/records/{a['record_id']}/#row-{a['indicator_index']}"
    warnings = exact(call("get", f"{BASE}/alerts", finance, severity="warning"))
    assert warnings["count"] > 0 and {a["severity"] for a in warnings["items"]} == {"warning"}
    assert call("get", f"{BASE}/alerts", finance, severity="bad").status_code == 422
    paged = exact(call("get", f"{BASE}/alerts", finance, limit=1, offset=1))
    assert paged["count"] == everything["count"] and paged["items"] == everything["items"][1:2]
