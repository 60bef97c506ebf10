"""Copy forward in a real browser (Debian's chromium): 从上年结转, last year beside each indicator, a flag as typed.

Screenshots go to ``JIXIAO_SCREENSHOTS`` when it is set (48 and 49 in docs/screenshots/web).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jixiao.web.cycle.models import Declaration, SelfEvaluation
from tests.web.browsing import Person, shot
from tests.web.cycle.conftest import NAME

pytestmark = pytest.mark.django_db(transaction=True)


def test_next_year_starts_from_last_year_and_a_lowered_target_is_flagged_as_typed(
    live_server: Any, people: dict[str, Any], last_year: SelfEvaluation, browser: Any, shots: Path
) -> None:
    """The unit starts 2026 from 2025 (ticked by default), sees 2025's result per row, lowers a target below it."""
    from playwright.sync_api import expect

    staff = Person(browser, live_server.url, "staff_a1")
    page = staff.open("/work/declarations/new/")
    expect(page.locator("#id_carry")).to_be_checked()
    page.fill("#id_name", NAME)
    page.fill("#id_year", "2026")
    page.click("#new-declaration-form button[type=submit]")
    new = Declaration.objects.get(project__name=NAME, year=2026)
    page.wait_for_url(f"{live_server.url}/work/declarations/{new.pk}/edit/")
    expect(page.locator("#prior-year")).to_contain_text("上年情况（2025年度）")
    expect(page.locator("#prior-year")).to_contain_text("优")
    rows = page.locator("#indicator-editor tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(1).locator(".prior-line")).to_have_text("上年：≥90%；实际 95%；已完成")
    expect(page.locator("#id_ind-1-target")).to_have_value("≥90%")
    expect(page.locator("#id_requested_total")).to_have_value("")  # this year's money is typed anew
    shot(page, shots / "48-copy-forward-editor.png")
    # 合格率 lowered to 92%, below last year's 95%: the row's check says so while typing
    page.fill("#id_ind-1-target", "≥92%")
    check = rows.nth(1).locator("td.check")
    expect(check).to_contain_text("低于上年实际完成值", timeout=10000)
    expect(check).to_contain_text("警告")
    rows.nth(1).scroll_into_view_if_needed()
    shot(page, shots / "49-copy-forward-live-flag.png")
    staff.close()
