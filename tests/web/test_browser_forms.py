"""The declaration form, returned forms and draft deletion in a real browser (Debian's chromium), with screenshots.

Screenshots 11 to 14 go to ``JIXIAO_SCREENSHOTS`` when it is set (the
committed ones in docs/screenshots/web/ were made that way).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from jixiao.core.workflow import State
from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle.models import Declaration, Project
from tests.web.browsing import Person, shot
from tests.web.conftest import advance, declare

pytestmark = pytest.mark.django_db(transaction=True)


def _start(staff: Person, name: str) -> Any:
    """A new declaration started as a unit starts one; the browser is left on its edit page."""
    page = staff.open("/work/declarations/new/")
    page.fill("#id_name", name)
    page.fill("#id_year", "2026")
    page.click("button:has-text('下一步')")
    page.wait_for_url("**/edit/")
    return page


def _header(page: Any) -> None:
    page.fill("#id_nature", "经常性项目")
    page.fill("#id_category", "特定目标类")
    page.fill("#id_start_date", "2026-01-01")
    page.fill("#id_end_date", "2026-12-31")
    page.fill("#id_requested_total", "120000.00")
    page.fill("#id_requested_current", "120000.00")
    page.fill("#id_requested_carryover", "0.00")
    page.fill("#id_requested_other", "0.00")
    page.fill("#id_goal", "全年组织经办人员业务培训4次。")


def test_dates_stay_through_two_saves_in_a_browser(
    live_server: Any, people: dict[str, Any], browser: Any, shots: Path
) -> None:
    """Dates typed in the date inputs are shown again after 保存草稿 and survive a second 保存草稿 untouched."""
    from playwright.sync_api import expect

    staff = Person(browser, live_server.url, "staff_a1")
    page = _start(staff, "经办人员培训经费")
    _header(page)
    page.select_option("[name=ind-0-level1]", "产出指标")
    page.fill("[name=ind-0-level2]", "数量指标")
    page.fill("[name=ind-0-name]", "培训场次")
    page.fill("[name=ind-0-target]", "≥4(次)")
    page.fill("[name=ind-0-weight]", "30")
    for _ in range(2):
        page.click("button[name=save]")
        expect(page.locator(".messages")).to_contain_text("已保存")
        # what the browser shows is what it will send back on the next save
        expect(page.locator("#id_start_date")).to_have_value("2026-01-01")
        expect(page.locator("#id_end_date")).to_have_value("2026-12-31")
    shot(page, shots / "11-declaration-dates-kept.png")
    decl = Declaration.objects.get(project__name="经办人员培训经费")
    assert (decl.start_date, decl.end_date, decl.version) == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), 3)
    staff.close()


def test_a_draft_saves_what_was_typed_and_a_refusal_is_summarised(
    live_server: Any, people: dict[str, Any], browser: Any, shots: Path
) -> None:
    """保存草稿 with the empty default row stores the header; a half-filled row is refused with a linked summary."""
    from playwright.sync_api import expect

    staff = Person(browser, live_server.url, "staff_a1")
    page = _start(staff, "医保稽核经费")
    _header(page)
    page.click("button[name=save]")
    expect(page.locator(".messages")).to_contain_text("已保存")
    expect(page.locator(".error-summary")).to_have_count(0)
    decl = Declaration.objects.get(project__name="医保稽核经费")
    assert decl.goal == "全年组织经办人员业务培训4次。" and decl.indicators.count() == 0

    # a row with its name but no 指标值, and money that does not add up
    page.fill("[name=ind-0-level2]", "数量指标")
    page.fill("[name=ind-0-name]", "稽核户数")
    page.fill("#id_requested_total", "150000.00")
    page.click("button[name=save]")
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("未保存：请修改以下 2 处")
    expect(summary).to_be_focused()
    expect(summary.locator("a")).to_have_count(2)
    expect(summary).to_contain_text("第1行「稽核户数」年度指标值")
    shot(page, shots / "12-declaration-error-summary.png")
    summary.locator("a", has_text="年度指标值").click()
    expect(page.locator("#id_ind-0-target")).to_be_focused()
    summary.locator("a", has_text="年度资金申请总额").click()
    expect(page.locator("#id_requested_total")).to_be_focused()
    decl.refresh_from_db()
    assert decl.version == 2 and str(decl.requested_total) == "120000.00"  # nothing of the refused save stored
    staff.close()


def test_the_unit_reads_why_its_form_came_back(
    live_server: Any, tree: Any, people: dict[str, Any], browser: Any, shots: Path
) -> None:
    """The department returns with a two-line comment; the unit sees it at the top of both pages, and no comment box."""
    from playwright.sync_api import expect

    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.SUBMITTED)
    dept = Person(browser, live_server.url, "dept_a")
    page = dept.open(f"/work/declarations/{decl.pk}/")
    page.fill("#id_comment", "1. “有效提升”无法核对，请改为可量化的指标值；\n2. 请补充<培训>对象和人数。")
    page.click("button:has-text('退回')")
    expect(page.locator(".messages")).to_contain_text("已退回")

    staff = Person(browser, live_server.url, "staff_a1")
    for path in (f"/work/declarations/{decl.pk}/", f"/work/declarations/{decl.pk}/edit/"):
        page = staff.open(path)
        notice = page.locator(".return-notice")
        expect(notice).to_be_visible()
        expect(notice.locator("blockquote")).to_have_text(
            "1. “有效提升”无法核对，请改为可量化的指标值；\n2. 请补充<培训>对象和人数。", use_inner_text=True
        )
        expect(notice).to_contain_text("测试市医疗保障局 dept_a 于")
        expect(page.locator("textarea[name=comment]")).to_have_count(0)
        expect(page.get_by_text("审核意见（退回时必填）")).to_have_count(0)
    shot(page, shots / "13-returned-form-with-comment.png")
    for person in (dept, staff):
        person.close()


def test_the_unit_deletes_a_mistaken_draft(
    live_server: Any, tree: Any, people: dict[str, Any], browser: Any, shots: Path
) -> None:
    """From the draft's page, 删除草稿 opens a confirmation; confirming removes the draft and its project."""
    from playwright.sync_api import expect

    decl = declare(people["staff_a1"], tree.unit_a1, "误建的申报表", 2026)
    staff = Person(browser, live_server.url, "staff_a1")
    page = staff.open(f"/work/declarations/{decl.pk}/")
    page.click("a:has-text('删除草稿')")
    page.wait_for_url(f"**/declarations/{decl.pk}/delete/")
    expect(page.locator(".confirm-delete")).to_contain_text("不能恢复")
    expect(page.locator(".confirm-delete")).to_contain_text("将一并删除")
    shot(page, shots / "14-delete-draft-confirmation.png")
    assert Declaration.objects.filter(pk=decl.pk).exists()
    page.click("button:has-text('确认删除')")
    page.wait_for_url("**/declarations/")
    expect(page.locator(".messages")).to_contain_text("已删除「误建的申报表」2026年度绩效目标申报表草稿")
    expect(page.locator(".messages")).to_contain_text("没有其他年度的申报表，已一并删除")
    assert not Declaration.objects.filter(pk=decl.pk).exists()
    assert not Project.objects.filter(name="误建的申报表").exists()
    assert AuditEvent.objects.filter(event="delete", object_id=str(decl.pk), actor=people["staff_a1"]).exists()
    staff.close()
