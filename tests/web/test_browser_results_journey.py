"""Issue 17's whole journey in a real browser (Debian's chromium), every step through the pages.

A 差 project's self-evaluation approved: the finance bureau sees a cut proposal, blocked by a 整改事项 the
department opened from a finding; the unit answers it with an evidence file, the department accepts it, the
finance bureau accepts the proposal; the unit starts next year's declaration from last year and sees the
grade, the item accepted and last year's actuals, and the editor suggests library indicators as a name is typed.

Screenshots 60-63 go to ``JIXIAO_SCREENSHOTS`` when it is set (docs/screenshots/web/ was made that way).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixiao.web.cycle.models import Declaration
from jixiao.web.library.refresh import refresh_library
from jixiao.web.rectification.models import Rectification
from jixiao.web.results.models import ResultDecision
from tests.web.browsing import Person, shot
from tests.web.conftest import ctx
from tests.web.library.conftest import declared
from tests.web.rectification.conftest import PDF
from tests.web.results.helpers import evaluated

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "医保稽核专项"
TASK = "将“有效提升”改写为可以核对的目标，并补齐培训签到记录。"


def test_a_poor_result_cut_after_its_rectification_and_next_year_started_from_it(
    live_server: Any,
    tree: Any,
    people: dict[str, Any],
    browser: Any,
    shots: Path,
    tmp_path: Path,
    settings: Any,
) -> None:
    """From a 差 self-evaluation to next year's declaration, as the finance bureau, department and unit click."""
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "uploads"
    # the starting records, as the other browser tests make them: the 差 project approved, and two other
    # projects' submitted declarations (培训场次 ≥6 and ≥10 次) for the library to learn from
    poor = evaluated(people, tree.unit_a1, "unit_a1", NAME, "差", budget="360000.00")
    declared(people, "staff_a2", tree.unit_a2, "监督检查培训", "≥6(次)")
    declared(people, "staff_b1", tree.unit_b1, "教师培训", "≥10(次)")
    refresh_library(ctx(people["finance"]))

    # the department opens a 整改事项 from a review finding, through the panel on the self-evaluation's page
    dept = Person(browser, live_server.url, "dept_a")
    page = dept.open(f"/work/evaluations/{poor.pk}/")
    page.click("#rectification-panel a:has-text('提出整改事项')")
    option = page.locator("#id_follows option", has_text="审核发现").first
    page.select_option("#id_follows", value=option.get_attribute("value"))
    page.fill("#id_task", TASK)
    page.click("#open-item button[type=submit]")
    expect(page.locator(".titlebar .state")).to_have_text("待整改")
    item = Rectification.objects.get()
    assert item.source == "finding" and item.project_id == poor.declaration.project_id

    # the finance bureau sees the cut, blocked by the open item: not in the batch, refused on its page
    finance = Person(browser, live_server.url, "finance")
    page = finance.open("/work/results/")
    row = page.locator("#results tbody tr", has_text=NAME)
    expect(row).to_contain_text("削减或取消 50%")
    expect(row).to_contain_text("180,000.00")
    expect(row.locator(".blockers")).to_contain_text("补齐培训签到记录")
    expect(row.locator("[name=pick]")).to_have_count(0)
    shot(page, shots / "60-journey-cut-blocked-by-rectification.png")
    page.click(f"a[href='/work/results/{poor.pk}/']")
    expect(page.locator("#proposal .blockers")).to_contain_text("补齐培训签到记录")
    page.click("#decide-form button[type=submit]")
    expect(page.locator(".messages")).to_have_text(
        f"决定未保存：项目“{NAME}”的结果应用决定不能保存：请先处理未完成的整改事项：{TASK}"
    )
    assert not ResultDecision.objects.exists()

    # the unit answers from its home page with an evidence file
    staff = Person(browser, live_server.url, "staff_a1")
    home = staff.page
    home.click(f".rectification-todo a[href='/work/rectification/{item.pk}/']")
    evidence = tmp_path / "培训签到表.pdf"
    evidence.write_bytes(PDF)
    home.fill("#id_answer", "已将目标改为“业务考核合格率≥90%”，并补齐全年培训签到记录，附签到表。")
    home.set_input_files("#id_files", str(evidence))
    home.click("#answer-item button[type=submit]")
    expect(home.locator(".steps")).to_contain_text("培训签到表.pdf")

    # the department accepts it
    page = dept.open(f"/work/rectification/{item.pk}/")
    page.fill("#conclude-item textarea", "已核实签到记录，验收通过。")
    page.click("#conclude-item button:has-text('验收通过')")
    expect(page.locator(".titlebar .state")).to_have_text("已验收")
    dept.close()

    # now the finance bureau accepts the proposal on the project's page
    page = finance.open(f"/work/results/{poor.pk}/")
    expect(page.locator("#proposal .blockers")).to_have_count(0)
    page.click("#decide-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(f"已保存项目“{NAME}”的结果应用决定。")
    expect(page.locator("#decision")).to_contain_text("同意建议：180,000.00 元")
    shot(page, shots / "61-journey-cut-accepted.png")
    finance.close()
    decision = ResultDecision.objects.get(evaluation=poor)
    assert decision.amount == Decimal("180000.00") and decision.decided_by == people["finance"]

    # the unit starts 2026 from 2025: the grade and the accepted item on top, last year's actual under a target
    page = staff.open("/work/declarations/new/")
    expect(page.locator("#id_carry")).to_be_checked()
    page.fill("#id_name", NAME)
    page.fill("#id_year", "2026")
    page.click("#new-declaration-form button[type=submit]")
    new = Declaration.objects.get(project__name=NAME, year=2026)
    assert new.project_id == poor.declaration.project_id
    page.wait_for_url(f"{live_server.url}/work/declarations/{new.pk}/edit/")
    expect(page.locator("#prior-year")).to_contain_text("上年情况（2025年度）")
    expect(page.locator("#prior-year .prior-grade")).to_have_text("差")
    panel = page.locator("#rectification-panel")
    expect(panel).to_contain_text("未办结 0 项，已办结 1 项")
    panel.locator("details summary").click()
    expect(panel).to_contain_text("已验收")
    expect(panel).to_contain_text("补齐培训签到记录")
    rows = page.locator("#indicator-editor tbody tr")
    expect(rows.nth(1).locator(".prior-line")).to_have_text("上年：≥90%；实际 50%；未完成")
    expect(page.locator("#id_ind-1-target")).to_have_value("≥90%")
    shot(page, shots / "62-journey-next-year-from-last.png")

    # typing a name in a new row: the library suggests 培训场次 with the targets the three projects set
    page.click("#add-indicator")
    page.fill("[name=ind-4-name]", "培训场")
    suggestions = page.locator("#library-suggestions")
    expect(suggestions).to_be_visible()
    expect(suggestions).to_contain_text("培训场次")
    expect(suggestions).to_contain_text("4–10次")
    # the row's live check compares the half-typed row with last year's 培训场次: its empty target reads 空白
    expect(rows.nth(4).locator("td.check")).to_contain_text("空白（未填写）", timeout=10000)
    expect(rows.nth(4).locator("td.check")).not_to_contain_text("None")
    shot(page, shots / "63-journey-library-suggestions.png")
    suggestions.locator("button.use-suggestion", has_text="培训场次").click()
    expect(page.locator("[name=ind-4-name]")).to_have_value("培训场次")
    staff.close()
