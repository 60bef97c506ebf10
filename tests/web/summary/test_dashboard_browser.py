"""The dashboard in a real browser under the site's content security policy: tooltips work and stay text.

ECharts' HTML tooltips are built from markup with style attributes, which the policy (``style-src 'self'``)
refuses: the browser reported a violation on every hover and showed 「优5」 unformatted. And the scatter's
tooltip was HTML made from project names: only the policy stopped a name like ``"><img src=x onerror=…>``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixiao.core.workflow import State
from jixiao.web.cycle import services
from jixiao.web.cycle.models import SelfEvaluation
from tests.web.browsing import Person, shot
from tests.web.conftest import advance, ctx, declare, evaluate

pytestmark = pytest.mark.django_db(transaction=True)
HOSTILE = '"><img src=x onerror="window.__xss=1">{a|b}'


def _evaluated(people: dict[str, Any], unit: Any, name: str, executed: str, score: str) -> SelfEvaluation:
    """An approved declaration and its filled self-evaluation, with the given execution and total."""
    decl = advance(
        declare(people["staff_a1"], unit, name=name, year=2025), people, "staff_a1", "dept_a", State.APPROVED
    )
    ev = evaluate(decl, people["staff_a1"])
    data = {k: getattr(ev, k) for k in services.EVALUATION_FIELDS} | {
        "executed_total": Decimal(executed),
        "rate_pct": Decimal(executed) / 1000,
        "total_score": Decimal(score),
        "grade": "优" if Decimal(score) >= 90 else "良",
    }
    rows = [
        services.EvaluationRowInput(r.indicator_id, r.actual, r.score, r.deviation, r.score_reason)
        for r in ev.indicators.all()
    ]
    return services.update_evaluation(ctx(people["staff_a1"]), ev, ev.version, data, rows)


def test_tooltips_work_under_the_policy_and_show_names_as_text(
    live_server: Any, people: dict[str, Any], tree: Any, browser: Any, shots: Path
) -> None:
    """No policy violation or console error; the grade and scatter tooltips read as formatted text; no markup runs."""
    from playwright.sync_api import expect

    hostile = _evaluated(people, tree.unit_a1, HOSTILE, "95000.00", "99.50")
    _evaluated(people, tree.unit_a1, "业务培训经费（二期）", "80000.00", "85.00")
    staff = Person(browser, live_server.url, "staff_a1")
    page = staff.page
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error('CSP ' + e.violatedDirective));"
    )
    staff.open("/work/summary/dashboard/?year=2025")
    page.wait_for_function("window.echarts && echarts.getInstanceByDom(document.getElementById('chart-scatter'))")

    # the grade bar of 优 (the projects scored 99.5 and 85: 优 and 良, one each)
    bars = page.locator("#chart-grades")
    bars.scroll_into_view_if_needed()
    box = bars.bounding_box()
    x, y = page.evaluate(
        """() => echarts.getInstanceByDom(document.getElementById('chart-grades'))
             .convertToPixel({seriesIndex: 0}, ['优', 0.5])"""
    )
    page.mouse.move(box["x"] + x, box["y"] + y)
    page.wait_for_timeout(400)
    assert problems == []  # ECharts' own tooltip markup was refused here, once per hover
    grades_tip = page.locator("#chart-grades .jixiao-tooltip")
    expect(grades_tip).to_be_visible()
    expect(grades_tip).to_contain_text("优")
    expect(grades_tip).to_contain_text("项目数：1")

    scatter = page.locator("#chart-scatter")
    scatter.scroll_into_view_if_needed()
    box = scatter.bounding_box()
    x, y = page.evaluate(
        """([rate, score]) => echarts.getInstanceByDom(document.getElementById('chart-scatter'))
             .convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [rate, score])""",
        [float(hostile.execution_rate), float(hostile.total_score)],
    )
    page.mouse.move(box["x"] + x, box["y"] + y)
    tip = page.locator("#chart-scatter .jixiao-tooltip")
    expect(tip).to_be_visible()
    expect(tip).to_contain_text(HOSTILE)  # the name, character for character, as text
    expect(tip).to_contain_text("执行率 95.00%，总分 99.50")
    assert page.locator("#chart-scatter img").count() == 0
    assert page.evaluate("() => window.__xss") is None
    shot(page, shots / "19-dashboard-tooltip-under-csp.png")

    # an axis tooltip (the year-on-year chart): the year and each series with its unit
    years = page.locator("#chart-years")
    years.scroll_into_view_if_needed()
    box = years.bounding_box()
    x, y = page.evaluate(
        """() => echarts.getInstanceByDom(document.getElementById('chart-years'))
             .convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, ['2025', 1])"""
    )
    page.mouse.move(box["x"] + x, box["y"] + y)
    years_tip = page.locator("#chart-years .jixiao-tooltip")
    expect(years_tip).to_contain_text("2025 年度")
    expect(years_tip).to_contain_text("全年执行数：17.50 万元")  # 95,000 + 80,000 元
    assert problems == []
    staff.close()
