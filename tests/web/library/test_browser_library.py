"""The indicator library in a real browser: the declaration editor suggests entries as a name is typed.

Screenshots 50 to 52 go to ``JIXIAO_SCREENSHOTS`` when it is set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jixiao.web.cycle.models import Declaration
from jixiao.web.library.models import LibraryEntry
from jixiao.web.library.refresh import refresh_library
from tests.web.browsing import Person, shot
from tests.web.conftest import ctx, declare

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_suggests_library_entries(
    live_server: Any, records: dict[str, Declaration], people: dict[str, Any], tree: Any, browser: Any, shots: Path
) -> None:
    """Typing 培训 in a new row lists the library's 培训场次 with its unit and range; a click fills the row."""
    from playwright.sync_api import expect

    refresh_library(ctx(people["finance"]))
    draft = declare(people["staff_a1"], tree.unit_a1, "经办人员能力提升培训", 2026)
    staff = Person(browser, live_server.url, "staff_a1")
    page = staff.open(f"/work/declarations/{draft.pk}/edit/")
    page.click("#add-indicator")
    page.fill("[name=ind-4-name]", "培训场")
    panel = page.locator("#library-suggestions")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("培训场次")
    expect(panel).to_contain_text("2–12次")
    shot(page, shots / "50-editor-library-suggestions.png")
    panel.locator("button.use-suggestion", has_text="培训场次").click()
    # the name is filled; the row keeps the class it had (a person's choice is not overwritten)
    expect(page.locator("[name=ind-4-name]")).to_have_value("培训场次")
    staff.close()

    finance = Person(browser, live_server.url, "finance")
    entry = LibraryEntry.objects.get(name="培训场次")
    page = finance.open(f"/work/library/{entry.code}/")
    expect(page.locator("#statistics")).to_contain_text("使用 6 次，6 个项目")
    page.fill("#curation form:has(button:has-text('设为共性指标')) input[name=reason]", "多个部门通用")
    page.click("button:has-text('设为共性指标')")
    expect(page.locator(".messages")).to_contain_text("已设为共性指标")
    expect(page.locator("#history")).to_contain_text("多个部门通用")
    shot(page, shots / "51-library-entry.png")
    page = finance.open("/work/library/?q=培训")
    expect(page.locator("#library-entries")).to_contain_text("培训场次")
    shot(page, shots / "52-library-list.png")
    finance.close()
