"""The monitoring pages used as a person uses them: the form posted as rendered, saved twice, returned and fixed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from jixiao.core.workflow import State
from jixiao.web.monitoring.models import MonitoringRecord, MonitoringRound
from tests.web.monitoring.conftest import open_all, record_of
from tests.web.posting import form_entries

pytestmark = pytest.mark.django_db

TYPED_ROWS = [
    {"actual": "2次", "forecast": "4次", "likelihood": "确定能"},
    {"actual": "92%", "forecast": "≥90%", "likelihood": "确定能"},
    {"actual": "初步提升", "forecast": "有效提升", "likelihood": "确定能"},
    {"actual": "80%", "forecast": "85%", "likelihood": "有可能", "deviation": "部分学员未参训", "remedy": "下半年补训"},
]
MONEY = {"budget_total": "100000.00", "executed_to_date": "45000.00", "forecast_total": "98000.00"}


def _posted(page: str, typed: dict[str, str], ticked: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The form as a browser sends it with ``typed`` changed and the boxes ``ticked`` (name -> values)."""
    data: dict[str, Any] = {}
    for name, value in form_entries(page, "monitoring-form"):
        data.setdefault(name, []).append(value)
    for name, value in typed.items():
        assert name in data, f"the form has no field {name}"
        data[name] = [value]
    for name, values in (ticked or {}).items():
        assert f'name="{name}"' in page, f"the form has no boxes {name}"
        data[name] = values
    return data


def _filled(page: str, **more: str) -> dict[str, Any]:
    typed = dict(MONEY, outcome="已组织培训2次，合格率92%。")
    for n, row in enumerate(TYPED_ROWS):
        typed |= {f"row-{n}-{k}": v for k, v in row.items()}
    return _posted(page, typed | more, {"row-3-cause": ["人员保障", "其他"]})


def test_the_finance_bureau_opens_a_round_on_its_page(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """The open-round form as rendered, with one department ticked; a wrong date comes back with what to fix."""
    finance = login(people["finance"])
    page = finance.get("/work/monitoring/").content.decode()
    data: dict[str, Any] = {
        "year": "2025",
        "as_of": "2024-07-31",
        "due": "2025-08-15",
        "departments": [str(tree.dept_a.pk)],
    }
    assert 'id="open-round-form"' in page and f'value="{tree.dept_a.pk}"' in page
    refused = finance.post("/work/monitoring/", data)
    assert refused.status_code == 200 and "不在 2025 年度内" in refused.content.decode()
    assert not MonitoringRound.objects.exists()
    done = finance.post("/work/monitoring/", data | {"as_of": "2025-07-31"}, follow=True)
    assert "已发起监控，生成 2 张监控表。" in done.content.decode()
    round_ = MonitoringRound.objects.get()
    assert {r.unit for r in MonitoringRecord.objects.filter(round=round_)} == {tree.unit_a1, tree.unit_a2}
    assert "填报进度" in done.content.decode()


def test_a_unit_sees_its_open_form_on_the_home_page(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """The unit's home page lists its open monitoring form with the due date; another unit's is not there."""
    rec = record_of(open_all(people), approved["a1"])
    home = login(people["staff_a1"]).get("/work/").content.decode()
    assert "绩效运行监控" in home and f"/work/monitoring/records/{rec.pk}/edit/" in home and "2025年8月15日" in home
    other = record_of(rec.round, approved["a2"])
    assert f"/work/monitoring/records/{other.pk}/" not in home


def test_fill_save_twice_submit_return_fix_approve(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """The whole life of a form through its pages, each post the form as the page renders it."""
    rec = record_of(open_all(people), approved["a1"])
    staff = login(people["staff_a1"])
    url = f"/work/monitoring/records/{rec.pk}/edit/"
    page = staff.get(url).content.decode()
    assert "培训场次" in page and "≥4(次)" in page  # the approved target, shown
    assert 'name="row-0-target"' not in page  # and never posted
    response = staff.post(url, _filled(page) | {"save": [""]})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert (rec.version, str(rec.executed_to_date)) == (2, "45000.00")
    assert list(rec.rows.all())[3].cause == ["人员保障", "其他"]
    # saved again as it comes back: nothing changes but the version, the boxes stay ticked
    page = staff.get(url).content.decode()
    assert page.count("checked") == 2
    staff.post(url, _posted(page, {}) | {"save": [""]})
    rec.refresh_from_db()
    assert rec.version == 3 and list(rec.rows.all())[3].cause == ["人员保障", "其他"]
    assert str(rec.forecast_total) == "98000.00" and rec.rows.first().likelihood == "确定能"
    page = staff.get(url).content.decode()
    staff.post(url, _posted(page, {}) | {"submit": [""]})
    rec.refresh_from_db()
    assert rec.state == State.SUBMITTED.value
    # the department finds it on its home page and returns it with a comment, from the record page's own form
    dept = login(people["dept_a"])
    assert f"/work/monitoring/records/{rec.pk}/" in dept.get("/work/").content.decode()
    detail = dept.get(f"/work/monitoring/records/{rec.pk}/").content.decode()
    assert f"/work/monitoring/records/{rec.pk}/act/return/" in detail
    dept.post(f"/work/monitoring/records/{rec.pk}/act/return/", {"comment": "第4行请补充纠偏的时间安排"})
    rec.refresh_from_db()
    assert rec.state == State.RETURNED.value
    page = staff.get(url).content.decode()
    assert "第4行请补充纠偏的时间安排" in page
    staff.post(url, _posted(page, {"row-3-remedy": "9月底前补训2次"}) | {"submit": [""]})
    rec.refresh_from_db()
    assert rec.state == State.SUBMITTED.value and list(rec.rows.all())[3].remedy == "9月底前补训2次"
    dept.post(f"/work/monitoring/records/{rec.pk}/act/dept_approve/", {"comment": ""})
    login(people["finance"]).post(f"/work/monitoring/records/{rec.pk}/act/finance_approve/", {"comment": ""})
    rec.refresh_from_db()
    assert rec.state == State.APPROVED.value
    history = login(people["finance"]).get(f"/work/monitoring/records/{rec.pk}/").content.decode()
    assert "第4行请补充纠偏的时间安排" in history and "财政批复" in history


def test_a_refused_save_keeps_what_was_typed_and_stores_nothing(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """A negative amount and three decimals: listed at the top with their fields; the page keeps what was typed."""
    rec = record_of(open_all(people), approved["a1"])
    staff = login(people["staff_a1"])
    url = f"/work/monitoring/records/{rec.pk}/edit/"
    page = staff.get(url).content.decode()
    data = _filled(page, executed_to_date="-5", forecast_total="98000.005")
    response = staff.post(url, data | {"save": [""]})
    assert response.status_code == 200
    page = response.content.decode()
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_executed_to_date"' in summary and 'href="#id_forecast_total"' in summary
    assert 'value="2次"' in page  # what was typed is still there
    rec.refresh_from_db()
    assert rec.version == 1 and rec.executed_to_date is None and rec.rows.first().actual == ""
    # the forecast below what is paid is refused by the service, said on the page
    response = staff.post(url, _filled(page, forecast_total="40000.00") | {"save": [""]})
    assert "全年预计执行数 40000.00 小于截至监控日执行数 45000.00" in response.content.decode()
    rec.refresh_from_db()
    assert rec.version == 1


def test_the_preview_follows_what_is_typed(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """The live checks read the form as posted: the rate, the money warning, and the rows' findings; nothing saved."""
    rec = record_of(open_all(people), approved["a1"])
    staff = login(people["staff_a1"])
    page = staff.get(f"/work/monitoring/records/{rec.pk}/edit/").content.decode()
    data = _filled(page, executed_to_date="120000.00", forecast_total="130000.00")
    response = staff.post(f"/work/monitoring/records/{rec.pk}/preview/", data)
    body = json.loads(response.content)
    assert body["rate"] == "120.00"
    assert body["warnings"] == [
        "截至监控日执行数 120000.00 超过年度预算数 100000.00，请核对或说明。",
        "全年预计执行数 130000.00 超过年度预算数 100000.00，请核对或说明。",
    ]
    assert set(body["row_findings"]) <= {"0", "1", "2", "3"} and isinstance(body["general_findings"], list)
    rec.refresh_from_db()
    assert rec.version == 1
    # another unit's staff may not read it, even as a preview
    other: Client = login(people["staff_a2"])
    assert other.post(f"/work/monitoring/records/{rec.pk}/preview/", data).status_code == 404


def test_a_department_opens_a_round_for_its_units_on_its_page(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """A department's form has no departments to choose; its round covers its own units; a unit may not post it."""
    dept = login(people["dept_a"])
    page = dept.get("/work/monitoring/").content.decode()
    assert 'id="open-round-form"' in page and 'name="departments"' not in page and "本部门所属单位" in page
    data = {"year": "2025", "as_of": "2025-07-31", "due": "2025-08-15"}
    dept.post("/work/monitoring/", data)
    round_ = MonitoringRound.objects.get()
    assert round_.opened_in == tree.dept_a and list(round_.departments.all()) == [tree.dept_a]
    assert MonitoringRecord.objects.filter(round=round_).count() == 2
    staff = login(people["staff_a1"])
    assert 'id="open-round-form"' not in staff.get("/work/monitoring/").content.decode()
    assert staff.post("/work/monitoring/", data).status_code == 403
    assert MonitoringRound.objects.count() == 1


def test_a_late_form_says_so_on_its_pages(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """Past the due date the form's pages carry the overdue finding; a later due date takes it away."""
    from datetime import date

    from jixiao.web.monitoring import services
    from tests.web.conftest import ctx
    from tests.web.monitoring.conftest import AS_OF

    rec = record_of(open_all(people), approved["a1"])
    staff = login(people["staff_a1"])
    for url in (f"/work/monitoring/records/{rec.pk}/", f"/work/monitoring/records/{rec.pk}/edit/"):
        assert "监控表应于2025年8月15日前报送" in staff.get(url).content.decode()
    services.open_round(ctx(people["finance"]), 2025, AS_OF, date(2099, 12, 31))
    assert "前报送" not in staff.get(f"/work/monitoring/records/{rec.pk}/").content.decode()
