"""In a real browser: the weights checked against the rule pack while typed, and 采用建议分 (screenshots 15-, 16-).

Screenshots go to ``JIXIAO_SCREENSHOTS`` when it is set (the committed ones in docs/screenshots/web/ were
made that way), else to a temporary folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jixiao.core.workflow import State
from jixiao.web.cycle import services
from jixiao.web.cycle.models import Declaration, SelfEvaluation
from tests.web.browsing import Person, shot
from tests.web.conftest import PASSWORD, advance, ctx, declare

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_editor_shows_the_shares_while_typing_and_stops_the_submission(
    live_server: Any, tree: Any, people: dict[str, Any], browser: Any, shots: Path
) -> None:
    """Typing 40 for 30 makes 100 of 90: the panel says so at once, 保存并提交 is held; 30 again lets it go."""
    from playwright.sync_api import expect

    decl = declare(people["staff_a1"], tree.unit_a1)
    staff = Person(browser, live_server.url, "staff_a1")
    page = staff.open(f"/work/declarations/{decl.pk}/edit/")
    panel = page.locator("#share-check")
    expect(panel).to_contain_text("指标分值合计 90 分，符合")
    expect(panel).not_to_have_class("share-check blocking")

    page.fill("[name=ind-0-weight]", "40")
    expect(panel).to_contain_text("指标分值合计 100 分，应为 90 分", timeout=5000)
    expect(panel).to_have_class("share-check blocking")
    expect(panel).to_contain_text("各指标分值合计为 100 分，应为 90 分")
    expect(panel.locator("#share-level1")).to_contain_text("产出指标 60 分")
    page.click("button[name=submit]")
    expect(page.locator("#share-block")).to_be_visible()
    expect(page.locator("#share-block")).to_contain_text("不能提交")
    assert page.url.endswith(f"/declarations/{decl.pk}/edit/")  # the page stayed: nothing was posted
    shot(page, shots / "15-declaration-weights-live-check.png")
    assert Declaration.objects.get(pk=decl.pk).state == State.DRAFT.value

    page.fill("[name=ind-0-weight]", "30")
    expect(panel).to_contain_text("指标分值合计 90 分，符合", timeout=5000)
    expect(page.locator("#share-block")).to_be_hidden()
    page.click("button[name=submit]")
    page.wait_for_url(f"**/declarations/{decl.pk}/")
    assert Declaration.objects.get(pk=decl.pk).state == State.SUBMITTED.value
    staff.close()


def test_the_server_refuses_the_submission_when_the_script_is_bypassed(
    live_server: Any, tree: Any, people: dict[str, Any], browser: Any, shots: Path
) -> None:
    """Without JavaScript the same form posts: the draft is saved and the page says why it was not submitted."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "staff_a1")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/work/declarations/{decl.pk}/edit/")
    page.fill("[name=ind-0-weight]", "40")
    page.click("button[name=submit]")
    page.wait_for_load_state()
    assert "各指标分值合计为 100 分，应为 90 分" in page.content()
    decl.refresh_from_db()
    assert decl.state == State.DRAFT.value and decl.version == 2  # the draft was saved, the submission refused
    shot(page, shots / "15-declaration-weights-refused-without-script.png")
    context.close()


def test_adopting_suggested_scores_per_row_and_for_all(
    live_server: Any, tree: Any, people: dict[str, Any], browser: Any, shots: Path
) -> None:
    """After typing the actual values, 采用建议分 fills one row, 全部采用建议分 fills every score, total and grade."""
    from playwright.sync_api import expect

    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    ev = services.create_evaluation(ctx(people["staff_a1"]), decl)
    staff = Person(browser, live_server.url, "staff_a1")
    page = staff.open(f"/work/evaluations/{ev.pk}/edit/")
    for name, value in (
        ("initial_total", "100000.00"),
        ("adjusted_total", "100000.00"),
        ("executed_total", "95000.00"),
        ("rate_pct", "95.00"),
        ("outcome", "全年组织培训4次，合格率85%。"),
        ("row-0-actual", "4次"),
        ("row-1-actual", "85%"),
        ("row-2-actual", "达成指标"),
        ("row-3-actual", "90%"),
    ):
        page.fill(f"[name='{name}']", value)
    row = page.locator("tr.evaluation-row[data-index='1']")
    expect(row.locator(".suggested")).to_have_text("18.89", timeout=5000)
    row.locator("button.adopt").click()
    expect(page.locator("[name='row-1-score']")).to_have_value("18.89", timeout=5000)
    expect(page.locator("[name='row-0-score']")).to_have_value("")  # only that row

    page.click("#adopt-all")
    expect(page.locator("[name='total_score']")).to_have_value("98.39", timeout=8000)
    expect(page.locator("[name='grade']")).to_have_value("优", timeout=5000)
    scores = [page.locator(f"[name='row-{n}-score']").input_value() for n in range(4)]
    assert scores == ["30.00", "18.89", "30.00", "10.00"]
    assert page.locator("[name='execution_score']").input_value() == "9.50"
    page.wait_for_load_state("networkidle")
    shot(page, shots / "16-self-evaluation-adopt-suggested.png")

    page.fill("[name='row-1-deviation']", "两名学员补考未通过，下期加强考前辅导。")
    page.click("button[name=save]")
    page.wait_for_url(f"**/evaluations/{ev.pk}/edit/")
    stored = SelfEvaluation.objects.get(pk=ev.pk)
    assert [str(r.score) for r in stored.indicators.order_by("indicator__position")] == [
        "30.00",
        "18.89",
        "30.00",
        "10.00",
    ]
    assert (str(stored.total_score), stored.grade) == ("98.39", "优")
    # Enter in a field still saves the draft, as before the 采用建议分 buttons came first in the form
    page.fill("[name='row-0-score']", "29")
    page.press("[name='row-0-actual']", "Enter")
    expect(page.locator(".messages")).to_contain_text("已保存", timeout=5000)
    assert SelfEvaluation.objects.get(pk=ev.pk).indicators.get(indicator__position=1).score == 29
    staff.close()
