"""Acting on an alert in a real browser (Debian's chromium): ordered, done with evidence, closed; the year-end history.

Screenshots go to ``JIXIAO_SCREENSHOTS`` when it is set.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from jixiao.core.workflow import Action
from jixiao.web.cycle.models import SelfEvaluation
from jixiao.web.monitoring import services
from jixiao.web.monitoring.models import MonitoringAction
from tests.web.browsing import Person, shot
from tests.web.conftest import ctx
from tests.web.monitoring.conftest import fill, open_all, record_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_correction_ordered_done_and_closed_then_the_history_at_the_years_end(
    live_server: Any,
    people: dict[str, Any],
    approved: dict[str, Any],
    browser: Any,
    shots: Path,
    tmp_path: Path,
    settings: Any,
) -> None:
    """The department orders a 纠偏 on the execution alert; the unit reports with a PDF; the department closes it."""
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "uploads"
    rec = fill(record_of(open_all(people), approved["a1"]), people["staff_a1"])
    rec = services.act(ctx(people["staff_a1"]), rec, Action.SUBMIT)
    dept = Person(browser, live_server.url, "dept_a")
    page = dept.open(f"/work/monitoring/records/{rec.pk}/")
    option = page.locator("#id_follows option", has_text="序时进度")
    page.select_option("#id_follows", value=option.get_attribute("value"))
    page.fill("#id_task", "9月底前执行率达到75%，按月报送支付进度。")
    page.fill("#id_due", (timezone.localdate() + timedelta(days=30)).isoformat())
    shot(page, shots / "33-monitoring-action-raised.png")
    page.click("#raise-action button[type=submit]")
    expect(page.locator("h1")).to_contain_text("纠偏")
    action = MonitoringAction.objects.get()
    services.act(ctx(people["dept_a"]), rec, Action.DEPT_APPROVE)

    staff = Person(browser, live_server.url, "staff_a1")
    home = staff.page
    expect(home.locator(".action-todo")).to_contain_text("9月底前执行率达到75%")
    home.click(f".action-todo a[href='/work/monitoring/actions/{action.pk}/']")
    evidence = tmp_path / "支付凭证.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    home.fill("#id_evidence", "8月已支付第二批培训费 20,000 元，执行率 65%。")
    home.set_input_files("#id_files", str(evidence))
    home.click("#submit-action button[type=submit]")
    expect(home.locator(".steps")).to_contain_text("支付凭证.pdf")
    shot(home, shots / "34-monitoring-action-submitted.png")

    page = dept.open(f"/work/monitoring/actions/{action.pk}/")
    page.click("#conclude-action button:has-text('关闭')")
    expect(page.locator(".titlebar .state")).to_have_text("已关闭")
    dept.close()
    services.act(ctx(people["finance"]), rec, Action.FINANCE_APPROVE)

    home = staff.open(f"/work/declarations/{approved['a1'].pk}/")
    home.click("button:has-text('开始绩效自评')")
    ev = SelfEvaluation.objects.get()
    home.wait_for_url(f"**/evaluations/{ev.pk}/edit/")
    expect(home.locator("#monitoring-history")).to_contain_text("2025年7月31日")
    expect(home.locator("[name='row-0-actual']")).to_have_value("4次")
    shot(home, shots / "35-self-evaluation-monitoring-history.png")
    staff.close()
