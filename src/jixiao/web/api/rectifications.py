"""The 整改事项 API (``/api/v1/rectifications/``): the list with its filters, an item, and its steps.

As the rest of the API: reads through the access helpers (what a caller may not see is a 404), writes
through :mod:`jixiao.web.rectification.services` (one permission decision, the step, the audit event,
the notices). Evidence files are uploaded on the item's page; the API lists them with their digests.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from jixiao.web.access import get_for
from jixiao.web.api.schemas import MAX_ID, ErrorOut
from jixiao.web.audit.services import Context
from jixiao.web.rectification import services
from jixiao.web.rectification.models import Rectification

router = Router(tags=["整改事项"])

Id = Annotated[int, Path(ge=1, le=MAX_ID, description="整改事项编号")]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=10**9)]
NO_NUL = r"^[^\x00]*$"  # PostgreSQL cannot store a NUL; the pages' forms refuse it too


class RectificationState(StrEnum):
    """An item's state: 待整改, 已提交待验收, 已验收, 已退回重改, 已撤销."""

    OPEN = "open"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REOPENED = "reopened"
    CANCELLED = "cancelled"


class RectificationOut(Schema):
    """One 整改事项 as the list and the detail give it."""

    id: int
    project_id: int
    project: str
    year: int
    unit_id: int
    unit: str
    department_id: int
    department: str
    source: str = Field(description="finding（审核发现）、score（评价得分偏低）、monitoring（运行监控整改）、manual")
    source_label: str
    source_text: str = Field(description="所针对的问题（提出时的原文）")
    task: str
    due: date
    state: RectificationState
    state_label: str
    overdue: bool
    answer: str
    reason: str = Field(description="退回或撤销的理由")
    raised_in: str
    created_at: datetime
    closed_at: datetime | None
    url: str


class RectificationStepOut(Schema):
    """One step of an item, with the evidence files it brought."""

    step: str
    step_label: str
    old_state: str
    new_state: str
    comment: str
    by: str
    at: datetime
    files: list[dict[str, Any]]


class RectificationDetail(RectificationOut):
    """An item with its steps."""

    steps: list[RectificationStepOut]


class RectificationPage(Schema):
    """A page of items."""

    count: int
    limit: int
    offset: int
    items: list[RectificationOut]


class RectificationAnswerIn(Schema):
    """The unit's answer: what was fixed."""

    answer: str = Field(min_length=1, max_length=4000, pattern=NO_NUL)


class RectificationCommentIn(Schema):
    """The reviewer's comment: optional to accept, required to reopen or cancel."""

    comment: str = Field(default="", max_length=4000, pattern=NO_NUL)


def _answers(ok: dict[int, Any], *codes: int) -> dict[Any, Any]:
    throttled = (429,) if 401 in codes else ()
    return {**ok, frozenset(codes + throttled): ErrorOut}


WRITE = _answers({200: RectificationOut}, 400, 401, 403, 404, 413, 422)  # 400, 413: a body not JSON, too large


def _item(i: Rectification, today: date) -> dict[str, Any]:
    return {
        "id": i.pk,
        "project_id": i.project_id,
        "project": i.project.name,
        "year": i.year,
        "unit_id": i.unit_id,
        "unit": i.unit.name,
        "department_id": i.department_id,
        "department": i.department.name,
        "source": i.source,
        "source_label": i.get_source_display(),
        "source_text": i.source_text,
        "task": i.task,
        "due": i.due,
        "state": i.state,
        "state_label": i.get_state_display(),
        "overdue": i.overdue_on(today),
        "answer": i.answer,
        "reason": i.reason,
        "raised_in": i.raised_in.name,
        "created_at": i.created_at,
        "closed_at": i.closed_at,
        "url": reverse("rectification:detail", args=[i.pk]),
    }


def _scoped(request: HttpRequest) -> Any:
    related = ("project", "unit", "department", "raised_in")
    return Rectification.objects.visible_to(request.user).select_related(*related)


@router.get("", response=_answers({200: RectificationPage}, 401, 422), summary="整改事项列表")
def list_items(
    request: HttpRequest,
    state: RectificationState | None = None,
    department: OptionalId = None,
    project: OptionalId = None,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="年度")] = None,
    overdue: Annotated[bool, Query(description="只列逾期（待整改或已退回且过了整改期限）")] = False,
    q: Annotated[str | None, Query(max_length=100, description="项目或单位名称包含")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The items the caller may see (a unit its own, a department its units', the finance bureau all), filtered."""
    today = timezone.localdate()
    qs = _scoped(request)
    if state is not None:
        qs = qs.filter(state=state.value)
    if department is not None:
        qs = qs.filter(department_id=department)
    if project is not None:
        qs = qs.filter(project_id=project)
    if year is not None:
        qs = qs.filter(year=year)
    if overdue:
        qs = qs.overdue(today)
    if q:
        qs = qs.filter(Q(project__name__icontains=q) | Q(unit__name__icontains=q))
    qs = qs.order_by("due", "pk")
    items = [_item(i, today) for i in qs[offset : offset + limit]]
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": items}


@router.get("/{id}", response=_answers({200: RectificationDetail}, 401, 404, 422), summary="整改事项")
def item_detail(request: HttpRequest, id: Id) -> dict[str, Any]:
    """An item with its steps and each step's evidence files (name, size, SHA-256, download address)."""
    item = get_for(request.user, _scoped(request), id)
    files: dict[int, list[dict[str, Any]]] = {}
    for f in item.files.all():
        link = reverse("rectification:file", args=[f.pk])
        files.setdefault(f.step_id, []).append(
            {"name": f.original_name, "size": f.size, "sha256": f.sha256, "url": link}
        )
    steps = [
        {
            "step": s.step,
            "step_label": s.get_step_display(),
            "old_state": s.old_state,
            "new_state": s.new_state,
            "comment": s.comment,
            "by": s.by.username if s.by else "",
            "at": s.at,
            "files": files.get(s.pk, []),
        }
        for s in item.steps.select_related("by")
    ]
    return _item(item, timezone.localdate()) | {"steps": steps}


def _after(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _item(get_for(request.user, _scoped(request), pk), timezone.localdate())


@router.post("/{id}/answer", response=WRITE, summary="提交整改情况")
def answer(request: HttpRequest, id: Id, payload: RectificationAnswerIn) -> dict[str, Any]:
    """The unit's staff answer an open or reopened item (the files: on the item's page)."""
    item = get_for(request.user, _scoped(request), id)
    services.submit_item(Context.of(request), item, payload.answer)
    return _after(request, id)


@router.post("/{id}/accept", response=WRITE, summary="验收通过")
def accept(request: HttpRequest, id: Id, payload: RectificationCommentIn | None = None) -> dict[str, Any]:
    """The reviewers of the opening organization, or the finance bureau, accept a submitted answer."""
    item = get_for(request.user, _scoped(request), id)
    services.accept_item(Context.of(request), item, (payload or RectificationCommentIn()).comment)
    return _after(request, id)


@router.post("/{id}/reopen", response=WRITE, summary="退回重改")
def reopen(request: HttpRequest, id: Id, payload: RectificationCommentIn) -> dict[str, Any]:
    """Send a submitted answer back, with the reason (required)."""
    item = get_for(request.user, _scoped(request), id)
    services.reopen_item(Context.of(request), item, payload.comment)
    return _after(request, id)


@router.post("/{id}/cancel", response=WRITE, summary="撤销")
def cancel(request: HttpRequest, id: Id, payload: RectificationCommentIn) -> dict[str, Any]:
    """Withdraw an item not yet closed, with the reason (required)."""
    item = get_for(request.user, _scoped(request), id)
    services.cancel_item(Context.of(request), item, payload.comment)
    return _after(request, id)
