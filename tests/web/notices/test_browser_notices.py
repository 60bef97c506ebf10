"""In a real browser: a deadline set, the unit's 逾期 panel, the reviewer's bell and batch approval (screenshots 22-).

Screenshots go to ``JIXIAO_SCREENSHOTS`` when it is set (docs/screenshots/web/ was made that way), else to a
temporary folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jixiao.core.workflow import Action, State
from jixiao.web.cycle import services
from jixiao.web.cycle.models import Declaration
from jixiao.web.notices.models import Deadline
from tests.web.browsing import Person, shot
from tests.web.conftest import advance, ctx, declare
from tests.web.notices.helpers import days, today

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_deadline_passes_the_unit_is_told_and_the_department_approves_in_one_batch(
    live_server: Any, tree: Any, people: dict[str, Any], browser: Any, shots: Path
) -> None:
    from playwright.sync_api import expect

    year = today().year
    late = declare(people["staff_a1"], tree.unit_a1, "业务培训经费", year)
    ready = [
        advance(declare(people["staff_a1"], tree.unit_a1, name, year), people, "staff_a1", "dept_a", State.SUBMITTED)
        for name in ("医保政策宣传", "基金监管检查")
    ]

    # the finance bureau sets this year's 申报 date: yesterday
    finance = Person(browser, live_server.url, "finance")
    page = finance.open("/work/notices/deadlines/")
    page.fill("#deadline [name=year]", str(year))
    page.select_option("#deadline [name=stage]", "declaration")
    page.fill("#deadline [name=due]", f"{days(-1):%Y-%m-%d}")
    page.fill("#deadline [name=note]", "按部门预算编制通知")
    page.click("#deadline button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(f"申报截止日期 {days(-1):%Y-%m-%d}（全部主管部门）")
    shot(page, shots / "22-deadlines.png")
    assert Deadline.objects.get().set_by == people["finance"]
    finance.close()

    # the unit sees its draft overdue at home and in its list
    staff = Person(browser, live_server.url, "staff_a1")
    page = staff.open("/work/")
    panel = page.locator("section.overdue")
    expect(panel).to_contain_text("业务培训经费")
    expect(panel).to_contain_text(f"申报 {days(-1):%Y-%m-%d}")
    shot(page, shots / "22-unit-home-overdue.png")
    page = staff.open("/work/declarations/")
    page.check("[name=overdue]")
    page.click("form.filters button[type=submit]")
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    expect(page.locator("table.list tbody tr .late")).to_have_text("逾期")

    # the department: the bell counts the two submissions; one record changes after the list is drawn
    dept = Person(browser, live_server.url, "dept_a")
    page = dept.page
    expect(page.locator(".bell .count")).to_have_text("2")
    page = dept.open("/work/declarations/")
    boxes = page.locator("#batch [name=pick]")
    expect(boxes).to_have_count(2)
    changed = services.act(ctx(people["dept_a"]), ready[1], Action.RETURN, "请补充检查计划")
    services.act(ctx(people["staff_a1"]), changed, Action.SUBMIT)
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.click("#batch button[type=submit]")
    expect(page.locator("h1")).to_have_text("批量审核结果")
    expect(page.locator("main")).to_contain_text("主管部门审核通过 1 条，未通过 1 条")
    expect(page.locator("tr.refused")).to_contain_text("基金监管检查")
    expect(page.locator("tr.refused")).to_contain_text("当前是第")
    shot(page, shots / "22-batch-approval-report.png")
    states = dict(Declaration.objects.values_list("project_name", "state"))
    assert states == {"业务培训经费": "draft", "医保政策宣传": "dept_approved", "基金监管检查": "submitted"}
    dept.close()

    # the unit's notices: the return with its comment and the approval; read them all
    page = staff.open("/work/notices/")
    expect(page.locator("table.notices")).to_contain_text("退回意见：请补充检查计划")
    expect(page.locator("table.notices")).to_contain_text("「医保政策宣传」")
    shot(page, shots / "22-notices.png")
    page.click("#read-all button")
    expect(page.locator(".bell .count")).to_have_count(0)
    staff.close()
    assert late.state == "draft"
