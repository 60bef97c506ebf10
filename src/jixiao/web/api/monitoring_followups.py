"""The API of the actions following monitoring alerts (``/api/v1/monitoring/actions``): list, read, raise, do, end.

As the pages (:mod:`jixiao.web.monitoring.views.actions`): every read through the access helpers (an
action the caller may not see is a 404), every write through :mod:`jixiao.web.monitoring.services`
(one permission decision on the locked row, a step in the action's history, an audit event, notices).
Evidence files are sent through the page; the API reports what was done as text.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Schema
from pydantic import Field, WithJsonSchema

from jixiao.web.access import get_for
from jixiao.web.api.schemas import MAX_ID, ErrorOut
from jixiao.web.audit.services import Context
from jixiao.web.monitoring import services
from jixiao.web.monitoring.action_models import ActionStep, MonitoringAction
from jixiao.web.monitoring.models import MonitoringRecord

router = Router(tags=["运行监控"])

Id = Annotated[int, Path(ge=1, le=MAX_ID, description="编号")]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=10**9)]
TEXT = r"^[^\x00]*$"  # no NUL: PostgreSQL cannot store one (the pages refuse it too)
Kind = Literal["correct", "adjust", "reduce"]
StateName = Literal["open", "submitted", "closed", "reopened", "cancelled"]
Number = Annotated[Decimal, WithJsonSchema({"type": "number"})]  # written with its digits (rendering.py)


def _answers(ok: dict[int, Any], *codes: int) -> dict[Any, Any]:
    # as api._answers: every error documented in the ErrorOut shape; a token can also hear 429
    throttled = (429,) if 401 in codes else ()
    return {**ok, frozenset(codes + throttled): ErrorOut}


class ActionStepOut(Schema):
    """One step of an action's history."""

    step: str
    step_label: str
    old_state: str
    new_state: str
    comment: str
    by: str
    at: datetime


class FollowUpOut(Schema):
    """An action following a monitoring form's alert: what, on which form, by whom, by when, where it stands."""

    id: int
    record_id: int
    round_id: int
    project: str
    unit_id: int
    unit: str
    department_id: int
    department: str
    row_id: int | None
    indicator: str | None
    alert_code: str
    alert_message: str
    kind: str
    kind_label: str
    owner: str = Field(description="unit：实施单位；finance：财政部门")
    owner_label: str
    task: str
    due: date
    overdue: bool = Field(description="待办理（或重新打开）且已过完成期限")
    state: str
    state_label: str
    amount: Number | None = Field(description="调减或收回预算的建议金额（元）")
    reason: str
    decision: str
    evidence: str
    raised_in: str
    created_at: datetime
    closed_at: datetime | None = Field(description="关闭或撤销的时间")


class FollowUpDetail(FollowUpOut):
    """An action with its history."""

    steps: list[ActionStepOut]


class FollowUpPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[FollowUpOut]


class FollowUpIn(Schema):
    """An action to raise on a monitoring form under review or approved (a reviewer of its department, or finance)."""

    record_id: int = Field(ge=1, le=MAX_ID)
    kind: Kind = Field(description="correct 纠偏；adjust 调整绩效目标；reduce 调减或收回预算")
    task: str = Field(min_length=1, max_length=4000, pattern=TEXT)
    due: date
    row_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="针对的指标行（监控表的 rows 之一）")
    alert: str = Field(default="", max_length=80, pattern=r"^[a-z0-9-]*@[0-9]*$|^$", description="预警：代码@指标序号")
    amount: Annotated[
        Decimal | None,
        Field(default=None, gt=0, max_digits=18, decimal_places=2),
        WithJsonSchema({"anyOf": [{"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.01}, {"type": "null"}]}),
    ] = None
    reason: str = Field(default="", max_length=4000, pattern=TEXT)


class ReportIn(Schema):
    """The owner's report of what was done; for 调减或收回预算 the finance bureau's decision."""

    evidence: str = Field(min_length=1, max_length=4000, pattern=TEXT)
    decision: Literal["", "accepted", "rejected"] = ""


class CommentIn(Schema):
    """A comment on closing (optional) or reopening (required)."""

    comment: str = Field(default="", max_length=2000, pattern=TEXT)


class CancelIn(Schema):
    """Why the action is cancelled (required)."""

    reason: str = Field(min_length=1, max_length=2000, pattern=TEXT)


def _who(step: ActionStep) -> str:
    if step.by is None:
        return "系统"
    account = getattr(step.by, "account", None)
    return (account.display_name if account is not None else "") or step.by.get_username()


def _out(a: MonitoringAction, today: date) -> dict[str, Any]:
    rec = a.record
    return {
        "id": a.pk,
        "record_id": rec.pk,
        "round_id": rec.round_id,
        "project": rec.project_name,
        "unit_id": rec.unit_id,
        "unit": rec.unit.name,
        "department_id": rec.department_id,
        "department": rec.department.name,
        "row_id": a.row_id,
        "indicator": a.row.indicator.name if a.row is not None else None,
        "alert_code": a.alert_code,
        "alert_message": a.alert_message,
        "kind": a.kind,
        "kind_label": a.get_kind_display(),
        "owner": a.owner,
        "owner_label": a.get_owner_display(),
        "task": a.task,
        "due": a.due,
        "overdue": a.overdue_on(today),
        "state": a.state,
        "state_label": a.get_state_display(),
        "amount": a.amount,
        "reason": a.reason,
        "decision": a.decision,
        "evidence": a.evidence,
        "raised_in": a.raised_in.name,
        "created_at": a.created_at,
        "closed_at": a.closed_at,
    }


def _related() -> Any:
    return MonitoringAction.objects.select_related("record__unit", "record__department", "row__indicator", "raised_in")


def _detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    action = get_for(request.user, _related(), pk)
    steps = action.steps.select_related("by__account")
    return _out(action, timezone.localdate()) | {
        "steps": [
            {
                "step": s.step,
                "step_label": s.get_step_display(),
                "old_state": s.old_state,
                "new_state": s.new_state,
                "comment": s.comment,
                "by": _who(s),
                "at": s.at,
            }
            for s in steps
        ]
    }


@router.get("/actions", response=_answers({200: FollowUpPage}, 401, 422), summary="整改事项列表")
def list_actions(
    request: HttpRequest,
    round: OptionalId = None,
    record: OptionalId = None,
    department: OptionalId = None,
    kind: Annotated[Kind | None, Query(description="类型")] = None,
    state: Annotated[StateName | None, Query(description="状态")] = None,
    owner: Annotated[Literal["unit", "finance"] | None, Query(description="责任方")] = None,
    overdue: Annotated[bool | None, Query(description="true：仅逾期的（待办理且已过完成期限）")] = None,
    pending: Annotated[bool | None, Query(description="true：仍待办理的（待办理、已重新打开）")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The actions on the monitoring forms the caller may see (a unit: its own), filtered, by due date."""
    today = timezone.localdate()
    qs = _related().visible_to(request.user)
    filters: dict[str, object] = {"record__round": round, "record": record, "record__department": department}
    filters |= {"kind": kind, "state": state, "owner": owner}
    qs = qs.filter(**{k: v for k, v in filters.items() if v is not None})
    if overdue is not None:
        late = Q(pk__in=MonitoringAction.objects.overdue(today).values("pk"))
        qs = qs.filter(late) if overdue else qs.exclude(late)
    if pending is not None:
        waiting = Q(state__in=MonitoringAction.PENDING)
        qs = qs.filter(waiting) if pending else qs.exclude(waiting)
    qs = qs.order_by("due", "pk")
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": [_out(a, today) for a in qs[offset : offset + limit]],
    }


@router.get("/actions/{id}", response=_answers({200: FollowUpDetail}, 401, 404, 422), summary="整改事项")
def get_action(request: HttpRequest, id: Id) -> dict[str, Any]:
    """An action with its history (raised, reported, closed, reopened, cancelled), each step by whom and when."""
    return _detail(request, id)


WRITE = _answers({200: FollowUpDetail}, 400, 401, 403, 404, 413, 422)


@router.post("/actions", response=WRITE, summary="提出整改事项")
def raise_action(request: HttpRequest, payload: FollowUpIn) -> dict[str, Any]:
    """Raise an action on a monitoring form under review or approved, per alert or per indicator row."""
    rec = get_for(request.user, MonitoringRecord.objects.all(), payload.record_id)
    new = services.NewAction(
        kind=payload.kind,
        task=payload.task,
        due=payload.due,
        row_id=payload.row_id,
        alert=payload.alert,
        amount=payload.amount,
        reason=payload.reason,
    )
    made = services.raise_action(Context.of(request), rec, new)
    return _detail(request, made.pk)


@router.post("/actions/{id}/submit", response=WRITE, summary="提交整改办理情况")
def submit_action(request: HttpRequest, id: Id, payload: ReportIn) -> dict[str, Any]:
    """The owner reports what was done (open or reopened -> submitted); evidence files go through the page."""
    action = get_for(request.user, MonitoringAction.objects.all(), id)
    services.submit_action(Context.of(request), action, payload.evidence, decision=payload.decision)
    return _detail(request, id)


@router.post("/actions/{id}/close", response=WRITE, summary="关闭整改事项")
def close_action(request: HttpRequest, id: Id, payload: CommentIn | None = None) -> dict[str, Any]:
    """The raising side confirms a submitted action and closes it."""
    action = get_for(request.user, MonitoringAction.objects.all(), id)
    services.conclude_action(Context.of(request), action, True, (payload or CommentIn()).comment)
    return _detail(request, id)


@router.post("/actions/{id}/reopen", response=WRITE, summary="重新打开整改事项")
def reopen_action(request: HttpRequest, id: Id, payload: CommentIn) -> dict[str, Any]:
    """The raising side reopens a submitted action, saying what is missing (required)."""
    action = get_for(request.user, MonitoringAction.objects.all(), id)
    services.conclude_action(Context.of(request), action, False, payload.comment)
    return _detail(request, id)


@router.post("/actions/{id}/cancel", response=WRITE, summary="撤销整改事项")
def cancel_action(request: HttpRequest, id: Id, payload: CancelIn) -> dict[str, Any]:
    """The raising side cancels an action not yet closed, with its reason; it is then no longer to be done."""
    action = get_for(request.user, MonitoringAction.objects.all(), id)
    services.cancel_action(Context.of(request), action, payload.reason)
    return _detail(request, id)
