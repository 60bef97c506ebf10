"""The monitoring form in a real browser (Debian's chromium): findings follow what the unit types.

Screenshots go to ``JIXIAO_SCREENSHOTS`` when it is set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.web.browsing import Person, shot
from tests.web.monitoring.conftest import open_all, record_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_rate_and_the_money_warning_follow_what_is_typed(
    live_server: Any, people: dict[str, Any], approved: dict[str, Any], browser: Any, shots: Path
) -> None:
    """Typing the amounts shows the rate and a warning for more paid than budgeted; the home page links the form."""
    from playwright.sync_api import expect

    rec = record_of(open_all(people), approved["a1"])
    staff = Person(browser, live_server.url, "staff_a1")
    home = staff.open("/work/")
    home.click(f"a[href='/work/monitoring/records/{rec.pk}/edit/']")
    page = staff.page
    page.wait_for_url(f"**/monitoring/records/{rec.pk}/edit/")
    page.fill("#id_budget_total", "100000.00")
    page.fill("#id_executed_to_date", "120000.00")
    expect(page.locator("#live-rate")).to_have_text("120.00%")
    expect(page.locator("#live-money")).to_contain_text("截至监控日执行数 120000.00 超过年度预算数 100000.00")
    page.fill("#id_executed_to_date", "45000.00")
    expect(page.locator("#live-rate")).to_have_text("45.00%")
    expect(page.locator("#live-money")).not_to_contain_text("超过年度预算数")
    first = page.locator("tr.monitoring-row[data-index='0'] .row-findings")
    expect(first).to_contain_text("没有填写截至监控日完成值")
    page.fill("[name='row-0-actual']", "2次")
    expect(first).not_to_contain_text("没有填写截至监控日完成值")  # the row's findings follow what is typed
    page.check("#id_row-0-cause-0")
    page.select_option("[name='row-0-likelihood']", "有可能")
    shot(page, shots / "31-monitoring-form.png")
    page.click("button[name=save]")
    page.wait_for_url(f"**/monitoring/records/{rec.pk}/edit/")
    rec.refresh_from_db()
    assert rec.version == 2 and rec.rows.first().cause == ["经费保障"]
    staff.close()
    finance = Person(browser, live_server.url, "finance")
    page = finance.open(f"/work/monitoring/rounds/{rec.round_id}/")
    expect(page.locator("#progress tr.total")).to_contain_text("合计")
    shot(page, shots / "32-monitoring-round.png")
    finance.close()
