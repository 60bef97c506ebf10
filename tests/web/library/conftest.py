"""Records to mine: submitted declarations in both departments, a draft, and an evaluated project."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from jixiao.core.workflow import State
from jixiao.web.cycle import services
from jixiao.web.cycle.models import Declaration
from tests.web.conftest import DECLARATION_DATA, INDICATORS, Tree, advance, ctx


def declared(people: dict[str, Any], staff: str, unit: Any, name: str, sessions: str, year: int = 2025) -> Declaration:
    """A declaration of ``name`` whose 培训场次 target is ``sessions``, submitted by ``staff``."""
    rows = [replace(INDICATORS[0], target=sessions), *INDICATORS[1:]]
    decl = services.create_declaration(ctx(people[staff]), unit, name, year, DECLARATION_DATA, rows)
    dept = "dept_a" if staff.endswith(("a1", "a2")) else "dept_b"
    return advance(decl, people, staff, dept, State.SUBMITTED)


@pytest.fixture
def records(tree: Tree, people: dict[str, Any]) -> dict[str, Declaration]:
    """Six submitted declarations (培训场次 from 2 to 12 次) in three units, and one draft nobody else sees."""
    made = {
        "a1": declared(people, "staff_a1", tree.unit_a1, "医保业务培训", "≥4(次)"),
        "a1b": declared(people, "staff_a1", tree.unit_a1, "医保稽核培训", "≥2(次)"),
        "a2": declared(people, "staff_a2", tree.unit_a2, "监督检查培训", "≥6(次)"),
        "a2b": declared(people, "staff_a2", tree.unit_a2, "基金监管培训", "≥8(次)"),
        "b1": declared(people, "staff_b1", tree.unit_b1, "教师培训", "≥10(次)"),
        "b1b": declared(people, "staff_b1", tree.unit_b1, "校长培训", "≥12(次)"),
    }
    rows = [replace(INDICATORS[0], name="秘密草稿指标"), *INDICATORS[1:]]
    made["draft"] = services.create_declaration(
        ctx(people["staff_b1"]), tree.unit_b1, "草稿项目", 2025, DECLARATION_DATA, rows
    )
    return made
