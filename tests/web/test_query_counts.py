"""Each page costs the same number of queries whatever the data: no N+1 in lists, record pages or the form.

Every test builds a small data set (3 projects: the two measured ones with
5 indicators and one pass through review, one more with a 2024 and a 2025
declaration) and counts the queries of one page; then the data grows
tenfold (30 more projects, 58 more declarations: a second list page) and the
page is counted again on a record that is larger in every way a record
grows: 10x the indicators, three returns and resubmissions in its review
history, three recorded adjustments. The two counts must be equal. On
failure the message lists the statements that repeat, which is where the
N+1 is. Runs on SQLite and on PostgreSQL (``DATABASE_URL``) alike.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jixiao.core.workflow import Action, State
from jixiao.web.cycle import services
from jixiao.web.cycle.models import Declaration, SelfEvaluation
from jixiao.web.orgs.models import Organization
from tests.web.conftest import DECLARATION_DATA, advance, ctx

pytestmark = pytest.mark.django_db

SMALL = {"projects": 3, "indicators": 5, "returns": 0, "adjustments": 1}
LARGE = {"projects": 30, "indicators": 50, "returns": 3, "adjustments": 3}
LEVELS = [
    ("产出指标", "数量指标", "培训场次", "≥4(次)", "5次"),
    ("产出指标", "质量指标", "培训合格率", "≥90%", "95%"),
    ("产出指标", "时效指标", "完成及时率", "=100%", "100%"),
    ("成本指标", "经济成本指标", "人均培训成本", "≤800(元/人)", "760元/人"),
    ("效益指标", "社会效益指标", "业务能力提升情况", "有效提升", "有效提升"),
    ("满意度指标", "服务对象满意度指标", "参训人员满意度", "≥85%", "92%"),
]


@dataclass
class Measured:
    """The records a page is counted on, and who looks at them."""

    declaration: Declaration  # approved, seen by the finance bureau
    evaluation: SelfEvaluation  # submitted and approved by the department, seen by the finance bureau
    form: SelfEvaluation  # returned to its unit, opened in the self-evaluation form by the unit's staff


def _indicators(count: int) -> list[services.IndicatorInput]:
    """``count`` indicator rows in tree order, weights summing to 90 (the execution rate holds the other 10)."""
    per = (Decimal(90) / count).quantize(Decimal("0.01"))
    rows = []
    for n in range(count):
        level1, level2, name, target, _ = LEVELS[n * len(LEVELS) // count]
        weight = per if n < count - 1 else Decimal(90) - per * (count - 1)
        rows.append(services.IndicatorInput(level1, level2, f"{name}（{n + 1}）", target, weight))
    return rows


def _fill(ev: SelfEvaluation, staff: Any) -> SelfEvaluation:
    """Every field a submission needs, each score at its weight with a reason given."""
    actual = {f"{name}": done for _, _, name, _, done in LEVELS}
    rows = [
        services.EvaluationRowInput(
            r.indicator_id, actual[r.indicator.name.split("（")[0]], r.indicator.weight, "", "按实际完成情况评分"
        )
        for r in ev.indicators.select_related("indicator")
    ]
    data = {
        "money_unit": "元",
        "initial_total": Decimal("100000.00"),
        "adjusted_total": Decimal("100000.00"),
        "executed_total": Decimal("96000.00"),
        "rate_pct": Decimal("96.00"),
        "execution_weight": Decimal("10"),
        "execution_score": Decimal("9.60"),
        "outcome": "全年组织培训，合格率95%，经费按计划执行。",
        "total_score": Decimal("99.60"),
        "grade": "优",
    }
    return services.update_evaluation(ctx(staff), ev, ev.version, data, rows)


def _cycle(record: Any, people: dict[str, Any], staff: str, dept: str, returns: int) -> Any:
    """Submit and return ``returns`` times: the review history a record gathers when it is sent back."""
    for _ in range(returns):
        record = services.act(ctx(people[staff]), record, Action.SUBMIT)
        record = services.act(ctx(people[dept]), record, Action.RETURN, "请补充说明偏差原因。")
    return record


def _record(
    people: dict[str, Any], unit: Organization, staff: str, dept: str, name: str, year: int, size: dict[str, int]
) -> tuple[Declaration, SelfEvaluation]:
    """An approved declaration with ``size`` indicators, returns and adjustments, and its filled self-evaluation."""
    decl = services.create_declaration(
        ctx(people[staff]), unit, name, year, DECLARATION_DATA, _indicators(size["indicators"])
    )
    decl = _cycle(decl, people, staff, dept, size["returns"])
    decl = advance(decl, people, staff, dept, State.APPROVED)
    first = decl.indicators.first()
    assert first is not None
    for n in range(size["adjustments"]):
        services.adjust_indicator(ctx(people["finance"]), decl, first, "target", f"≥{5 + n}(次)", "年中任务调整。")
    decl = Declaration.objects.get(pk=decl.pk)
    ev = _fill(services.create_evaluation(ctx(people[staff]), decl), people[staff])
    return decl, ev


def _build(people: dict[str, Any], tree: Any, size: dict[str, int], tag: str) -> Measured:
    """``size["projects"]`` projects over three units: two measured, the others with a 2024 and a 2025 declaration."""
    units = [
        (tree.unit_a1, "staff_a1", "dept_a"),
        (tree.unit_a2, "staff_a2", "dept_a"),
        (tree.unit_b1, "staff_b1", "dept_b"),
    ]
    background = {"projects": 1, "indicators": 5, "returns": 0, "adjustments": 0}
    for n in range(size["projects"] - 2):
        unit, staff, dept = units[n % len(units)]
        _, ev = _record(people, unit, staff, dept, f"{tag}背景项目{n}", 2024, background)
        if n % 2:
            services.act(ctx(people[staff]), ev, Action.SUBMIT)
        nxt = services.create_declaration(
            ctx(people[staff]), unit, f"{tag}背景项目{n}", 2025, DECLARATION_DATA, _indicators(5)
        )
        if n % 3:
            services.act(ctx(people[staff]), nxt, Action.SUBMIT)

    decl, ev = _record(people, tree.unit_a1, "staff_a1", "dept_a", f"{tag}被查看的申报表", 2024, size)
    ev = _cycle(ev, people, "staff_a1", "dept_a", size["returns"])
    ev = advance(ev, people, "staff_a1", "dept_a", State.DEPT_APPROVED)
    _, form = _record(people, tree.unit_a1, "staff_a1", "dept_a", f"{tag}正在自评的项目", 2024, size)
    form = _cycle(form, people, "staff_a1", "dept_a", max(1, size["returns"]))
    assert SelfEvaluation.objects.get(pk=form.pk).state == State.RETURNED.value
    return Measured(decl, ev, form)


PAGES = {
    "declaration_list": ("finance", lambda m: "/work/declarations/"),
    "evaluation_list": ("finance", lambda m: "/work/evaluations/"),
    "declaration_page": ("finance", lambda m: f"/work/declarations/{m.declaration.pk}/"),
    "evaluation_page": ("finance", lambda m: f"/work/evaluations/{m.evaluation.pk}/"),
    "evaluation_form": ("staff_a1", lambda m: f"/work/evaluations/{m.form.pk}/edit/"),
}


def _count(client: Client, url: str) -> list[str]:
    """The statements one GET of ``url`` runs, after a first GET has warmed every per-process cache."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


def _shape(sql: str) -> str:
    """A statement with its literals blanked, so that the same query for another row counts as a repeat."""
    return re.sub(r"'[^']*'|\d+", "?", sql)[:240]


@pytest.mark.parametrize("page", list(PAGES))
def test_page_query_count_does_not_grow_with_data(page: str, tree: Any, people: dict[str, Any], login: Any) -> None:
    """The page runs as many queries on 30 projects and a 50-indicator record as on 3 projects and 5."""
    who, url_of = PAGES[page]
    client = login(people[who])
    small = _count(client, url_of(_build(people, tree, SMALL, "小")))
    large = _count(client, url_of(_build(people, tree, LARGE, "大")))
    before, after = Counter(map(_shape, small)), Counter(map(_shape, large))
    repeated = {s: f"{before[s]} -> {n}" for s, n in after.items() if n > before[s]}
    assert len(large) == len(small), (
        f"{page}: {len(small)} queries on the small data set, {len(large)} on the large one; "
        f"statements that repeat more: {repeated}"
    )
