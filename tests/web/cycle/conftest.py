"""What the cycle's tests share: a continuing project's last approved year."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.core.workflow import Action, State
from jixiao.web.cycle import services
from jixiao.web.cycle.models import Declaration, SelfEvaluation
from tests.web.conftest import INDICATORS, advance, ctx, declare, evaluate

NAME = "业务培训经费"


@pytest.fixture
def last_year(tree: Any, people: dict[str, Any]) -> SelfEvaluation:
    """2025: a declaration approved, adjusted and dated, its self-evaluation submitted (4次, 95%, 达成指标, 90%; 优)."""
    staff = people["staff_a1"]
    decl = declare(staff, tree.unit_a1, NAME, 2025)
    decl = services.update_declaration(
        ctx(staff),
        decl,
        decl.version,
        {k: getattr(decl, k) for k in services.DECLARATION_FIELDS}
        | {"overall_goal": "提升经办队伍能力", "start_date": "2025-01-01", "end_date": "2025-12-31"},
        INDICATORS,
    )
    decl = advance(decl, people, "staff_a1", "dept_a", State.APPROVED)
    # an approved target changed with its reason: the copy takes the target as adjusted
    row = decl.indicators.get(name="参训人员满意度")
    services.adjust_indicator(ctx(people["finance"]), decl, row, "target", "≥88%", "上年满意度已达90%")
    ev = evaluate(Declaration.objects.get(pk=decl.pk), staff)
    services.act(ctx(staff), ev, Action.SUBMIT)
    return SelfEvaluation.objects.get(pk=ev.pk)
