"""An ex-ante assessment in a real browser (Debian's chromium): refused approval, creation, draw, scoring, conclusion,
and the approval the gate then lets through.

Screenshots 56-59 go to ``JIXIAO_SCREENSHOTS`` when it is set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jixiao.core.scoring.exante import national_default
from jixiao.core.workflow import State
from jixiao.web.assessments.models import Assessment
from jixiao.web.cycle.models import Declaration
from tests.web.assessments.conftest import new_declaration
from tests.web.browsing import Person, shot
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _expert_page(browser: Any, base: str, username: str) -> Any:
    """An expert signed in through the login page: their home is the assessments assigned to them."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/work/assessments/")
    return page


def test_an_assessment_from_creation_to_the_gated_approval(
    live_server: Any, tree: Any, people: dict[str, Any], pool: Any, browser: Any, shots: Path
) -> None:
    from playwright.sync_api import expect

    decl = new_declaration(people, tree)
    finance = Person(browser, live_server.url, "finance")
    page = finance.open(f"/work/declarations/{decl.pk}/")
    page.click("#review-form button:has-text('财政批复')")
    expect(page.locator(".messages")).to_contain_text("须经事前绩效评估")

    page = finance.open("/work/assessments/")
    page.select_option("#id_declaration", value=str(decl.pk))
    page.fill("#id_summary", "新建智慧教室 20 间，评估立项必要性和投入经济性。")
    page.click("#new-assessment-form button[type=submit]")
    expect(page.locator("#assessment-state")).to_have_text("准备中")
    page.fill("input[name=cost-1-output]", "智慧教室")
    page.fill("input[name=cost-1-unit]", "间")
    page.fill("input[name=cost-1-quantity]", "20")
    page.fill("input[name=cost-1-cost]", "6000000")
    page.fill("input[name=cost-1-bench]", "280000")
    page.fill("input[name=cost-1-source]", "省教育装备配置标准")
    page.click("#content-form button[type=submit]")
    expect(page.locator("#cost-table")).to_contain_text("300000.00")
    shot(page, shots / "56-assessment-prepared.png")

    page.click("#draw-form button[type=submit]")
    expect(page.locator("#assessment-state")).to_have_text("专家评分中")
    expect(page.locator("#panel-progress")).to_contain_text("已提交 0/3 份评分")
    shot(page, shots / "57-assessment-drawn.png")

    assessment = Assessment.objects.get(declaration=decl)
    rules = national_default()
    for n, seat in enumerate(assessment.seats.select_related("expert__user")):
        expert = _expert_page(browser, live_server.url, seat.expert.user.username)
        expert.click(f"#assessment-list a[href='/work/assessments/{assessment.pk}/']")
        for q in rules.questions:
            expert.fill(f"input[name='q-{q.key}']", str(q.weight - (1 if q.key == "economy.cost" else 0)))
        expert.fill("#id_comment", "立项依据充分；单位成本略高于省标准，建议压减。")
        if n == 0:
            shot(expert, shots / "58-assessment-expert-scoring.png")
        expert.click("#score-form button[type=submit]")
        expect(expert.locator("#my-score")).to_contain_text("99.00")
        expert.context.close()

    page = finance.open(f"/work/assessments/{assessment.pk}/")
    expect(page.locator("#assessment-state")).to_have_text("评分完成")
    expect(page.locator("#sheet-table")).to_be_visible()
    page.fill("#id_opinion", "同意立项，按评估意见细化成本测算。")
    page.click("#conclude-form button[type=submit]")
    expect(page.locator("#assessment-conclusion")).to_have_text("予以支持")
    shot(page, shots / "59-assessment-concluded.png")

    page = finance.open(f"/work/declarations/{decl.pk}/")
    page.click("#review-form button:has-text('财政批复')")
    expect(page.locator(".messages")).not_to_contain_text("须经事前绩效评估")
    assert Declaration.objects.get(pk=decl.pk).state == State.APPROVED.value
