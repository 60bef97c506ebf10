"""The API of the cycle's deadlines and of a person's own notices (``/api/v1/deadlines``, ``/api/v1/notices``).

Deadlines as the deadlines page lists them (:func:`jixiao.web.notices.deadlines.deadlines_visible_to`: the
bureau all, a department its own and its units', a unit those binding it); notices only ever the caller's
own, marked read through :func:`jixiao.web.notices.services.notices.mark_read` (audited).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from jixiao.web.api.schemas import MAX_ID, ErrorOut
from jixiao.web.audit.services import Context
from jixiao.web.notices.deadlines import deadlines_visible_to
from jixiao.web.notices.models import Notice
from jixiao.web.notices.services.notices import mark_read

router = Router(tags=["截止日期与通知"])

Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=10**9)]


def _answers(ok: dict[int, Any], *codes: int) -> dict[Any, Any]:
    # as api._answers: every error documented in the ErrorOut shape; a token can also hear 429
    throttled = (429,) if 401 in codes else ()
    return {**ok, frozenset(codes + throttled): ErrorOut}


class DeadlineOut(Schema):
    """A due date of one stage of one year, and whom it binds."""

    id: int
    year: int
    stage: str = Field(description="declaration 申报；monitoring 监控；self_evaluation 自评")
    stage_label: str
    level: str = Field(description="bureau：财政部门设定；department：主管部门设定")
    level_label: str
    department_id: int | None
    department: str | None
    unit_id: int | None
    unit: str | None
    scope: str = Field(description="约束谁：全部主管部门、某部门全部所属单位或某单位")
    due: date
    note: str


class DeadlineList(Schema):
    count: int
    items: list[DeadlineOut]


class NoticeOut(Schema):
    """One of the caller's notices."""

    id: int
    kind: str
    kind_label: str
    text: str
    link: str = Field(description="相关页面的地址（站内路径）")
    created: datetime
    read_at: datetime | None


class NoticePage(Schema):
    count: int
    unread: int
    limit: int
    offset: int
    items: list[NoticeOut]


class ReadIn(Schema):
    """Which of the caller's notices to mark read: ``ids``, or ``all`` of them."""

    ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(default_factory=list, max_length=1000)
    all: bool = False


class ReadOut(Schema):
    marked: int = Field(description="本次标为已读的条数（已读的不再计）")
    unread: int


@router.get("/deadlines", response=_answers({200: DeadlineList}, 401, 422), summary="截止日期")
def list_deadlines(
    request: HttpRequest,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="年度")] = None,
    stage: Annotated[Literal["declaration", "monitoring", "self_evaluation"] | None, Query(description="阶段")] = None,
) -> dict[str, Any]:
    """The due dates binding what the caller sees (a unit: those for all, for its department's units, for itself)."""
    rows = deadlines_visible_to(request.user)
    if year is not None:
        rows = rows.filter(year=year)
    if stage is not None:
        rows = rows.filter(stage=stage)
    items = [
        {
            "id": d.pk,
            "year": d.year,
            "stage": d.stage,
            "stage_label": d.get_stage_display(),
            "level": d.level,
            "level_label": d.get_level_display(),
            "department_id": d.department_id,
            "department": d.department.name if d.department else None,
            "unit_id": d.unit_id,
            "unit": d.unit.name if d.unit else None,
            "scope": d.scope_name,
            "due": d.due,
            "note": d.note,
        }
        for d in rows
    ]
    return {"count": len(items), "items": items}


def _mine(request: HttpRequest) -> Any:
    return Notice.objects.filter(recipient_id=request.user.pk)


@router.get("/notices", response=_answers({200: NoticePage}, 401, 422), summary="我的通知")
def list_notices(
    request: HttpRequest,
    unread: Annotated[bool | None, Query(description="true：仅未读")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The caller's own notices, newest first (never anyone else's)."""
    mine = _mine(request)
    shown = mine.filter(read_at__isnull=True) if unread else mine
    shown = shown.order_by("-created", "-id")
    items = [
        {
            "id": n.pk,
            "kind": n.kind,
            "kind_label": n.get_kind_display(),
            "text": n.text,
            "link": n.link,
            "created": n.created,
            "read_at": n.read_at,
        }
        for n in shown[offset : offset + limit]
    ]
    count_unread = mine.filter(read_at__isnull=True).count()
    return {"count": shown.count(), "unread": count_unread, "limit": limit, "offset": offset, "items": items}


@router.post("/notices/read", response=_answers({200: ReadOut}, 400, 401, 413, 422), summary="标记通知已读")
def read_notices(request: HttpRequest, payload: ReadIn) -> dict[str, Any]:
    """Mark the caller's notices read: those in ``ids`` (others' ids are ignored), or all with ``all``."""
    ctx = Context.of(request)
    marked = mark_read(ctx) if payload.all else mark_read(ctx, payload.ids) if payload.ids else 0
    return {"marked": marked, "unread": _mine(request).filter(read_at__isnull=True).count()}
