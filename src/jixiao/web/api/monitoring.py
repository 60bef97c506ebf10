"""The monitoring API (``/api/v1/monitoring/``): rounds and their progress, records, saves, review steps, alerts.

As the rest of the API: every read goes through the access helpers
(``visible_to``, ``get_for``; what a caller may not see is a 404), every
write through :mod:`jixiao.web.monitoring.services` (locking, the version
the client saw, one permission decision, the audit event), and the lists
are :mod:`jixiao.web.monitoring.lists`, the pages' own querysets.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Path, Query, Router

from jixiao.core.review import Finding, review_document
from jixiao.core.review.findings import Severity
from jixiao.core.review.monitoring import overdue_finding
from jixiao.core.scoring import DEFAULT_PACK
from jixiao.core.workflow import Action, Role, State
from jixiao.web.access import Person, get_for, role_of
from jixiao.web.api.errors import ApiError
from jixiao.web.api.monitoring_schemas import (
    AlertPage,
    MonitoringAction,
    MonitoringActionOut,
    RecordDetail,
    RecordIn,
    RecordPage,
    RoundDetail,
    RoundList,
)
from jixiao.web.api.schemas import MAX_ID, ActionIn, ErrorOut
from jixiao.web.audit.services import Context
from jixiao.web.cycle.packs import pack_named
from jixiao.web.cycle.services import ConflictError
from jixiao.web.monitoring import lists, services
from jixiao.web.monitoring.documents import execution_rate, monitoring_document
from jixiao.web.monitoring.models import MonitoringRecord, MonitoringRound, MonitoringStateChange
from jixiao.web.monitoring.schedule import schedule_of, shown
from jixiao.web.monitoring.views.progress import progress

router = Router(tags=["运行监控"])

Id = Annotated[int, Path(ge=1, le=MAX_ID, description="编号")]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=10**9)]


def _answers(ok: dict[int, Any], *codes: int) -> dict[Any, Any]:
    # as api._answers: every error documented in the ErrorOut shape; a token can also hear 429
    throttled = (429,) if 401 in codes else ()
    return {**ok, frozenset(codes + throttled): ErrorOut}


# -- rounds ----------------------------------------------------------------------------------------


def _round(r: MonitoringRound) -> dict[str, Any]:
    return {
        "id": r.pk,
        "title": str(r),
        "year": r.year,
        "as_of": r.as_of,
        "due": r.due,
        "status": r.status,
        "status_label": r.get_status_display(),
        "all_departments": r.all_departments,
        # read through the prefetch: one query for every round of the list
        "departments": sorted(d.pk for d in r.departments.all()),
        "opened_in": r.opened_in.name,
    }


@router.get("/rounds", response=_answers({200: RoundList}, 401, 422), summary="监控批次列表")
def list_rounds(request: HttpRequest) -> dict[str, Any]:
    """The monitoring rounds the caller may see (the finance bureau all; others those covering their department)."""
    rounds = list(lists.visible_rounds(request.user).select_related("opened_in").prefetch_related("departments"))
    return {"count": len(rounds), "items": [_round(r) for r in rounds]}


@router.get("/rounds/{id}", response=_answers({200: RoundDetail}, 401, 404, 422), summary="监控批次及填报进度")
def get_round(request: HttpRequest, id: Id) -> dict[str, Any]:
    """A round with its progress by department (filed, not filed, late, approved, alerts) in the caller's scope."""
    related = MonitoringRound.objects.select_related("opened_in").prefetch_related("departments")
    round_ = get_for(request.user, related, id)
    lines = progress(round_, request.user, timezone.localdate())
    schedule, floor = schedule_of(DEFAULT_PACK, round_.as_of)
    method = pack_named(DEFAULT_PACK).monitoring.schedule
    return _round(round_) | {
        "progress": [vars(line) for line in lines],
        "schedule": {"schedule_pct": shown(schedule), "alert_pct": shown(floor), "method": method},
    }


# -- records ---------------------------------------------------------------------------------------


def _item(rec: MonitoringRecord, today: Any) -> dict[str, Any]:
    return {
        "id": rec.pk,
        "round_id": rec.round_id,
        "declaration_id": rec.declaration_id,
        "project": rec.project_name,
        "unit_id": rec.unit_id,
        "unit": rec.unit.name,
        "department_id": rec.department_id,
        "department": rec.department.name,
        "state": rec.state,
        "state_label": State(rec.state).label,
        "version": rec.version,
        "submitted_at": rec.submitted_at,
        "late": lists.is_late(rec, today),
        "money_unit": rec.money_unit,
        "budget_total": rec.budget_total,
        "executed_to_date": rec.executed_to_date,
        "forecast_total": rec.forecast_total,
        "execution_rate": execution_rate(rec.executed_to_date, rec.budget_total),
        "errors": rec.errors,
        "warnings": rec.warnings,
        "infos": rec.infos,
    }


@router.get("/rounds/{id}/records", response=_answers({200: RecordPage}, 401, 404, 422), summary="监控批次的监控表")
def list_records(
    request: HttpRequest,
    id: Id,
    department: OptionalId = None,
    unit: OptionalId = None,
    state: Annotated[State | None, Query(description="状态")] = None,
    has_alerts: Annotated[bool | None, Query(description="true：有错误或警告的；false：没有的")] = None,
    late: Annotated[bool | None, Query(description="true：逾期的（截止日后才提交，或已过截止日仍未提交）")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The round's records the caller may see (reviewers never see a unit's draft), filtered, a page at a time."""
    round_ = get_for(request.user, MonitoringRound.objects.all(), id)
    today = timezone.localdate()
    filters = lists.RecordFilters(department, unit, state.value if state else None, has_alerts, late)
    qs = lists.round_records(request.user, round_, filters, today)
    items = [_item(rec, today) for rec in qs[offset : offset + limit]]
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": items}


def _record(request: HttpRequest, pk: int) -> MonitoringRecord:
    related = MonitoringRecord.objects.select_related("round", "unit", "department", "declaration")
    return get_for(request.user, related, pk)


def _findings(rec: MonitoringRecord, rows: list[Any]) -> list[Finding]:
    # the review of the form as stored, by its own pack (as its page shows it), and its due date judged today
    found = review_document(monitoring_document(rec, rows), pack_named(rec.rule_pack))
    submitted = rec.submitted_at.date() if rec.submitted_at else None
    late = overdue_finding(rec.project_name, rec.unit.name, rec.round.due, timezone.localdate(), submitted)
    return [*found, late] if late is not None else found


def _who(change: MonitoringStateChange) -> str:
    if change.by is None:
        return "系统"
    account = getattr(change.by, "account", None)
    return (account.display_name if account is not None else "") or change.by.get_username()


@router.get("/records/{id}", response=_answers({200: RecordDetail}, 401, 404, 422), summary="监控表")
def get_record(request: HttpRequest, id: Id) -> dict[str, Any]:
    """A monitoring form: header and money, each approved indicator with its monitoring, findings, review history."""
    rec = _record(request, id)
    rows = list(rec.rows.select_related("indicator"))
    steps = MonitoringStateChange.objects.filter(record=rec).select_related("by__account")
    return _item(rec, timezone.localdate()) | {
        "as_of": rec.round.as_of,
        "due": rec.round.due,
        "goal": rec.declaration.goal,
        "outcome": rec.outcome,
        "rows": [
            {
                "index": n,
                "indicator_id": r.indicator_id,
                "level1": r.indicator.level1,
                "level2": r.indicator.level2,
                "name": r.indicator.name,
                "target": r.indicator.target,
                "actual": r.actual,
                "forecast": r.forecast,
                "cause": list(r.cause or []),
                "deviation": r.deviation,
                "likelihood": r.likelihood,
                "remedy": r.remedy,
            }
            for n, r in enumerate(rows)
        ],
        "findings": _findings(rec, rows),
        "history": [
            {
                "action": s.action,
                "action_label": s.action_label,
                "old_state": s.old_state,
                "new_state": s.new_state,
                "comment": s.comment,
                "by": _who(s),
                "at": s.at,
            }
            for s in steps
        ],
    }


def _done(rec: MonitoringRecord) -> dict[str, Any]:
    return {
        "id": rec.pk,
        "kind": "monitoring",
        "state": rec.state,
        "state_label": State(rec.state).label,
        "version": rec.version,
        "errors": rec.errors,
        "warnings": rec.warnings,
        "infos": rec.infos,
    }


def _conflict(conflict: ConflictError, seen: int | None) -> ApiError:
    current = conflict.record
    return ApiError(
        409,
        "conflict",
        f"记录已被修改：您看到的是第 {seen} 版，当前是第 {current.version} 版，请重新读取后再操作。",
        {"current_version": current.version, "state": current.state},
    )


WRITE_ANSWERS = _answers({200: MonitoringActionOut}, 400, 401, 403, 404, 409, 413, 422)


@router.patch("/records/{id}", response=WRITE_ANSWERS, summary="保存监控表")
def save_record(request: HttpRequest, id: Id, payload: RecordIn) -> dict[str, Any]:
    """Save the unit's monitoring form, all or nothing: the fields sent change, those left out are kept.

    ``version`` must be the one read (else 409). Money is a number exact to the fen, zero or more; the
    year's forecast may not be below what is paid; each row must be one of the record's approved indicators.
    """
    rec = _record(request, id)
    sent = payload.model_dump(exclude_unset=True)
    data = {k: sent[k] for k in services.RECORD_FIELDS if k in sent}
    if data.get("outcome") is None and "outcome" in data:
        data["outcome"] = ""  # a text column holds "" for none
    if data.get("money_unit") is None:
        data.pop("money_unit", None)  # the unit is never empty: null keeps it
    rows = [
        services.MonitoringRowInput(
            r.indicator_id, r.actual, r.forecast, tuple(r.cause), r.deviation, r.likelihood, r.remedy
        )
        for r in payload.rows
    ]
    try:
        saved = services.update_record(Context.of(request), rec, payload.version, data, rows)
    except ConflictError as conflict:
        raise _conflict(conflict, payload.version) from None
    return _done(saved)


def _core_action(user: Person, action: MonitoringAction) -> Action:
    if action is MonitoringAction.APPROVE:
        return Action.FINANCE_APPROVE if role_of(user) is Role.FINANCE_REVIEWER else Action.DEPT_APPROVE
    return Action(action.value)


@router.post("/records/{id}/actions/{action}", response=WRITE_ANSWERS, summary="监控表审核操作")
def record_action(request: HttpRequest, id: Id, action: MonitoringAction, payload: ActionIn | None = None) -> Any:
    """Submit, return (a comment is required) or approve a monitoring form; returns its new state and version."""
    rec = _record(request, id)
    payload = payload or ActionIn()
    try:
        done = services.act(
            Context.of(request),
            rec,
            _core_action(request.user, action),
            payload.comment,
            expected_version=payload.version,
        )
    except ConflictError as conflict:
        raise _conflict(conflict, payload.version) from None
    return _done(done)


# -- alerts ----------------------------------------------------------------------------------------


@router.get("/alerts", response=_answers({200: AlertPage}, 401, 422), summary="预警列表")
def list_alerts(
    request: HttpRequest,
    round: OptionalId = None,
    department: OptionalId = None,
    code: Annotated[str | None, Query(max_length=60, pattern=r"^[a-z0-9-]+$", description="审核发现代码")] = None,
    severity: Annotated[Severity | None, Query(description="不给时为错误和警告")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The alerts of the monitoring records the caller may see, filtered, each with the page of its row."""
    filters = lists.AlertFilters(round, department, code, severity.value if severity else None)
    qs = lists.alerts(request.user, filters)
    items = []
    for f in qs[offset : offset + limit]:
        rec = f.record
        url = reverse("monitoring:record_detail", args=[rec.pk])
        items.append(
            {
                "record_id": rec.pk,
                "round_id": rec.round_id,
                "project": rec.project_name,
                "unit": rec.unit.name,
                "department_id": rec.department_id,
                "department": rec.department.name,
                "code": f.code,
                "title": lists.title_of(f.code),
                "severity": f.severity,
                "severity_label": Severity(f.severity).label,
                "indicator_index": f.indicator_index,
                "indicator": f.indicator,
                "message": f.message,
                "url": url + (f"#row-{f.indicator_index}" if f.indicator_index is not None else "#findings"),
            }
        )
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": items}
