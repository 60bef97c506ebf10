"""The monitoring form's writes (issue 16, item 2): all or nothing, figures checked, review steps, audit and history."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jixiao.core.workflow import Action, State
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.sentences import describe
from jixiao.web.cycle.services import ConflictError
from jixiao.web.monitoring import services
from jixiao.web.monitoring.models import MonitoringFinding, MonitoringStateChange
from tests.web.conftest import ctx
from tests.web.monitoring.conftest import FILLED, ROWS, fill, open_all, record_of

pytestmark = pytest.mark.django_db
RECORD = "monitoring.monitoringrecord"  # the audit events' object type of a monitoring form


def _inputs(rec: Any, **change: Any) -> list[services.MonitoringRowInput]:
    rows = [services.MonitoringRowInput(r.indicator_id, *v) for r, v in zip(rec.rows.all(), ROWS, strict=True)]
    return [replace(rows[0], **change), *rows[1:]] if change else rows


def test_a_saved_form_keeps_every_field_and_an_audit_of_what_changed(
    tree: Any, people: dict[str, Any], approved: dict[str, Any]
) -> None:
    """Money, completion and each row are stored as typed; the audit holds the changed cells only."""
    rec = fill(record_of(open_all(people), approved["a1"]), people["staff_a1"])
    assert (rec.version, rec.executed_to_date, rec.forecast_total) == (2, Decimal("45000.00"), Decimal("98000.00"))
    last = list(rec.rows.all())[3]
    assert (last.actual, last.forecast, last.cause, last.likelihood, last.remedy) == (
        "80%",
        "85%",
        ["人员保障"],
        "有可能",
        "下半年补训",
    )
    event = AuditEvent.objects.filter(event=AuditEvent.Type.UPDATE, object_type=RECORD, object_id=str(rec.pk)).latest(
        "pk"
    )
    assert event.detail["after"]["executed_to_date"] == "45000.00"
    assert event.detail["after"]["monitoring_rows"]["4"]["cause"] == ["人员保障"]
    assert "level1" not in event.detail["after"]["monitoring_rows"]["4"]  # the approved target is never written here


def test_saving_twice_changes_only_what_changed(tree: Any, people: dict[str, Any], approved: dict[str, Any]) -> None:
    """The same form saved again adds a version but no row history; one changed cell adds one row's history."""
    rec = fill(record_of(open_all(people), approved["a1"]), people["staff_a1"])
    histories = [r.history.count() for r in rec.rows.all()]
    again = services.update_record(ctx(people["staff_a1"]), rec, rec.version, dict(FILLED), _inputs(rec))
    assert again.version == 3 and [r.history.count() for r in again.rows.all()] == histories
    third = services.update_record(ctx(people["staff_a1"]), again, 3, dict(FILLED), _inputs(again, actual="3次"))
    assert [r.history.count() for r in third.rows.all()] == [histories[0] + 1, *histories[1:]]
    event = AuditEvent.objects.filter(event=AuditEvent.Type.UPDATE, object_type=RECORD, object_id=str(rec.pk)).latest(
        "pk"
    )
    assert event.detail["after"] == {"monitoring_rows": {"1": {"actual": "3次"}}}
    # the audit log says it with the form's own words
    assert "把第 1 行的“截至监控日完成值”从 2次 改为 3次。" in describe(event)


@pytest.mark.parametrize(
    ("money", "row", "said"),
    [
        ({"executed_to_date": Decimal("-1.00")}, {}, "截至监控日执行数不能为负数"),
        ({"budget_total": Decimal("-0.01")}, {}, "年度预算数不能为负数"),
        ({"forecast_total": Decimal("40000.00")}, {}, "全年预计执行数 40000.00 小于截至监控日执行数 45000.00"),
        ({}, {"cause": ("天气",)}, "第1行「培训场次」偏差原因类型「天气」不是"),
        ({}, {"likelihood": "也许"}, "第1行「培训场次」完成目标可能性「也许」不是"),
        ({}, {"forecast": "多" * 301}, "第1行「培训场次」全年预计完成值：确保该变量包含不超过 300 字符"),
    ],
)
def test_a_bad_figure_refuses_the_whole_save(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], money: dict[str, Any], row: dict[str, Any], said: str
) -> None:
    """Nothing of a refused save is kept: not the money, not the rows, not the version."""
    rec = fill(record_of(open_all(people), approved["a1"]), people["staff_a1"])
    with pytest.raises(ValidationError) as refused:
        services.update_record(
            ctx(people["staff_a1"]), rec, rec.version, dict(FILLED) | money, _inputs(rec, actual="3次", **row)
        )
    assert any(said in m for m in refused.value.messages), refused.value.messages
    rec.refresh_from_db()
    assert rec.version == 2 and rec.executed_to_date == Decimal("45000.00")
    assert rec.rows.first().actual == "2次"


def test_a_stale_save_is_refused_and_audited(tree: Any, people: dict[str, Any], approved: dict[str, Any]) -> None:
    """A save from version 1 after version 2 overwrites nothing and leaves a conflict event."""
    rec = record_of(open_all(people), approved["a1"])
    fill(rec, people["staff_a1"])
    with pytest.raises(ConflictError):
        services.update_record(ctx(people["staff_a1"]), rec, 1, dict(FILLED, outcome="旧的"), _inputs(rec))
    rec.refresh_from_db()
    assert rec.outcome == FILLED["outcome"]
    assert AuditEvent.objects.filter(
        event=AuditEvent.Type.CONFLICT, object_type=RECORD, object_id=str(rec.pk), success=False
    ).exists()


def test_the_review_cycle(tree: Any, people: dict[str, Any], approved: dict[str, Any]) -> None:
    """Submit, return with a comment, fix and submit again, department and finance approval; each step recorded."""
    rec = record_of(open_all(people), approved["a1"])
    with pytest.raises(ValidationError) as incomplete:
        services.act(ctx(people["staff_a1"]), rec, Action.SUBMIT)
    assert "请填写截至监控日执行数。" in incomplete.value.messages
    assert "第1行「培训场次」请填写截至监控日完成值、全年预计完成值、完成目标可能性。" in incomplete.value.messages
    rec = fill(rec, people["staff_a1"])
    rec = services.act(ctx(people["staff_a1"]), rec, Action.SUBMIT)
    assert rec.state == State.SUBMITTED.value and rec.submitted_at is not None
    first_submission = rec.submitted_at
    with pytest.raises(PermissionDenied):  # another department's reviewer: not within its scope
        services.act(ctx(people["dept_b"]), rec, Action.DEPT_APPROVE)
    with pytest.raises(ValidationError, match="退回意见"):
        services.act(ctx(people["dept_a"]), rec, Action.RETURN, "  ")
    rec = services.act(ctx(people["dept_a"]), rec, Action.RETURN, "满意度偏差请说明原因")
    rec = services.update_record(
        ctx(people["staff_a1"]), rec, rec.version, dict(FILLED), _inputs(rec, deviation="上半年培训未开展满")
    )
    rec = services.act(ctx(people["staff_a1"]), rec, Action.SUBMIT)
    assert rec.submitted_at == first_submission  # late or not is decided by the first submission
    rec = services.act(ctx(people["dept_a"]), rec, Action.DEPT_APPROVE)
    rec = services.act(ctx(people["finance"]), rec, Action.FINANCE_APPROVE, expected_version=rec.version)
    assert rec.state == State.APPROVED.value
    steps = list(MonitoringStateChange.objects.filter(record=rec).values_list("action", "new_state", "comment"))
    assert steps == [
        ("submit", "submitted", ""),
        ("return", "returned", "满意度偏差请说明原因"),
        ("submit", "submitted", ""),
        ("dept_approve", "dept_approved", ""),
        ("finance_approve", "approved", ""),
    ]
    events = AuditEvent.objects.filter(object_type=RECORD, object_id=str(rec.pk))
    assert list(events.exclude(event=AuditEvent.Type.UPDATE).values_list("event", flat=True).order_by("pk")) == [
        "submit",
        "return",
        "submit",
        "approve",
        "approve",
    ]
    with pytest.raises(PermissionDenied):  # approved: the unit may no longer edit it
        services.update_record(ctx(people["staff_a1"]), rec, rec.version, dict(FILLED), _inputs(rec))
    with pytest.raises(ValidationError, match="不是监控表的审核操作"):
        services.act(ctx(people["finance"]), rec, Action.PUBLISH)


def test_findings_are_stored_with_each_save(tree: Any, people: dict[str, Any], approved: dict[str, Any]) -> None:
    """The review's findings of the form as saved are kept and counted (what the round's progress sums)."""
    rec = fill(record_of(open_all(people), approved["a1"]), people["staff_a1"])
    stored = MonitoringFinding.objects.filter(record=rec)
    assert rec.warnings + rec.errors == stored.filter(severity__in=["warning", "error"]).count()
    assert stored.exists()


def test_what_the_review_finds_impossible_stops_the_submission(
    tree: Any, people: dict[str, Any], approved: dict[str, Any]
) -> None:
    """More paid than budgeted may be saved (the page warns), but the review's error stops the submission."""
    from jixiao.core.review import blocking, review_document
    from jixiao.web.monitoring.documents import monitoring_document

    rec = fill(record_of(open_all(people), approved["a1"]), people["staff_a1"])
    over = dict(FILLED, executed_to_date=Decimal("120000.00"), forecast_total=Decimal("120000.00"))
    rec = services.update_record(ctx(people["staff_a1"]), rec, rec.version, over, _inputs(rec))
    impossible = blocking(review_document(monitoring_document(rec)))
    assert impossible  # the review's own judgement of this form
    with pytest.raises(ValidationError) as refused:
        services.act(ctx(people["staff_a1"]), rec, Action.SUBMIT)
    assert impossible[0].message in refused.value.messages
    rec.refresh_from_db()
    assert rec.state == State.DRAFT.value
