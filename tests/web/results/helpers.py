"""Evaluated projects of the results tests: self-evaluations with a given result, approved by the finance bureau."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao.core.workflow import Action, State
from jixiao.web.cycle import services
from jixiao.web.cycle.models import SelfEvaluation
from jixiao.web.orgs.models import Organization
from tests.web.conftest import advance, ctx, declare

# (actual, score) per indicator and the execution score: what each grade's evaluation records
RESULTS = {
    "优": ([("4次", "30"), ("95%", "20"), ("达成指标", "30"), ("90%", "10")], "9.50", "99.50"),
    "良": ([("4次", "30"), ("88%", "15"), ("基本达成", "25"), ("86%", "10")], "9.50", "89.50"),
    "中": ([("3次", "22"), ("80%", "12"), ("部分达成", "20"), ("80%", "8")], "9.50", "71.50"),
    "差": ([("1次", "8"), ("50%", "5"), ("未达成", "10"), ("60%", "4")], "9.50", "36.50"),
}
STAFF = {"unit_a1": "staff_a1", "unit_a2": "staff_a2", "unit_b1": "staff_b1"}
DEPT = {"unit_a1": "dept_a", "unit_a2": "dept_a", "unit_b1": "dept_b"}


def evaluated(
    people: dict[str, Any],
    unit: Organization,
    unit_key: str,
    name: str,
    grade: str,
    budget: str = "100000.00",
    to: State = State.APPROVED,
    year: int = 2025,
) -> SelfEvaluation:
    """A project of ``unit`` declared, approved, evaluated with ``grade``'s scores and taken to ``to``."""
    staff, dept = STAFF[unit_key], DEPT[unit_key]
    decl = advance(declare(people[staff], unit, name, year), people, staff, dept, State.APPROVED)
    ev = services.create_evaluation(ctx(people[staff]), decl)
    rows_spec, execution, total = RESULTS[grade]
    data = {
        "money_unit": "元",
        "initial_total": Decimal(budget),
        "adjusted_total": Decimal(budget),
        "executed_total": (Decimal(budget) * Decimal("0.95")).quantize(Decimal("0.01")),
        "rate_pct": Decimal("95.00"),
        "execution_weight": Decimal("10"),
        "execution_score": Decimal(execution),
        "outcome": "全年工作按计划完成。",
        "total_score": Decimal(total),
        "grade": grade,
    }
    rows = [
        services.EvaluationRowInput(r.indicator_id, actual, Decimal(score), "偏差原因已说明", "按实际完成情况评分")
        for r, (actual, score) in zip(ev.indicators.select_related("indicator"), rows_spec, strict=True)
    ]
    ev = services.update_evaluation(ctx(people[staff]), ev, ev.version, data, rows)
    steps = [(staff, Action.SUBMIT), (dept, Action.DEPT_APPROVE), ("finance", Action.FINANCE_APPROVE)]
    if to is State.PUBLISHED:
        steps.append(("finance", Action.PUBLISH))
    for who, action in steps:
        ev = services.act(ctx(people[who]), ev, action, "")  # type: ignore[assignment]
    assert ev.state == to.value
    return ev
