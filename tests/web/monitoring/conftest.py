"""Fixtures of the monitoring tests: approved declarations in both departments, and a round over them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from jixiao.core.workflow import State
from jixiao.web.cycle.models import Declaration
from jixiao.web.monitoring import services
from jixiao.web.monitoring.models import MonitoringRecord, MonitoringRound
from tests.web.conftest import advance, ctx, declare

AS_OF, DUE = date(2025, 7, 31), date(2025, 8, 15)


@pytest.fixture
def approved(tree: Any, people: dict[str, Any]) -> dict[str, Declaration]:
    """One approved declaration in each of units A1, A2 (department A) and B1 (department B), and a draft in A1."""
    return {
        "a1": advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED),
        "a2": advance(declare(people["staff_a2"], tree.unit_a2), people, "staff_a2", "dept_a", State.APPROVED),
        "b1": advance(declare(people["staff_b1"], tree.unit_b1), people, "staff_b1", "dept_b", State.APPROVED),
        "a1_draft": declare(people["staff_a1"], tree.unit_a1, name="未批复的项目"),
    }


def open_all(people: dict[str, Any]) -> MonitoringRound:
    """The finance bureau's round over every department."""
    return services.open_round(ctx(people["finance"]), 2025, AS_OF, DUE).round


def record_of(round_: MonitoringRound, decl: Declaration) -> MonitoringRecord:
    """The round's record of ``decl``."""
    return MonitoringRecord.objects.get(round=round_, declaration=decl)


FILLED = {
    "money_unit": "元",
    "budget_total": Decimal("100000.00"),
    "executed_to_date": Decimal("45000.00"),
    "forecast_total": Decimal("98000.00"),
    "outcome": "已组织培训2次，合格率92%。",
}
ROWS = [
    ("2次", "4次", (), "", "确定能", ""),
    ("92%", "≥90%", (), "", "确定能", ""),
    ("初步提升", "有效提升", (), "", "确定能", ""),
    ("80%", "85%", ("人员保障",), "部分学员未参训", "有可能", "下半年补训"),
]


def fill(rec: MonitoringRecord, staff: Any) -> MonitoringRecord:
    """A complete monitoring form saved through the service."""
    rows = [
        services.MonitoringRowInput(r.indicator_id, *values)
        for r, values in zip(rec.rows.order_by("position"), ROWS, strict=True)
    ]
    return services.update_record(ctx(staff), rec, rec.version, dict(FILLED), rows)
