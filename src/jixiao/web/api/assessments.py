"""The ex-ante assessment API (``/api/v1/assessments/``): assessments, an expert's own sheet, the expert pool.

As the rest of the API: reads go through ``visible_to`` and ``get_for`` (what a caller may not see is a
404; an expert sees only the assessments they sit on), writes through
:mod:`jixiao.web.assessments.services` (one permission decision, the audit event). The experts' sheets
are shown as the page shows them: to the organiser once all are in, to the unit once concluded, to an
expert only their own.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Router, Schema
from pydantic import Field, WithJsonSchema

from jixiao.core.workflow import Role
from jixiao.web.access import get_for, role_of
from jixiao.web.api.schemas import MAX_ID, ErrorOut
from jixiao.web.assessments import services
from jixiao.web.assessments.models import Assessment, Expert, PanelSeat
from jixiao.web.assessments.scope import may_organise
from jixiao.web.audit.services import Context

router = Router(tags=["事前绩效评估"])

Id = Annotated[int, Path(ge=1, le=MAX_ID, description="编号")]
Number = Annotated[Decimal, WithJsonSchema({"type": "number"})]
TEXT = r"^[^\x00]*$"  # no NUL: PostgreSQL cannot store one


class SeatOut(Schema):
    """One expert on the panel: ``expert`` (the name) for the organiser, for all once concluded, never for an expert;
    ``total``, ``scores`` and ``comment`` only when the caller may see them."""

    position: int
    expert: str | None
    submitted: bool
    total: Number | None = None
    scores: dict[str, str] | None = None
    comment: str | None = None


class AssessmentOut(Schema):
    """An assessment as listed."""

    id: int
    declaration_id: int
    project: str
    year: int
    unit: str
    department: str
    state: str
    state_label: str
    total: Number | None
    conclusion: str
    conclusion_label: str
    supports: bool


class AssessmentList(Schema):
    """The assessments the caller may see."""

    count: int
    items: list[AssessmentOut]


class AssessmentDetail(AssessmentOut):
    """An assessment with its panel (the sheets as the caller may see them), opinion and adjustments."""

    summary: str
    opinion: str
    adjustments: str
    concluded_at: datetime | None
    seats: list[SeatOut]


class ScoresIn(Schema):
    """An expert's sheet: every point's key with its score, and their comment."""

    scores: dict[str, Annotated[str, Field(max_length=20, pattern=r"^[0-9.]*$")]]
    comment: str = Field(min_length=1, max_length=5000, pattern=TEXT)


class ExpertOut(Schema):
    """An expert of the pool."""

    id: int
    name: str
    fields: list[str]
    affiliation: str
    title: str
    department_id: int | None
    conflicts: list[int]
    active: bool


class ExpertList(Schema):
    """The pool."""

    count: int
    items: list[ExpertOut]


def _answers(ok: dict[int, Any], *codes: int) -> dict[Any, Any]:
    throttled = (429,) if 401 in codes else ()
    return {**ok, frozenset(codes + throttled): ErrorOut}


def _item(a: Assessment, expert: bool) -> dict[str, Any]:
    """An assessment's row; an expert is not told the panel's total (only their own sheet's)."""
    return {
        "id": a.pk,
        "declaration_id": a.declaration_id,
        "project": a.project_name,
        "year": a.year,
        "unit": a.unit.name,
        "department": a.department.name,
        "state": a.state,
        "state_label": a.get_state_display(),
        "total": None if expert else a.total,
        "conclusion": a.conclusion,
        "conclusion_label": a.get_conclusion_display() if a.conclusion else "",
        "supports": a.supports,
    }


@router.get("", response=_answers({200: AssessmentList}, 401, 422), summary="事前绩效评估列表")
def list_assessments(request: HttpRequest) -> dict[str, Any]:
    """The assessments the caller may see (an expert: those assigned to them)."""
    rows = list(Assessment.objects.visible_to(request.user).select_related("unit", "department"))
    expert = role_of(request.user) is Role.EXPERT
    return {"count": len(rows), "items": [_item(a, expert) for a in rows]}


def _seat(seat: PanelSeat, shown: bool, own: bool, named: bool = False) -> dict[str, Any]:
    """A seat as the caller may see it: the name to the organiser (and to all once concluded), the sheet when shown."""
    out: dict[str, Any] = {
        "position": seat.position,
        "expert": seat.expert.name if named and not own else None,
        "submitted": seat.submitted_at is not None,
    }
    if shown or own:
        out |= {"total": seat.total, "scores": seat.scores, "comment": seat.comment}
    return out


@router.get("/experts", response=_answers({200: ExpertList}, 401, 422), summary="专家库")
def list_experts(request: HttpRequest) -> dict[str, Any]:
    """The expert pool (the finance bureau and the departments' reviewers; nobody else sees it)."""
    experts = list(Expert.objects.visible_to(request.user).prefetch_related("conflicts"))
    items = [
        {
            "id": e.pk,
            "name": e.name,
            "fields": list(e.field_list),
            "affiliation": e.affiliation,
            "title": e.title,
            "department_id": e.department_id,
            "conflicts": sorted(c.pk for c in e.conflicts.all()),
            "active": e.active,
        }
        for e in experts
    ]
    return {"count": len(items), "items": items}


@router.get("/{id}", response=_answers({200: AssessmentDetail}, 401, 404, 422), summary="事前绩效评估")
def get_assessment(request: HttpRequest, id: Id) -> dict[str, Any]:
    """One assessment; the panel's sheets as the page shows them."""
    a = get_for(request.user, Assessment.objects.select_related("unit", "department"), id)
    role = role_of(request.user)
    expert = role is Role.EXPERT
    shown = (may_organise(request.user, a) and a.state != Assessment.State.SCORING) or (
        role is Role.UNIT_STAFF and a.state == Assessment.State.CONCLUDED
    )
    named = not expert and (may_organise(request.user, a) or a.state == Assessment.State.CONCLUDED)
    seats = [
        _seat(s, shown and not expert, expert and s.expert.user_id == request.user.pk, named)
        for s in a.seats.select_related("expert")
        # an expert sees their own seat only, never the others on the panel
        if not expert or s.expert.user_id == request.user.pk
    ]
    return _item(a, expert) | {
        "summary": a.summary,
        "opinion": a.opinion if not expert else "",
        "adjustments": a.adjustments if not expert else "",
        "concluded_at": a.concluded_at,
        "seats": seats,
    }


@router.post("/{id}/scores", response=_answers({200: SeatOut}, 400, 401, 403, 404, 413, 422), summary="专家提交评分")
def post_scores(request: HttpRequest, id: Id, payload: ScoresIn) -> dict[str, Any]:
    """An expert submits their own sheet (once); the last sheet in computes the panel's total."""
    a = get_for(request.user, Assessment.objects.all(), id)
    seat = services.submit_scores(Context.of(request), a, payload.scores, payload.comment)
    return _seat(seat, False, True)
