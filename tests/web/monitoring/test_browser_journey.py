"""A monitoring round from opening to the year's end, every step clicked in a real browser (Debian's chromium).

The finance bureau opens the round; the unit hears of it, fills the form and sees the schedule alert
appear while it types, submits; the department returns it with a comment, the unit fixes it, the
department approves it and orders a 纠偏; the unit reports with evidence and the department closes
it; the finance bureau approves; the year-end self-evaluation starts from the forecasts and shows the
history. Screenshots go to ``JIXIAO_SCREENSHOTS`` when it is set (38-41).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from jixiao.web.monitoring.models import MonitoringAction, MonitoringRecord
from tests.web.browsing import Person, shot

pytestmark = pytest.mark.django_db(transaction=True)

FORECASTS = ("4次", "95%", "有效提升", "85%")  # the approved targets' values: the forecasts meet them


def _fill(page: Any, executed: str) -> None:
    """The form as the unit types it: the money, the goal so far, each row's value so far and forecast."""
    page.fill("#id_budget_total", "100000.00")
    page.fill("#id_executed_to_date", executed)
    page.fill("#id_forecast_total", "98000.00")
    page.fill("#id_outcome", "已组织培训2次，合格率92%。")
    for n, forecast in enumerate(FORECASTS):
        page.fill(f"[name='row-{n}-actual']", "过半")
        page.fill(f"[name='row-{n}-forecast']", forecast)
        page.select_option(f"[name='row-{n}-likelihood']", "确定能")


def test_a_round_from_opening_to_the_years_end(
    live_server: Any,
    people: dict[str, Any],
    approved: dict[str, Any],
    browser: Any,
    shots: Path,
    tmp_path: Path,
    settings: Any,
) -> None:
    """Every step of issue 16's journey through the pages, each as its person does it."""
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "uploads"
    # the finance bureau opens the round over every department
    finance = Person(browser, live_server.url, "finance")
    page = finance.open("/work/monitoring/")
    page.fill("#id_year", "2025")
    page.fill("#id_as_of", "2025-07-31")
    page.fill("#id_due", (timezone.localdate() + timedelta(days=20)).isoformat())
    page.click("#open-round-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("2025年度绩效运行监控")
    rec = MonitoringRecord.objects.get(declaration=approved["a1"])

    # the unit hears of it (the bell), opens its form from the home page, types: the alert appears
    staff = Person(browser, live_server.url, "staff_a1")
    home = staff.open("/work/")
    home.click(".bell")
    expect(home.locator("main")).to_contain_text("有 1 张绩效目标执行监控表待填报")
    home = staff.open("/work/")
    home.click(f"a[href='/work/monitoring/records/{rec.pk}/edit/']")
    home.wait_for_url(f"**/monitoring/records/{rec.pk}/edit/")
    _fill(home, "30000.00")
    general = home.locator("#live-general")
    expect(general).to_contain_text("序时进度")  # 30% paid against 58.33% of the year gone
    shot(home, shots / "38-monitoring-journey-alert.png")
    home.click("button[name=submit]")
    home.wait_for_url(f"**/monitoring/records/{rec.pk}/")
    expect(home.locator(".messages")).to_contain_text("已提交")

    # the department returns it with a comment
    dept = Person(browser, live_server.url, "dept_a")
    page = dept.open(f"/work/monitoring/records/{rec.pk}/")
    page.fill("#id_comment", "执行数与国库支付数据不一致，请核对后重报。")
    page.click("button:has-text('退回')")
    expect(page.locator(".messages")).to_contain_text("已退回")

    # the unit sees why, fixes the amount (the alert goes), submits again
    page = staff.open(f"/work/monitoring/records/{rec.pk}/edit/")
    expect(page.locator("body")).to_contain_text("执行数与国库支付数据不一致")
    page.fill("#id_executed_to_date", "52000.00")
    expect(page.locator("#live-general")).not_to_contain_text("序时进度")
    page.click("button[name=submit]")
    page.wait_for_url(f"**/monitoring/records/{rec.pk}/")

    # the department approves and orders a 纠偏 on the form
    page = dept.open(f"/work/monitoring/records/{rec.pk}/")
    page.click("button:has-text('主管部门审核通过')")
    expect(page.locator(".messages")).to_contain_text("已主管部门审核通过")
    page.fill("#id_task", "9月底前执行率达到75%，按月报送支付进度。")
    page.fill("#id_due", (timezone.localdate() + timedelta(days=30)).isoformat())
    shot(page, shots / "39-monitoring-journey-action.png")
    page.click("#raise-action button[type=submit]")
    expect(page.locator("h1")).to_contain_text("纠偏")
    action = MonitoringAction.objects.get()

    # the unit reports what it did, with evidence; the department closes the action
    page = staff.open(f"/work/monitoring/actions/{action.pk}/")
    evidence = tmp_path / "支付凭证.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.fill("#id_evidence", "8月已支付第二批培训费 20,000 元，执行率 72%。")
    page.set_input_files("#id_files", str(evidence))
    page.click("#submit-action button[type=submit]")
    expect(page.locator(".steps")).to_contain_text("支付凭证.pdf")
    page = dept.open(f"/work/monitoring/actions/{action.pk}/")
    page.click("#conclude-action button:has-text('关闭')")
    expect(page.locator(".titlebar .state")).to_have_text("已关闭")
    shot(page, shots / "40-monitoring-journey-closed.png")
    dept.close()

    # the finance bureau approves the form
    page = finance.open(f"/work/monitoring/records/{rec.pk}/")
    page.click("button:has-text('财政批复')")
    expect(page.locator(".messages")).to_contain_text("已财政批复")
    finance.close()

    # at the year's end the self-evaluation starts from the forecasts and shows the round's history
    page = staff.open(f"/work/declarations/{approved['a1'].pk}/")
    page.click("button:has-text('开始绩效自评')")
    page.wait_for_url("**/evaluations/*/edit/")
    expect(page.locator("#monitoring-history")).to_contain_text("2025年7月31日")
    expect(page.locator("[name='row-0-actual']")).to_have_value(FORECASTS[0])
    shot(page, shots / "41-monitoring-journey-self-evaluation.png")
    staff.close()
    rec.refresh_from_db()
    assert rec.state == "approved" and rec.executed_to_date == 52000
    assert MonitoringAction.objects.get().state == "closed"
