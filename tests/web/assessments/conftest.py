"""Fixtures of the assessment tests: a new project above the gate's amount, an expert pool with logins."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.core.workflow import Role, State
from jixiao.web.assessments import services as assessing
from jixiao.web.assessments.models import Assessment, Expert
from jixiao.web.cycle import services
from jixiao.web.cycle.models import Declaration
from tests.web.conftest import DECLARATION_DATA, INDICATORS, Tree, advance, ctx, make_user

NEW_PROJECT = (
    DECLARATION_DATA
    | {"nature": "新增项目", "money_unit": "万元"}
    | {
        "requested_total": Decimal("600.00"),
        "requested_current": Decimal("600.00"),
    }
)


def new_declaration(people: dict[str, Any], tree: Tree, to: State = State.DEPT_APPROVED) -> Declaration:
    """A new project of 600 万元 (above the default 500 万元) moved to ``to``."""
    decl = services.create_declaration(
        ctx(people["staff_a1"]), tree.unit_a1, "智慧教室建设", 2026, NEW_PROJECT, INDICATORS
    )
    return advance(decl, people, "staff_a1", "dept_a", to)


@pytest.fixture
def pool(tree: Tree, people: dict[str, Any]) -> dict[str, Expert]:
    """Five experts with logins: one works in the project's department, one declared a conflict with its unit."""
    experts = {}
    specs = [
        ("expert_1", "王教授", None, ()),
        ("expert_2", "李会计师", None, ()),
        ("expert_3", "赵研究员", None, ()),
        ("expert_4", "钱处长", tree.dept_a.pk, ()),
        ("expert_5", "孙工程师", None, (tree.unit_a1.pk,)),
    ]
    for username, name, department, conflicts in specs:
        user = make_user(username, Role.EXPERT, None)
        people[username] = user
        data = assessing.ExpertInput(name, "财务、教育", f"{name}所在大学", "", department, conflicts)
        experts[username] = assessing.save_expert(ctx(people["finance"]), data, user_id=user.pk)
    return experts


def scored(assessment: Assessment, people: dict[str, Any], each: str) -> None:
    """Every seated expert submits a sheet whose points sum to ``each`` (scaled from full marks)."""
    from jixiao.core.scoring.exante import national_default

    rules = national_default()
    share = Decimal(each) / 100
    for seat in assessment.seats.select_related("expert__user"):
        scores = {q.key: str((q.weight * share).quantize(Decimal("0.01"))) for q in rules.questions}
        assessing.submit_scores(ctx(seat.expert.user), assessment, scores, "论证充分。")
