"""序时进度: the chart's data judged as the review judges it, the SVG drawn from it, and the page with its table."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from jixiao.core.workflow import Action
from jixiao.web.monitoring import schedule, services
from jixiao.web.monitoring.models import MonitoringFinding, MonitoringRecord, MonitoringRound
from tests.web.conftest import ctx
from tests.web.monitoring.conftest import FILLED, ROWS, open_all, record_of
from tests.web.posting import form_data

pytestmark = pytest.mark.django_db


def filed(rec: MonitoringRecord, staff: Any, executed: str) -> MonitoringRecord:
    """The form filled with ``executed`` paid of a 100,000.00 budget, and submitted."""
    rows = [
        services.MonitoringRowInput(r.indicator_id, *values)
        for r, values in zip(rec.rows.order_by("position"), ROWS, strict=True)
    ]
    data = FILLED | {"executed_to_date": Decimal(executed)}
    saved = services.update_record(ctx(staff), rec, rec.version, data, rows)
    return services.act(ctx(staff), saved, Action.SUBMIT)


@pytest.fixture
def world(people: dict[str, Any], approved: dict[str, Any]) -> dict[str, Any]:
    """By 31 July the schedule is 7/12 = 58.33…%, the alert line 48.33…%: A1 paid 48.33% (behind by 10.003
    points), A2 48.34% (by 9.993: inside the margin), B1 80%."""
    round_ = open_all(people)
    MonitoringRound.objects.filter(pk=round_.pk).update(due=timezone.localdate() + timedelta(days=30))
    round_.refresh_from_db()
    recs = {}
    for key, executed in (("a1", "48330.00"), ("a2", "48340.00"), ("b1", "80000.00")):
        recs[key] = filed(record_of(round_, approved[key]), people[f"staff_{key}"], executed)
    return {"round": round_, "records": recs}


def test_behind_is_the_review_s_own_judgement_at_the_margin(world: dict[str, Any]) -> None:
    """Just behind the margin is behind and alerted; just inside is neither; the order puts the furthest first."""
    round_ = world["round"]
    points = schedule.points(
        MonitoringRecord.objects.filter(round=round_).select_related("round", "unit", "department")
    )
    by_id = {p.record_id: p for p in points}
    a1, a2, b1 = (by_id[world["records"][k].pk] for k in ("a1", "a2", "b1"))
    assert (a1.rate, a2.rate, b1.rate) == (Decimal("48.33"), Decimal("48.34"), Decimal("80.00"))
    assert a1.schedule_shown == Decimal("58.33") and a1.floor_shown == Decimal("48.33")
    assert (a1.behind, a2.behind, b1.behind) == (True, False, False)
    assert (a1.gap, a2.gap, b1.gap) == (Decimal("10.00"), Decimal("9.99"), Decimal("-21.67"))
    for p in points:  # the chart and the stored alert never disagree
        alerted = MonitoringFinding.objects.filter(record_id=p.record_id, code="execution-behind-schedule").exists()
        assert alerted is p.behind
    assert [p.record_id for p in points] == [a1.record_id, a2.record_id, b1.record_id]


def test_the_svg_draws_each_bar_and_one_schedule(world: dict[str, Any]) -> None:
    """One bar per project with a rate, the behind one marked; the schedule and alert lines labelled; text escaped."""
    records = MonitoringRecord.objects.filter(round=world["round"]).select_related("round", "unit", "department")
    points = schedule.points(records)
    points[0] = replace(points[0], project="<script>alert(1)</script>")
    drawn = str(schedule.svg(points))
    assert drawn.startswith('<svg class="schedule-chart"') and drawn.endswith("</svg>")
    assert len(re.findall(r'<rect class="bar', drawn)) == 3 and drawn.count('<rect class="bar behind"') == 1
    assert "序时进度 58.33%" in drawn and "预警线 48.33%" in drawn
    assert "<script>" not in drawn and "&lt;script&gt;" in drawn
    assert str(schedule.svg([replace(p, rate=None) for p in points])) == ""  # nothing to draw yet


def test_projects_under_different_packs_get_their_own_marks(world: dict[str, Any]) -> None:
    """A pack that counts by days puts its project's schedule elsewhere: each bar then carries its own marks."""
    records = MonitoringRecord.objects.filter(round=world["round"]).select_related("round", "unit", "department")
    points = schedule.points(records)
    by_days = replace(points[0], schedule=Decimal("57.81"), floor=Decimal("47.81"))
    drawn = str(schedule.svg([by_days, *points[1:]]))
    assert "schedule-label" not in drawn  # no line across, so no label across
    assert drawn.count('<line class="schedule"') == 3 and drawn.count('<line class="floor"') == 3


def table(html: str) -> list[list[str]]:
    """The schedule table's cells, row by row, as text."""
    body = re.search(r'<table class="list" id="schedule-table">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert body
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows]


def test_the_page_from_the_round_with_its_table(login: Any, people: dict[str, Any], world: dict[str, Any]) -> None:
    """Finance follows the round page's link: the chart and, beside it, every project with its figures."""
    client = login(people["finance"])
    round_page = client.get(f"/work/monitoring/rounds/{world['round'].pk}/").content.decode()
    link = re.search(r'<a class="button" href="([^"]+)">序时进度对照图</a>', round_page)
    assert link
    html = client.get(link.group(1)).content.decode()
    assert 'role="img"' in html and "<script" not in html.split("</main>")[0].split("<main")[-1]
    assert "共 3 个项目，其中 3 个已填报执行数，1 个落后于序时进度超过 10 个百分点" in html
    rows = table(html)
    assert [r[0] for r in rows] == ["业务培训经费"] * 3
    assert rows[0][3:] == ["100,000.00", "48,330.00", "48.33", "58.33", "10.00", "落后，预警"]
    assert rows[1][5:] == ["48.34", "58.33", "9.99", "正常"]
    assert [r[1] for r in rows] == ["测试市医疗保障局", "测试市医疗保障局", "测试市教育局"]
    data = form_data(html, "schedule-filters", department=_option(html, "测试市教育局"))
    narrowed = table(client.get(link.group(1), data).content.decode())
    assert [r[1] for r in narrowed] == ["测试市教育局"]


def _option(html: str, label: str) -> str:
    found = re.search(rf'<option value="(\d+)"[^>]*>{label}</option>', html)
    assert found
    return found.group(1)


def test_scope_of_the_page(login: Any, people: dict[str, Any], world: dict[str, Any]) -> None:
    """A department sees its own units' projects only; a unit is refused; another round's id is not found."""
    path = f"/work/monitoring/rounds/{world['round'].pk}/schedule/"
    html = login(people["dept_b"]).get(path).content.decode()
    assert [r[1] for r in table(html)] == ["测试市教育局"] and "schedule-filters" not in html
    assert login(people["staff_a1"]).get(path).status_code == 403
    assert login(people["finance"]).get(f"/work/monitoring/rounds/{world['round'].pk + 1}/schedule/").status_code == 404
