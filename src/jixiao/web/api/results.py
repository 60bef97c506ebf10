"""The results application API (``/api/v1/results/``): each project's proposal and decision, and deciding.

As the pages: every read goes through the access helpers (``visible_to``, ``get_for``; what a caller
may not see is a 404), the proposal is computed from the rule pack on every read
(:mod:`jixiao.web.results.proposals`), and a decision goes through
:func:`jixiao.web.results.services.decide` (the finance bureau only, checked against the proposal,
audited). A refused decision is a 422 naming the field; a decision revised meanwhile a 409.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import Field, WithJsonSchema

from jixiao.web.access import get_for
from jixiao.web.api.errors import ApiError
from jixiao.web.api.schemas import MAX_ID, ErrorOut, OptionalNumber
from jixiao.web.audit.services import Context
from jixiao.web.cycle.models import SelfEvaluation
from jixiao.web.results import proposals, services
from jixiao.web.results.proposals import STATUS_LABELS, Line

router = Router(tags=["结果应用"])

Id = Annotated[int, Path(ge=1, le=MAX_ID, description="绩效自评表编号")]
Number = Annotated[Decimal, WithJsonSchema({"type": "number"})]
Status = Literal["pending", "blocked", "decided", "stale"]


def _answers(ok: dict[int, Any], *codes: int) -> dict[Any, Any]:
    throttled = (429,) if 401 in codes else ()
    return {**ok, frozenset(codes + throttled): ErrorOut}


class ProposalOut(Schema):
    """The proposal computed now from the record's rule pack; ``blockers`` must be answered before deciding."""

    grade: str
    score: OptionalNumber
    kind: str = Field(description="keep-or-raise、keep、reduce 或 cut-or-stop")
    label: str
    reduce_pct: Number
    raise_allowed: bool
    prior_budget: Number = Field(description="上年预算（元）：自评表的全年预算数")
    amount: Number = Field(description="建议金额（元），精确到分")
    reason: str
    blockers: list[str]


class DecisionOut(Schema):
    """The decision recorded, with the proposal it answered."""

    action: str
    action_label: str
    amount: Number
    reason: str
    version: int
    decided_by: str
    decided_at: datetime
    proposal_label: str
    proposed_amount: Number
    rule_pack: str


class LineOut(Schema):
    """One project's line: where it belongs, its proposal (or why none), its decision and status."""

    evaluation_id: int
    project: str
    year: int
    unit: str
    department_id: int
    department: str
    rule_pack: str
    proposal: ProposalOut | None
    problem: str
    decision: DecisionOut | None
    status: Status
    status_label: str


class LinePage(Schema):
    """A page of lines."""

    count: int
    items: list[LineOut]


class LineDetail(LineOut):
    """One line with the decision's history, newest first."""

    history: list[DecisionOut]


class DecisionIn(Schema):
    """A decision: ``accept`` the proposal, or ``change`` it to ``amount`` (元) with a ``reason``."""

    action: Literal["accept", "change"]
    amount: Annotated[Decimal | None, Field(max_digits=20), WithJsonSchema({"type": ["number", "null"]})] = None
    reason: str = Field("", max_length=2000, pattern=r"^[^\x00]*$")
    version: int = Field(0, ge=0, le=MAX_ID, description="读取时决定的版本（尚无决定为 0）；不同则拒绝（409）")


def _decision(d: Any) -> dict[str, Any]:
    return {
        "action": d.action,
        "action_label": d.get_action_display(),
        "amount": d.amount,
        "reason": d.reason,
        "version": d.version,
        "decided_by": d.decided_by.username if d.decided_by is not None else "",
        "decided_at": d.decided_at,
        "proposal_label": d.proposal_label,
        "proposed_amount": d.proposed_amount,
        "rule_pack": d.rule_pack,
    }


def _line(line: Line) -> dict[str, Any]:
    ev, p = line.evaluation, line.proposal
    project = ev.declaration.project
    return {
        "evaluation_id": ev.pk,
        "project": ev.project_name,
        "year": ev.year,
        "unit": project.unit.name,
        "department_id": project.department_id,
        "department": project.department.name,
        "rule_pack": ev.rule_pack,
        "proposal": None if p is None else {**vars(p), "blockers": list(p.blockers)},
        "problem": line.problem,
        "decision": _decision(line.decision) if line.decision is not None else None,
        "status": line.status,
        "status_label": STATUS_LABELS[line.status],
    }


@router.get("", response=_answers({200: LinePage}, 401, 422), summary="结果应用列表")
def list_lines(
    request: HttpRequest,
    year: Annotated[int, Query(ge=2000, le=2100, description="年度")],
    department: Annotated[int | None, Query(ge=1, le=MAX_ID, description="主管部门编号")] = None,
    status: Annotated[Status | None, Query(description="pending、blocked、decided 或 stale")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> dict[str, Any]:
    """The caller's approved or published self-evaluations of ``year``, each with its proposal and decision."""
    qs = proposals.decidable(request.user, year)
    if department is not None:
        qs = qs.filter(declaration__project__department_id=department)
    lines = proposals.lines_of(qs)
    if status is not None:
        lines = [line for line in lines if line.status == status]
    return {"count": len(lines), "items": [_line(line) for line in lines[offset : offset + limit]]}


def _evaluation(request: HttpRequest, id: int) -> SelfEvaluation:
    decidable = SelfEvaluation.objects.filter(state__in=proposals.DECIDABLE).select_related(
        "declaration__project__unit", "declaration__project__department"
    )
    return get_for(request.user, decidable, id)


def _detail(ev: SelfEvaluation) -> dict[str, Any]:
    line = proposals.line_of(ev)
    history = []
    if line.decision is not None:
        history = [_decision(h) for h in line.decision.history.order_by("-history_date", "-history_id")]
    return _line(line) | {"history": history}


@router.get("/{id}", response=_answers({200: LineDetail}, 401, 404, 422), summary="一个项目的建议与决定")
def get_line(request: HttpRequest, id: Id) -> dict[str, Any]:
    """One self-evaluation's proposal, what must be answered first, its decision and the decision's history."""
    return _detail(_evaluation(request, id))


@router.post(
    "/{id}/decision", response=_answers({200: LineDetail}, 400, 401, 403, 404, 409, 413, 422), summary="作出或修改决定"
)
def decide(request: HttpRequest, id: Id, payload: DecisionIn) -> dict[str, Any]:
    """Accept the proposal or change it (amount and reason required); the finance bureau only, until the year closes."""
    ev = _evaluation(request, id)
    try:
        services.decide(Context.of(request), ev, payload.action, payload.amount, payload.reason, payload.version)
    except services.StaleDecision as exc:
        raise ApiError(409, "conflict", exc.message) from None
    except services.DecisionError as exc:
        raise ApiError(422, "decision-refused", exc.message) from None
    return _detail(ev)
