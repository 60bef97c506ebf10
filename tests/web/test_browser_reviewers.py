"""Reviewers and readers in a real browser: import a seed, filter the 汇总表, open a chart point; search the portal.

Uses the same chromium, people and screenshot folder as ``test_browser``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from jixiao.core.workflow import State
from jixiao.documents.importer import import_path
from jixiao.web.audit.services import Context
from jixiao.web.cycle.models import Declaration, Publication, SelfEvaluation
from jixiao.web.cycle.services.loading import load_document
from tests.shared import SEEDS
from tests.web.browsing import Person, shot

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
SEED = SEEDS / "004_b2949c82b0b28d4f.txt"  # two 2024 self-evaluations, graded 优 and 良


@pytest.mark.shared
def test_a_reviewer_imports_a_seed_filters_the_summary_and_opens_a_chart_point(
    live_server: Any, people: dict[str, Any], browser: Any, shots: Path, settings: Any, tmp_path: Path
) -> None:
    """Upload, preview, confirm; the 汇总表 filtered to 良 shows that project; its point on the chart opens it."""
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    finance = Person(browser, base, "finance")
    page = finance.open("/work/imports/")
    page.set_input_files("input[name=files]", str(SEED))
    page.click("button:has-text('上传并读取')")
    page.wait_for_url("**/work/imports/*/")
    expect(page.locator("#job-state")).to_have_text("待确认")
    expected = [p.name for p in import_path(SEED).document.projects]
    for name in expected:
        expect(page.locator("table.list")).to_contain_text(name)
    shot(page, shots / "06-import-preview.png")
    page.check("input[name=create_units]")
    page.click("button:has-text('确认导入')")
    expect(page.locator("#job-state")).to_have_text("已导入")
    assert SelfEvaluation.objects.count() == len(expected)

    page.click("a:has-text('查看汇总表')")
    page.select_option("select[name=year]", "2024")
    page.select_option("select[name=grade]", "良")
    page.click("#summary-filters button:has-text('筛选')")
    rows = page.locator("#summary-table tbody tr")
    expect(rows).to_have_count(1)
    good = SelfEvaluation.objects.get(summary_grade="良")
    expect(rows.first).to_contain_text(good.declaration.project.name)
    expect(rows.first.locator("td.grade")).to_have_text("良")
    expect(page.locator("#summary-table tfoot")).to_contain_text("合计：1 个项目")
    shot(page, shots / "07-summary-filtered-to-good.png")

    page.click("a:has-text('统计图')")
    page.wait_for_url("**/work/summary/dashboard/**")
    page.wait_for_function("window.echarts && echarts.getInstanceByDom(document.getElementById('chart-scatter'))")
    shot(page, shots / "08-dashboard.png")
    # where the 良 project's point is drawn, from the chart's own coordinate system
    x, y = page.evaluate(
        """([rate, score]) => echarts.getInstanceByDom(document.getElementById('chart-scatter'))
             .convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [rate, score])""",
        [float(good.execution_rate), float(good.total_score)],
    )
    box = page.locator("#chart-scatter").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url(f"**/work/evaluations/{good.pk}/")
    expect(page.locator("h1")).to_contain_text(good.declaration.project.name)
    expect(page.locator("#origin")).to_contain_text(SEED.name)
    finance.close()


def test_an_anonymous_reader_searches_the_portal_and_downloads_a_form(
    live_server: Any, people: dict[str, Any], browser: Any, shots: Path, tmp_path: Path
) -> None:
    """Search by a word of a goal (not of the name), open the form in the official layout, download its JSON."""
    from playwright.sync_api import expect

    document = import_path(ROOT / "examples" / "2024-self-evaluation-tabbed.txt").document
    load_document(
        Context.system(),
        document,
        bureau=people["finance"].account.organization,
        create_orgs=True,
        state_for=lambda n, p: State.PUBLISHED,
    )
    target = document.projects[1]
    word = "消防"  # in the goal of one project only, not in any name
    assert word in (target.goal or "") and word not in target.name
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.fill("#portal-search input[name=q]", word)
    page.click("#portal-search button")
    rows = page.locator("#publications tbody tr")
    expect(rows).to_have_count(2)  # its declaration and its self-evaluation
    expect(rows.first).to_contain_text(target.name)
    shot(page, shots / "09-portal-search.png")
    page.click("#publications tbody tr:has-text('绩效自评') a:has-text('" + target.name + "')")
    expect(page.locator("#official-form")).to_contain_text("一级指标")
    expect(page.locator(".sheet-title")).to_contain_text("绩效自评表")
    shot(page, shots / "10-portal-official-form.png")
    with page.expect_download() as info:
        page.click("#download-json")
    saved = tmp_path / "form.json"
    info.value.save_as(saved)
    data = json.loads(saved.read_text("utf-8"))
    publication = Publication.objects.get(kind="evaluation", project_name=target.name)
    assert data == json.loads(publication.document)
    assert data["projects"][0]["name"] == target.name
    assert Declaration.objects.filter(state=State.PUBLISHED.value).count() == len(document.projects)
    context.close()
