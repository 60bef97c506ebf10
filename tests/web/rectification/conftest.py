"""Fixtures of the 整改事项 tests: private storage in a temporary folder, a project evaluated with low scores."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from jixiao.core.workflow import State
from jixiao.web.audit.services import Context
from jixiao.web.cycle import services as cycle
from jixiao.web.cycle.models import SelfEvaluation
from jixiao.web.rectification import services
from jixiao.web.rectification.models import Rectification
from tests.web.conftest import advance, ctx, declare

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"


def soon(days: int = 30) -> date:
    return timezone.localdate() + timedelta(days=days)


def low_evaluation(people: dict[str, Any], unit: Any, staff: str = "staff_a1", dept: str = "dept_a") -> SelfEvaluation:
    """Unit's approved 2025 declaration, self-evaluated 差: 培训场次 1 of 4 (7.50 of 30 points), submitted."""
    decl = advance(declare(people[staff], unit), people, staff, dept, State.APPROVED)
    ev = cycle.create_evaluation(ctx(people[staff]), decl)
    data = {
        "money_unit": "元",
        "initial_total": Decimal("100000.00"),
        "adjusted_total": Decimal("100000.00"),
        "executed_total": Decimal("40000.00"),
        "rate_pct": Decimal("40.00"),
        "execution_weight": Decimal("10"),
        "execution_score": Decimal("4.00"),
        "outcome": "全年仅组织培训1次。",
        "total_score": Decimal("58.69"),
        "grade": "差",
    }
    rows = [
        cycle.EvaluationRowInput(r.indicator_id, actual, Decimal(score), "场地未落实，培训推迟。", "")
        for r, (actual, score) in zip(
            ev.indicators.select_related("indicator"),
            [("1次", "7.50"), ("80%", "17.78"), ("部分提升", "20"), ("80%", "9.41")],
            strict=True,
        )
    ]
    ev = cycle.update_evaluation(ctx(people[staff]), ev, ev.version, data, rows)
    from jixiao.core.workflow import Action

    return cycle.act(ctx(people[staff]), ev, Action.SUBMIT)  # type: ignore[return-value]


def by_hand(who: Any, ev: SelfEvaluation, **more: Any) -> Rectification:
    """An item opened by hand on the evaluation's project and year."""
    new = services.NewItem(ev.declaration.project_id, ev.year, "落实培训场地，补办培训3次。", soon(), **more)
    return services.open_item(Context(user=who, ip="127.0.0.1"), new)
