"""The year-end self-evaluation starts from the last approved forecast and shows the monitoring (item 7)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from jixiao.core.workflow import Action
from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle.models import SelfEvaluation
from jixiao.web.monitoring import services
from jixiao.web.monitoring.history import indicator_history, last_approved
from jixiao.web.monitoring.models import MonitoringRecord
from tests.web.conftest import ctx
from tests.web.monitoring.conftest import fill, open_all, record_of
from tests.web.posting import form_data

pytestmark = pytest.mark.django_db


def approve(rec: MonitoringRecord, people: dict[str, Any]) -> MonitoringRecord:
    rec = services.act(ctx(people["staff_a1"]), rec, Action.SUBMIT)
    rec = services.act(ctx(people["dept_a"]), rec, Action.DEPT_APPROVE)
    return services.act(ctx(people["finance"]), rec, Action.FINANCE_APPROVE)


def two_rounds(people: dict[str, Any], approved: dict[str, Any]) -> tuple[MonitoringRecord, MonitoringRecord]:
    """July's form approved; October's filed with other forecasts and only submitted (not the basis)."""
    july = approve(fill(record_of(open_all(people), approved["a1"]), people["staff_a1"]), people)
    october = services.open_round(ctx(people["finance"]), 2025, date(2025, 10, 31), date(2025, 11, 15)).round
    oct_rec = fill(record_of(october, approved["a1"]), people["staff_a1"])
    rows = [
        services.MonitoringRowInput(
            r.indicator_id,
            r.actual,
            "3次" if n == 0 else r.forecast,
            tuple(r.cause),
            r.deviation,
            r.likelihood,
            r.remedy,
        )
        for n, r in enumerate(oct_rec.rows.all())
    ]
    oct_rec = services.update_record(ctx(people["staff_a1"]), oct_rec, oct_rec.version, {}, rows)
    return july, services.act(ctx(people["staff_a1"]), oct_rec, Action.SUBMIT)


def test_the_evaluation_starts_from_the_last_approved_forecast(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """Started on the declaration's page, its form shows July's approved forecasts as 实际完成值, and says so."""
    july, _ = two_rounds(people, approved)
    unit = login(people["staff_a1"])
    decl = approved["a1"]
    unit.post(reverse("cycle:evaluation_start", args=[decl.pk]))
    ev = SelfEvaluation.objects.get(declaration=decl)
    assert [r.actual for r in ev.indicators.all()] == ["4次", "≥90%", "有效提升", "85%"]  # not October's 3次
    event = AuditEvent.objects.get(event="create", object_type="cycle.selfevaluation")
    assert event.detail["from_monitoring"] == july.pk
    page = unit.get(reverse("cycle:evaluation_edit", args=[ev.pk])).content.decode()
    assert form_data(page, "evaluation-form")["row-0-actual"] == "4次"
    assert "实际完成值取自2025年7月31日监控（已财政批复）的全年预计完成值，请按年末实际完成情况修改" in page
    # the unit corrects one value and saves the form as rendered: the others stay as they began
    data = form_data(page, "evaluation-form", **{"row-0-actual": "5次"})
    unit.post(reverse("cycle:evaluation_edit", args=[ev.pk]), data)
    assert [r.actual for r in ev.indicators.all()] == ["5次", "≥90%", "有效提升", "85%"]


def test_the_evaluation_shows_each_indicators_monitoring(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """Per indicator: each round's date, value so far, forecast, likelihood and alerts, on the page and the form."""
    july, _ = two_rounds(people, approved)
    history = indicator_history(people["staff_a1"], approved["a1"])
    first = history[july.rows.first().indicator_id]
    assert [(h.as_of, h.actual, h.forecast, h.likelihood) for h in first] == [
        (date(2025, 7, 31), "2次", "4次", "确定能"),
        (date(2025, 10, 31), "2次", "3次", "确定能"),
    ]
    assert any("4" in a for a in first[1].alerts)  # October's 3次 misses ≥4(次): its alert comes along
    assert first[0].alerts == []
    unit = login(people["staff_a1"])
    unit.post(reverse("cycle:evaluation_start", args=[approved["a1"].pk]))
    ev = SelfEvaluation.objects.get()
    for name in ("cycle:evaluation_detail", "cycle:evaluation_edit"):
        page = unit.get(reverse(name, args=[ev.pk])).content.decode()
        assert "年中绩效运行监控情况" in page and "2025年10月31日" in page and "3次" in page
        assert "（已提交）" in page  # October's form is not approved yet: it says so
    # a reviewer of another department sees neither the evaluation nor its monitoring
    assert indicator_history(people["dept_b"], approved["a1"]) == {}


def test_without_an_approved_form_the_evaluation_starts_empty(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """No monitoring at all shows no section; a submitted but unapproved form is shown but is no basis."""
    staff_b1 = login(people["staff_b1"])
    staff_b1.post(reverse("cycle:evaluation_start", args=[approved["b1"].pk]))
    other = SelfEvaluation.objects.get(declaration=approved["b1"])
    assert (
        "年中绩效运行监控情况" not in staff_b1.get(reverse("cycle:evaluation_edit", args=[other.pk])).content.decode()
    )
    rec = fill(record_of(open_all(people), approved["a1"]), people["staff_a1"])
    services.act(ctx(people["staff_a1"]), rec, Action.SUBMIT)
    assert last_approved(approved["a1"]) is None
    unit = login(people["staff_a1"])
    unit.post(reverse("cycle:evaluation_start", args=[approved["a1"].pk]))
    ev = SelfEvaluation.objects.get(declaration=approved["a1"])
    assert {r.actual for r in ev.indicators.all()} == {""}
    page = unit.get(reverse("cycle:evaluation_edit", args=[ev.pk])).content.decode()
    assert "年中绩效运行监控情况" in page and "取自" not in page


def test_the_history_shows_the_monitoring_alerts_only(
    tree: Any, people: dict[str, Any], approved: dict[str, Any]
) -> None:
    """A target's vague wording (the declaration's matter) is not a monitoring alert beside the indicator."""
    july = fill(record_of(open_all(people), approved["a1"]), people["staff_a1"])
    assert july.findings.filter(indicator_index=2).exists()  # 有效提升: only a direction, the target check's
    history = indicator_history(people["staff_a1"], approved["a1"])
    assert history[list(july.rows.all())[2].indicator_id][0].alerts == []
