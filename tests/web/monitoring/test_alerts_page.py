"""The alerts list (运行监控预警) as reviewers use it: the filters chosen on the page as it renders them."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from jixiao.core.workflow import Action
from jixiao.web.monitoring import services
from jixiao.web.monitoring.models import MonitoringFinding, MonitoringRound
from tests.web.conftest import ctx
from tests.web.monitoring.conftest import ROWS, fill, open_all, record_of
from tests.web.posting import form_data

pytestmark = pytest.mark.django_db
ALERTS = "/work/monitoring/alerts/"


@pytest.fixture
def world(people: dict[str, Any], approved: dict[str, Any]) -> dict[str, Any]:
    """The finance bureau's round: A1's and B1's forms filed (behind the schedule), A2's a draft with alerts."""
    round_ = open_all(people)
    MonitoringRound.objects.filter(pk=round_.pk).update(due=timezone.localdate() + timedelta(days=30))
    recs = {key: record_of(round_, approved[key]) for key in ("a1", "a2", "b1")}
    for key in ("a1", "b1"):
        staff = people[f"staff_{key}"]
        recs[key] = services.act(ctx(staff), fill(recs[key], staff), Action.SUBMIT)
    return {"round": round_, "records": recs}


def option(html: str, name: str, label: str) -> str:
    """The value of the option labelled ``label`` in the page's select ``name`` (as a person picks it)."""
    select = re.search(rf'<select name="{name}">(.*?)</select>', html, re.S)
    assert select, f"the page has no select {name}"
    found = re.search(rf'<option value="([^"]*)"[^>]*>{re.escape(label)}</option>', select.group(1))
    assert found, f"{name} offers no {label}"
    return found.group(1)


def listed(html: str) -> list[tuple[str, str]]:
    """The rows of the alerts table: (link, project) each."""
    table = re.search(r'<table class="list" id="alerts">(.*?)</table>', html, re.S)
    return re.findall(r'<tr><td><a href="([^"]+)">([^<]+)</a>', table.group(1)) if table else []


def test_a_department_filters_its_alerts_and_opens_the_row(
    login: Any, people: dict[str, Any], world: dict[str, Any]
) -> None:
    """Department A sees its filed form's alerts only; picks a kind; the link opens the form at the row."""
    client = login(people["dept_a"])
    page = client.get("/work/monitoring/").content.decode()
    assert f'href="{ALERTS}"' in page  # the rounds page links the list for reviewers
    html = client.get(ALERTS).content.decode()
    assert '<select name="department">' not in html  # a department sees its own units only: nothing to choose
    rows = listed(html)
    a1 = world["records"]["a1"]
    assert rows and {link.split("#")[0] for link, _ in rows} == {f"/work/monitoring/records/{a1.pk}/"}
    data = form_data(
        html,
        "alert-filters",
        round=option(html, "round", str(world["round"])),
        code=option(html, "code", "预算执行进度落后于序时进度"),
    )
    narrowed = client.get(ALERTS, data).content.decode()
    assert [link for link, _ in listed(narrowed)] == [f"/work/monitoring/records/{a1.pk}/#findings"]
    assert "落后 13.34 个百分点" in narrowed  # 45.00% against 58.33…%, rounded up as the review writes it
    # a row's alert opens the form at its row
    by_row = [link for link, _ in rows if "#row-" in link]
    assert by_row
    path, anchor = by_row[0].split("#")
    assert f'id="{anchor}"' in client.get(path).content.decode()


def test_the_finance_bureau_filters_by_department_and_severity(
    login: Any, people: dict[str, Any], world: dict[str, Any]
) -> None:
    """Finance sees both departments' filed forms; the department and severity chosen on the page narrow it."""
    client = login(people["finance"])
    html = client.get(ALERTS).content.decode()
    a1, b1 = world["records"]["a1"], world["records"]["b1"]
    assert {link.split("#")[0] for link, _ in listed(html)} == {
        f"/work/monitoring/records/{a1.pk}/",
        f"/work/monitoring/records/{b1.pk}/",
    }
    # the approved targets' own findings are a kind to choose too
    vague = form_data(html, "alert-filters", code=option(html, "code", "指标值模糊、不可衡量"))
    narrowed = client.get(ALERTS, vague).content.decode()
    kinds = re.findall(r"<td>([^<]+)</td><td>业务能力提升情况</td>", narrowed)  # (kind, indicator) cells
    assert len(listed(narrowed)) == 2 and kinds == ["指标值模糊、不可衡量"] * 2  # one in each filed form
    data = form_data(html, "alert-filters", department=option(html, "department", "测试市教育局"))
    only_b = listed(client.get(ALERTS, data).content.decode())
    assert only_b and {link.split("#")[0] for link, _ in only_b} == {f"/work/monitoring/records/{b1.pk}/"}
    # B1's form comes back and its unit forecasts the first row in another unit (场, the target counts 次):
    # a note (提示) that the two cannot be compared, which the list shows only when 提示 is chosen
    b1 = services.act(ctx(people["dept_b"]), b1, Action.RETURN, "请核对预计完成值。")
    first, *others = (
        services.MonitoringRowInput(r.indicator_id, *ROWS[n]) for n, r in enumerate(b1.rows.order_by("position"))
    )
    first = replace(first, forecast="4场")
    b1 = services.update_record(ctx(people["staff_b1"]), b1, b1.version, {}, [first, *others])
    services.act(ctx(people["staff_b1"]), b1, Action.SUBMIT)
    assert MonitoringFinding.objects.filter(record=b1, severity="info").count() == 1
    assert f"/work/monitoring/records/{b1.pk}/#row-0" not in client.get(ALERTS).content.decode()
    data = form_data(html, "alert-filters", severity=option(html, "severity", "提示"))
    infos = client.get(ALERTS, data).content.decode()
    assert [link for link, _ in listed(infos)] == [f"/work/monitoring/records/{b1.pk}/#row-0"]
    assert "sev-info" in infos and 'class="sev-warning"' not in infos and 'class="sev-error"' not in infos


def test_a_draft_s_alerts_stay_with_its_unit(login: Any, people: dict[str, Any], world: dict[str, Any]) -> None:
    """A2's draft has alerts, which no reviewer lists; a unit is sent to its own forms instead (403)."""
    a2 = world["records"]["a2"]
    assert MonitoringFinding.objects.filter(record=a2, severity="warning").exists()
    for who in ("dept_a", "finance"):
        html = login(people[who]).get(ALERTS).content.decode()
        assert f"/work/monitoring/records/{a2.pk}/" not in html
    refused = login(people["staff_a2"]).get(ALERTS)
    assert refused.status_code == 403
    assert "单位请在本单位的监控表中查看预警" in refused.content.decode()


def test_a_filter_the_page_does_not_offer_is_no_filter(
    login: Any, people: dict[str, Any], world: dict[str, Any]
) -> None:
    """A typed-in code, severity or id that the form never offers lists as if unfiltered, never a 500."""
    client = login(people["finance"])
    everything = listed(client.get(ALERTS).content.decode())
    odd = client.get(
        ALERTS, {"code": "<script>", "severity": "fatal", "round": "x", "department": "99999999999999999999"}
    )
    assert odd.status_code == 200 and listed(odd.content.decode()) == everything
    other_dept = form_data(client.get(ALERTS).content.decode(), "alert-filters", department="")
    assert listed(client.get(ALERTS, other_dept).content.decode()) == everything
