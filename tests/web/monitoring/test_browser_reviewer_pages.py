"""The reviewers' monitoring pages in a real browser (Debian's chromium): the alerts list and the 序时进度 chart.

Screenshots go to ``JIXIAO_SCREENSHOTS`` when it is set.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from jixiao.core.workflow import Action
from jixiao.web.monitoring import services
from jixiao.web.monitoring.models import MonitoringRound
from tests.web.browsing import Person, shot
from tests.web.conftest import ctx
from tests.web.monitoring.conftest import fill, open_all, record_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_finance_filters_the_alerts_opens_a_row_and_reads_the_schedule(
    live_server: Any, people: dict[str, Any], approved: dict[str, Any], browser: Any, shots: Path
) -> None:
    """From the rounds page to the alerts, one kind chosen, its form opened at the row; then the round's chart."""
    from playwright.sync_api import expect

    round_ = open_all(people)
    MonitoringRound.objects.filter(pk=round_.pk).update(due=timezone.localdate() + timedelta(days=30))
    for key in ("a1", "b1"):
        staff = people[f"staff_{key}"]
        services.act(ctx(staff), fill(record_of(round_, approved[key]), staff), Action.SUBMIT)
    finance = Person(browser, live_server.url, "finance")
    page = finance.open("/work/monitoring/")
    page.click("#reviewer-links a")
    page.wait_for_url("**/work/monitoring/alerts/")
    rows = page.locator("#alerts tbody tr")
    expect(rows.first).to_be_visible()
    everything = rows.count()
    page.select_option("select[name=code]", label="预算执行进度落后于序时进度")
    page.click("#alert-filters button[type=submit]")
    page.wait_for_url("**code=execution-behind-schedule**")
    expect(page.locator("select[name=code]")).to_have_value("execution-behind-schedule")  # the filter stays chosen
    expect(rows).to_have_count(2)  # one per filed form: 45.00% paid against 58.33%
    assert everything > 2
    shot(page, shots / "36-monitoring-alerts.png")
    page.select_option("select[name=code]", label="全部")
    page.select_option("select[name=department]", label="测试市教育局")
    page.click("#alert-filters button[type=submit]")
    page.wait_for_url("**department=**")
    expect(rows.first).to_contain_text("测试市教育局")
    link = page.locator("#alerts a[href*='#row-']").first
    anchor = link.get_attribute("href").split("#")[1]
    link.click()
    page.wait_for_url(f"**#{anchor}")
    expect(page.locator(f"#{anchor}")).to_be_in_viewport()
    page.goto(f"{live_server.url}/work/monitoring/rounds/{round_.pk}/")
    page.click("text=序时进度对照图")
    page.wait_for_url("**/schedule/")
    expect(page.locator("svg.schedule-chart")).to_be_visible()
    expect(page.locator("svg.schedule-chart rect.bar")).to_have_count(2)
    expect(page.locator("svg.schedule-chart .schedule-label")).to_have_text("序时进度 58.33%")
    expect(page.locator("#schedule-table tbody tr")).to_have_count(2)
    expect(page.locator("#schedule-table tbody tr.behind").first).to_contain_text("落后，预警")
    shot(page, shots / "37-monitoring-schedule.png")
    finance.close()
