"""The whole cycle in a real browser (Playwright driving Debian's chromium), with screenshots of the key screens.

Screenshots go to ``JIXIAO_SCREENSHOTS`` when it is set (the committed
ones in docs/screenshots/ were made that way), else to a temporary folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jixiao.core.workflow import State
from jixiao.web.cycle.models import Declaration, Publication, SelfEvaluation
from tests.web.browsing import Person, shot

pytestmark = pytest.mark.django_db(transaction=True)


def _fill_row(page: Any, n: int, level1: str, level2: str, name: str, target: str, weight: str) -> None:
    page.select_option(f"[name=ind-{n}-level1]", level1)
    page.fill(f"[name=ind-{n}-level2]", level2)
    page.fill(f"[name=ind-{n}-name]", name)
    page.fill(f"[name=ind-{n}-target]", target)
    page.fill(f"[name=ind-{n}-weight]", weight)


def test_the_whole_cycle_in_a_browser(live_server: Any, people: dict[str, Any], browser: Any, shots: Path) -> None:
    """Declare, return, fix, approve twice, self-evaluate with a reasoned score, approve, publish, read publicly."""
    from playwright.sync_api import expect

    base = live_server.url
    staff = Person(browser, base, "staff_a1")
    page = staff.open("/work/declarations/new/")
    page.fill("#id_name", "医保经办人员业务培训经费")
    page.fill("#id_year", "2025")
    page.click("button:has-text('下一步')")
    page.wait_for_url("**/edit/")
    page.fill("#id_nature", "经常性项目")
    page.fill("#id_category", "特定目标类")
    page.fill("#id_start_date", "2025-01-01")
    page.fill("#id_end_date", "2025-12-31")
    page.fill("#id_requested_total", "120000.00")
    page.fill("#id_requested_current", "120000.00")
    page.fill("#id_requested_carryover", "0.00")
    page.fill("#id_requested_other", "0.00")
    page.fill("#id_goal", "全年组织经办人员业务培训4次，参训合格率不低于90%。")
    _fill_row(page, 0, "产出指标", "数量指标", "培训场次", "≥4(次)", "40")
    expect(page.locator("tr.indicator-row").nth(0).locator("td.check")).to_contain_text("定量", timeout=5000)
    page.click("#add-indicator")
    _fill_row(page, 1, "效益指标", "社会效益指标", "经办业务能力提升情况", "有所提升", "40")
    expect(page.locator("tr.indicator-row").nth(1).locator("td.check")).to_contain_text(
        "没有可以核对的目标", timeout=5000
    )
    page.click("#add-indicator")
    _fill_row(page, 2, "满意度指标", "服务对象满意度指标", "参训人员满意度", "≥85%", "10")
    # the editor reads each target as it is typed; let the last reading arrive before leaving the page
    expect(page.locator("tr.indicator-row").nth(2).locator("td.check")).to_contain_text("定量", timeout=5000)
    page.wait_for_load_state("networkidle")
    shot(page, shots / "01-declaration-editor.png")
    page.click("button[name=submit]")
    page.wait_for_url("**/declarations/*/")
    expect(page.locator(".titlebar .state")).to_contain_text("已提交")
    decl = Declaration.objects.get(project__name="医保经办人员业务培训经费")
    assert [i.level1 for i in decl.indicators.all()] == ["产出指标", "效益指标", "满意度指标"]

    dept = Person(browser, base, "dept_a")
    page = dept.open(f"/work/declarations/{decl.pk}/")
    shot(page, shots / "02-department-review.png")
    page.fill("#id_comment", "“有所提升”无法核对，请改为可量化的指标值。")
    page.click("button:has-text('退回')")
    expect(page.locator(".messages")).to_contain_text("已退回")

    page = staff.open(f"/work/declarations/{decl.pk}/")
    expect(page.locator(".history")).to_contain_text("请改为可量化的指标值")
    page.click("text=编辑")
    page.fill("[name=ind-1-target]", "≥90%")
    page.fill("[name=ind-1-name]", "参训人员考核合格率")
    page.click("button[name=submit]")
    expect(page.locator(".titlebar .state")).to_contain_text("已提交")

    page = dept.open(f"/work/declarations/{decl.pk}/")
    page.click("button:has-text('主管部门审核通过')")
    finance = Person(browser, base, "finance")
    page = finance.open(f"/work/declarations/{decl.pk}/")
    page.click("button:has-text('财政批复')")
    expect(page.locator(".titlebar .state")).to_contain_text("已财政批复")  # the status sentence
    decl.refresh_from_db()
    assert decl.state == State.APPROVED.value

    page = staff.open(f"/work/declarations/{decl.pk}/")
    page.click("button:has-text('开始绩效自评')")
    page.wait_for_url("**/evaluations/*/edit/")
    page.fill("#id_initial_total", "120000.00")
    page.fill("#id_adjusted_total", "120000.00")
    page.fill("#id_executed_total", "114000.00")
    page.fill("#id_rate_pct", "95.00")
    page.fill("#id_execution_score", "9.50")
    page.fill("#id_outcome", "全年组织培训4次，参训人员考核合格率96%。")
    for n, (actual, score) in enumerate([("3次", "35"), ("96%", "40"), ("92%", "10")]):
        page.fill(f"[name=row-{n}-actual]", actual)
        page.fill(f"[name=row-{n}-score]", score)
    # 3 of 4 sessions: the rule suggests 30.00; the unit typed 35
    expect(page.locator("tr.evaluation-row").nth(0).locator(".suggested")).to_have_text("30.00", timeout=5000)
    expect(page.locator("#live-total")).to_have_text("89.50", timeout=5000)
    shot(page, shots / "03-self-evaluation-live-scores.png")
    # the browser will not submit a score off the rule without its reason ...
    page.click("button[name=submit]")
    reason = page.locator("[name=row-0-score_reason]")
    assert reason.evaluate("e => e.required && !e.checkValidity()")
    expect(reason).to_have_attribute("placeholder", "填报得分与建议得分不同，请说明理由")
    # ... a draft can still be saved, and the server says the same before it accepts a submission
    page.click("button[name=save]")
    expect(page.locator(".problems")).to_contain_text("与建议得分 30.00 不同，请说明理由", timeout=5000)
    ev = SelfEvaluation.objects.get(declaration=decl)
    assert ev.state == State.DRAFT.value
    page.fill("[name=row-0-score_reason]", "第4次培训并入全市集中培训，已由市中心组织完成。")
    page.fill("[name=row-0-deviation]", "1次培训并入全市集中培训，来年按实际需要设置场次。")
    page.click("button[name=submit]")
    page.wait_for_url(f"**/evaluations/{ev.pk}/")
    expect(page.locator(".titlebar .state")).to_contain_text("已提交")

    page = dept.open(f"/work/evaluations/{ev.pk}/")
    page.click("button:has-text('主管部门审核通过')")
    page = finance.open(f"/work/evaluations/{ev.pk}/")
    shot(page, shots / "04-finance-review-of-self-evaluation.png")
    page.click("button:has-text('财政批复')")
    page.click("button:has-text('公开')")
    expect(page.locator(".titlebar .state")).to_contain_text("已公开")
    assert Publication.objects.filter(evaluation=ev).exists()

    reader = browser.new_page(viewport={"width": 1366, "height": 900})
    reader.goto(base + "/")
    reader.fill("[name=q]", "经办人员业务培训")
    reader.click("button:has-text('检索')")
    reader.click("text=医保经办人员业务培训经费 >> nth=0")
    expect(reader.locator(".sheet-title")).to_contain_text("绩效")
    shot(reader, shots / "05-public-disclosure.png")
    with reader.expect_download() as download:
        reader.click("text=下载数据（JSON）")
    saved = download.value.path()
    assert saved is not None and '"schema": "jixiao.document/1"' in Path(saved).read_text(encoding="utf-8")
    for person in (staff, dept, finance):
        person.close()
