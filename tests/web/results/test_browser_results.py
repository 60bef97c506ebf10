"""In a real browser: the finance page of results application, a 差 project cut and accepted (screenshots 42-43).

Screenshots go to ``JIXIAO_SCREENSHOTS`` when it is set (docs/screenshots/web/ was made that way), else to a
temporary folder.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixiao.web.results.models import ResultDecision
from tests.web.browsing import Person, shot
from tests.web.results.helpers import evaluated

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_finance_bureau_accepts_a_cut_for_a_poor_result_and_a_batch(
    live_server: Any, tree: Any, people: dict[str, Any], browser: Any, shots: Path
) -> None:
    from playwright.sync_api import expect

    poor = evaluated(people, tree.unit_a1, "unit_a1", "医保稽核专项", "差", budget="360000.00")
    evaluated(people, tree.unit_a2, "unit_a2", "医保政策宣传", "良", budget="80000.00")
    evaluated(people, tree.unit_b1, "unit_b1", "教师培训", "中", budget="150000.00")

    finance = Person(browser, live_server.url, "finance")
    page = finance.open("/work/results/")
    row = page.locator("#results tbody tr", has_text="医保稽核专项")
    expect(row).to_contain_text("削减或取消 50%")
    expect(row).to_contain_text("180,000.00")
    # filters: one department
    page.select_option("#result-filters [name=department]", label="测试市医疗保障局")
    page.click("#result-filters button[type=submit]")
    expect(page.locator("#results tbody tr")).to_have_count(2)
    shot(page, shots / "42-results-finance-page.png")

    # the 差 project: the proposal, then accepted
    page.click(f"a[href='/work/results/{poor.pk}/']")
    expect(page.locator("#proposal")).to_contain_text("等级为差")
    page.click("#decide-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("已保存项目“医保稽核专项”的结果应用决定。")
    expect(page.locator("#decision")).to_contain_text("同意建议：180,000.00 元")
    shot(page, shots / "43-results-decision.png")
    decision = ResultDecision.objects.get(evaluation=poor)
    assert decision.amount == Decimal("180000.00") and decision.decided_by == people["finance"]

    # the rest in one batch from the page
    page = finance.open("/work/results/")
    boxes = page.locator("#batch [name=pick]")
    expect(boxes).to_have_count(2)
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.click("#batch button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("已同意建议")
    assert ResultDecision.objects.count() == 3
    finance.close()

    # the department sees its own, read-only
    dept = Person(browser, live_server.url, "dept_a")
    page = dept.open("/work/results/")
    expect(page.locator("#results tbody tr")).to_have_count(2)
    expect(page.locator("#batch")).to_have_count(0)
    dept.close()
