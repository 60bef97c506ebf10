"""Every write of results application: a decision (made or revised), a batch of acceptances, a year closed.

Each write decides permission once (only the finance bureau decides, on a self-evaluation it may
see, approved or published, in a year not closed), checks the decision against the proposal
computed now (:func:`jixiao.core.scoring.application.check_decision`), and records who did what
in the audit log in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jixiao.core.scoring.application import Decision, DecisionError, check_decision
from jixiao.core.workflow import Role
from jixiao.web.access import ensure_visible, role_of
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.cycle.models import SelfEvaluation
from jixiao.web.results.models import ResultDecision, ResultsClosure
from jixiao.web.results.proposals import DECIDABLE, blockers_of, is_closed, proposal_of

__all__ = ["BatchOutcome", "DecisionError", "StaleDecision", "accept_batch", "close_year", "decide"]


class StaleDecision(DecisionError):
    """The decision was revised since the page (or the caller) read it."""


# the fields an audit event shows of a decision, before and after
_AUDITED = ("action", "amount", "reason", "proposal_label", "proposed_amount", "rule_pack")


def _values(d: ResultDecision) -> dict[str, object]:
    return {f: str(getattr(d, f)) if isinstance(getattr(d, f), Decimal) else getattr(d, f) for f in _AUDITED}


def _finance(ctx: Context) -> None:
    if role_of(ctx.user) is not Role.FINANCE_REVIEWER:
        raise PermissionDenied("只有财政部门可以作出或修改结果应用决定。")


@transaction.atomic
def decide(
    ctx: Context,
    evaluation: SelfEvaluation,
    action: str,
    amount: Decimal | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> ResultDecision:
    """Record (or revise) the finance bureau's decision on ``evaluation``'s proposal; DecisionError says why not.

    ``expected_version`` is the decision's version the page showed (0: none yet); a decision revised
    meanwhile is refused, so no one overwrites a decision they have not seen.
    """
    _finance(ctx)
    ev = SelfEvaluation.objects.select_for_update().select_related("declaration__project").get(pk=evaluation.pk)
    ensure_visible(ctx.user, ev)
    if ev.state not in DECIDABLE:
        raise DecisionError(f"项目“{ev.project_name}”的自评表尚未经财政部门审核通过，不能作出结果应用决定。")
    if is_closed(ev.year):
        raise DecisionError(f"{ev.year} 年度的结果应用已关闭，决定不能再作出或修改。")
    existing = ResultDecision.objects.select_for_update().filter(evaluation=ev).first()
    current = existing.version if existing is not None else 0
    if expected_version is not None and expected_version != current:
        raise StaleDecision(f"项目“{ev.project_name}”的决定已被他人修改（现为第 {current} 版），请刷新页面后再决定。")
    if isinstance(amount, Decimal) and amount.is_finite() and amount.adjusted() >= 16:
        # the column holds 16 digits before the point; check_decision would let a raise of 优 through
        raise DecisionError(
            f"项目“{ev.project_name}”的结果应用决定不能保存：调整后的金额：请填写不超过 16 位整数的金额（元）。"
        )
    proposal = proposal_of(ev, blockers_of([ev])[ev.pk])
    final = check_decision(proposal, Decision(action, amount, reason.strip()))
    before = _values(existing) if existing is not None else None
    project = ev.declaration.project
    decision = existing or ResultDecision(evaluation=ev, version=0)
    decision.unit_id, decision.department_id = project.unit_id, project.department_id
    decision.year, decision.project_name = ev.year, ev.project_name
    decision.action, decision.amount = action, final
    decision.reason = reason.strip() if action == ResultDecision.Action.CHANGE else ""
    decision.rule_pack, decision.grade, decision.score = ev.rule_pack, proposal.grade, proposal.score
    decision.prior_budget, decision.proposed_amount = proposal.prior_budget, proposal.amount
    decision.proposal_kind, decision.proposal_label = proposal.kind, proposal.label
    decision.version += 1
    decision.decided_by, decision.decided_at = ctx.user, timezone.now()
    decision.save()
    detail: dict[str, object] = {"after": _values(decision), "project": ev.project_name, "year": ev.year}
    if before is not None:
        detail["before"] = before
    event = AuditEvent.Type.CREATE if existing is None else AuditEvent.Type.UPDATE
    record(ctx, event, obj=decision, organization=project.unit, detail=detail)
    return decision


@dataclass(frozen=True)
class BatchOutcome:
    """What a batch acceptance did to one self-evaluation: accepted, or why not."""

    evaluation_id: int
    project: str
    accepted: bool
    message: str


def accept_batch(ctx: Context, evaluation_ids: Sequence[int]) -> list[BatchOutcome]:
    """Accept the proposals of the ticked self-evaluations, each in its own transaction; report each one.

    One that is blocked, already decided or out of scope is reported and left as it is; the others are
    accepted all the same (each acceptance is a decision of its own, audited as such).
    """
    _finance(ctx)
    out = []
    for pk in evaluation_ids:
        ev = SelfEvaluation.objects.visible_to(ctx.user).filter(pk=pk).first()
        if ev is None:
            out.append(BatchOutcome(pk, "", False, f"第 {pk} 号自评表不存在或您无权查看。"))
            continue
        if ResultDecision.objects.filter(evaluation=ev).exists():
            out.append(BatchOutcome(pk, ev.project_name, False, f"项目“{ev.project_name}”已有决定，未重复处理。"))
            continue
        try:
            decide(ctx, ev, ResultDecision.Action.ACCEPT, expected_version=0)
        except (DecisionError, PermissionDenied) as exc:
            why = exc.message if isinstance(exc, DecisionError) else str(exc)
            out.append(BatchOutcome(pk, ev.project_name, False, why))
        else:
            out.append(BatchOutcome(pk, ev.project_name, True, f"项目“{ev.project_name}”：已同意建议。"))
    return out


@transaction.atomic
def close_year(ctx: Context, year: int) -> ResultsClosure:
    """Close ``year``'s results: no decision of it can be made or revised afterwards."""
    _finance(ctx)
    if is_closed(year):
        raise DecisionError(f"{year} 年度的结果应用已经关闭。")
    closure = ResultsClosure.objects.create(year=year, closed_by=ctx.user)
    decided = ResultDecision.objects.filter(year=year).count()  # the decisions the closing freezes
    record(ctx, AuditEvent.Type.UPDATE, obj=closure, detail={"year": year, "records": decided})
    return closure
