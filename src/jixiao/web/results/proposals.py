"""Each evaluated project's proposal, computed from its rule pack on every read, with what blocks a decision.

A self-evaluation approved or published by the finance bureau gets a proposal
(:func:`jixiao.core.scoring.application.propose`) from its printed score or grade and its
全年预算数 in 元. What must be answered first is read here for many evaluations at once
(five queries, whatever the page's size): the error-level monitoring alerts of the project's
latest filed monitoring form that no closed 整改事项 answered, the error-level review findings of
the self-evaluation, the 整改事项 still pending on its monitoring forms, and the project's 整改事项
(:mod:`jixiao.web.rectification`) still open from that year or before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from jixiao.core.review.findings import Severity
from jixiao.core.scoring.application import DecisionError, Outcome, Proposal, propose
from jixiao.core.workflow import FROZEN_VALUES, State
from jixiao.web.access import Person
from jixiao.web.cycle.models import SelfEvaluation, StoredFinding
from jixiao.web.cycle.packs import record_pack
from jixiao.web.monitoring.action_models import MonitoringAction
from jixiao.web.monitoring.models import MonitoringFinding, MonitoringRecord
from jixiao.web.monitoring.services.execution import in_yuan
from jixiao.web.rectification.models import Rectification
from jixiao.web.results.models import ResultDecision, ResultsClosure

# the states in which the finance bureau has accepted a self-evaluation's result
DECIDABLE = FROZEN_VALUES
_PENDING_ACTIONS = (*MonitoringAction.PENDING, MonitoringAction.State.SUBMITTED)


@dataclass(frozen=True)
class Blockers:
    """What must be answered before deciding, one Chinese line each, by kind."""

    alerts: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    rectifications: tuple[str, ...] = ()


@dataclass(frozen=True)
class Line:
    """One project of the finance page: its evaluation, its proposal (or why none) and its decision."""

    evaluation: SelfEvaluation
    proposal: Proposal | None
    problem: str  # why there is no proposal (no budget, no score nor grade); "" when there is one
    decision: ResultDecision | None

    @property
    def stale(self) -> bool:
        """True when a decision exists but answered an earlier proposal (the pack, result or budget changed)."""
        if self.decision is None or self.proposal is None:
            return False
        return not self.decision.answers(self.proposal, self.evaluation.rule_pack)

    @property
    def status(self) -> str:
        """pending, blocked, decided or stale: what the page filters by."""
        if self.decision is not None:
            return "stale" if self.stale else "decided"
        if self.proposal is None or self.proposal.blockers:
            return "blocked"
        return "pending"

    @property
    def status_label(self) -> str:
        """The status in Chinese."""
        return STATUS_LABELS[self.status]


STATUS_LABELS = {"pending": "待决定", "blocked": "需先处理", "decided": "已决定", "stale": "建议已变化，需重新决定"}


def decidable(user: Person, year: int) -> QuerySet[SelfEvaluation]:
    """The approved or published self-evaluations of ``year`` that ``user`` may see, in the page's order."""
    return (
        SelfEvaluation.objects.visible_to(user)
        .filter(year=year, state__in=DECIDABLE)
        .select_related("declaration__project__department", "declaration__project__unit")
        .order_by("declaration__project__department__name", "project_name", "pk")
    )


def years(user: Person) -> list[int]:
    """The years with approved or published self-evaluations the user may see, newest first."""
    rows = SelfEvaluation.objects.visible_to(user).filter(state__in=DECIDABLE).values_list("year", flat=True)
    return sorted(set(rows), reverse=True)


def is_closed(year: int) -> bool:
    """True once the year's results are closed."""
    return ResultsClosure.objects.filter(year=year).exists()


def prior_budget(ev: SelfEvaluation) -> Decimal | None:
    """The year's budget in 元 the proposal starts from: 全年预算数, else 年初预算数."""
    amount = ev.adjusted_total if ev.adjusted_total is not None else ev.initial_total
    return in_yuan(amount, ev.money_unit)


def blockers_of(evaluations: Sequence[SelfEvaluation]) -> dict[int, Blockers]:
    """The blockers of each evaluation, by its id, read in five queries (the evaluations' declarations selected)."""
    by_declaration = {ev.declaration_id: ev.pk for ev in evaluations}
    findings: dict[int, list[str]] = defaultdict(list)
    for ev_id, indicator, message in StoredFinding.objects.filter(
        evaluation_id__in=[ev.pk for ev in evaluations], severity=Severity.ERROR.value
    ).values_list("evaluation_id", "indicator", "message"):
        findings[ev_id].append(f"{indicator}：{message}" if indicator else message)
    # the latest filed monitoring form of each declaration: an older round's alerts are history
    latest: dict[int, int] = {}
    for rec_id, decl_id in (
        MonitoringRecord.objects.filter(declaration_id__in=by_declaration)
        .exclude(state=State.DRAFT.value)
        .order_by("round__as_of", "pk")
        .values_list("pk", "declaration_id")
    ):
        latest[decl_id] = rec_id
    answered: set[tuple[int, str]] = set()
    rectifications: dict[int, list[str]] = defaultdict(list)
    pending: set[int] = set()
    for action_id, rec_id, decl_id, code, state, task in MonitoringAction.objects.filter(
        record__declaration_id__in=by_declaration
    ).values_list("pk", "record_id", "record__declaration_id", "alert_code", "state", "task"):
        if state == MonitoringAction.State.CLOSED:
            answered.add((rec_id, code))
        elif state in _PENDING_ACTIONS:
            pending.add(action_id)
            rectifications[by_declaration[decl_id]].append(task[:80])
    # the project's 整改事项 still open from this year or before (one opened from a pending action is listed once)
    by_project: dict[int, list[SelfEvaluation]] = defaultdict(list)
    for ev in evaluations:
        by_project[ev.declaration.project_id].append(ev)
    for project_id, year, task, action_id in Rectification.objects.filter(
        project_id__in=by_project, state__in=Rectification.OPEN_STATES
    ).values_list("project_id", "year", "task", "monitoring_action_id"):
        if action_id in pending:
            continue
        for ev in by_project[project_id]:
            if year <= ev.year:
                rectifications[ev.pk].append(task[:80])
    alerts: dict[int, list[str]] = defaultdict(list)
    declaration_of = {rec_id: decl_id for decl_id, rec_id in latest.items()}
    for rec_id, code, message in MonitoringFinding.objects.filter(
        record_id__in=latest.values(), severity=Severity.ERROR.value
    ).values_list("record_id", "code", "message"):
        if (rec_id, code) not in answered:
            alerts[by_declaration[declaration_of[rec_id]]].append(message)
    return {
        ev.pk: Blockers(tuple(alerts[ev.pk]), tuple(findings[ev.pk]), tuple(rectifications[ev.pk]))
        for ev in evaluations
    }


def proposal_of(ev: SelfEvaluation, blockers: Blockers) -> Proposal:
    """The proposal of ``ev`` under its rule pack; DecisionError (in Chinese) when it cannot be computed."""
    budget = prior_budget(ev)
    if budget is None:
        raise DecisionError(f"项目“{ev.project_name}”的自评表没有填写全年预算数（或年初预算数），无法计算建议金额")
    grade = ev.grade or ev.summary_grade or None
    return propose(
        Outcome(ev.project_name, ev.total_score, grade),
        record_pack(ev),
        prior_budget=budget,
        open_alerts=blockers.alerts,
        open_findings=blockers.findings,
        open_rectifications=blockers.rectifications,
    )


def lines_of(evaluations: Iterable[SelfEvaluation]) -> list[Line]:
    """A line per evaluation: its proposal computed now, its decision if any (four queries in all)."""
    evs = list(evaluations)
    blockers = blockers_of(evs)
    decisions = {d.evaluation_id: d for d in ResultDecision.objects.filter(evaluation_id__in=[e.pk for e in evs])}
    out = []
    for ev in evs:
        try:
            proposal, problem = proposal_of(ev, blockers[ev.pk]), ""
        except DecisionError as exc:
            proposal, problem = None, str(exc)
        out.append(Line(ev, proposal, problem, decisions.get(ev.pk)))
    return out


def line_of(ev: SelfEvaluation) -> Line:
    """The line of one evaluation."""
    return lines_of([ev])[0]
