"""Records as core documents: what scoring, review, export and publication work on.

The web keeps forms in tables; ``jixiao.core`` knows them as
``jixiao.document/1``. These functions turn one into the other, so every
check, score and exported file comes from the one core implementation.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from jixiao.core.model import Document, Execution, FundManagementRow, FundRow, Funds, Indicator, Kind, Project
from jixiao.web.cycle.models import Declaration, DeclarationIndicator, EvaluationIndicator, SelfEvaluation
from jixiao.web.cycle.printed import as_printed
from jixiao.web.cycle.shapes import DECLARATION, SELF_EVALUATION, row_to_core


def _row(**values: Decimal | None) -> FundRow | None:
    row = FundRow(**values)
    return None if row.is_empty() else row


def declaration_project(decl: Declaration, rows: Sequence[DeclarationIndicator] | None = None) -> Project:
    """A declaration as a core project (kind ``target_declaration``); ``rows`` are its indicators if already read."""
    p = decl.project
    indicators = tuple(
        Indicator(**row_to_core(DECLARATION, i, as_printed)) for i in (decl.indicators.all() if rows is None else rows)
    )
    return Project(
        name=p.name,
        department=p.department.name,
        unit=p.unit.name,
        nature=decl.nature or None,
        category=decl.category or None,
        start_date=decl.start_date.isoformat() if decl.start_date else None,
        end_date=decl.end_date.isoformat() if decl.end_date else None,
        money_unit=decl.money_unit,
        funds=Funds(
            total=_row(requested=as_printed(decl, "requested_total")),
            current_appropriation=_row(requested=as_printed(decl, "requested_current")),
            carryover=_row(requested=as_printed(decl, "requested_carryover")),
            other=_row(requested=as_printed(decl, "requested_other")),
        ),
        goal=decl.goal or None,
        overall_goal=decl.overall_goal or None,
        indicators=indicators,
    )


BY_PHASE = ("initial", "adjusted", "executed")
BY_SOURCE = ("adjusted", "executed")  # the transfer form's central and local rows have no initial budget


def _money_row(ev: SelfEvaluation, row: str, rate: str, phases: tuple[str, ...] = BY_PHASE) -> FundRow | None:
    """One money row of a self-evaluation (``initial_total``, ``adjusted_total``, … and its rate), as printed."""
    return _row(**{phase: as_printed(ev, f"{phase}_{row}") for phase in phases}, rate_pct=as_printed(ev, rate))


def evaluation_project(ev: SelfEvaluation, rows: Sequence[EvaluationIndicator] | None = None) -> Project:
    """A self-evaluation as a core project (kind ``self_evaluation``), with the approved targets.

    ``rows``: the evaluation's rows with their indicators (``select_related("indicator")``) when the
    caller has read them already; every approved indicator has its row, so they give the targets too.
    """
    decl = ev.declaration
    p = decl.project
    if rows is None:
        by_indicator = {r.indicator_id: r for r in ev.indicators.all()}
        targets = list(decl.indicators.all())
    else:
        by_indicator = {r.indicator_id: r for r in rows}
        targets = sorted((r.indicator for r in rows), key=lambda i: i.position)
    indicators = []
    for i in targets:
        r = by_indicator.get(i.pk)
        # the approved target's fields, and what the evaluation's row holds (nothing for a row not yet made)
        evaluated = row_to_core(SELF_EVALUATION, r, as_printed) if r else {}
        indicators.append(Indicator(**row_to_core(DECLARATION, i, as_printed), **evaluated))
    transfer = decl.kind == Declaration.Kind.TRANSFER
    fund_management = (
        tuple(
            FundManagementRow(item=r.item, description=r.description or None, remedy=r.remedy or None)
            for r in ev.fund_management.all()
        )
        if transfer
        else None
    )
    return Project(
        name=p.name,
        department=p.department.name,
        unit=decl.fund_users or p.unit.name,
        central_department=decl.central_department or None,
        money_unit=ev.money_unit,
        funds=Funds(
            total=_money_row(ev, "total", "rate_pct"),
            current_appropriation=_money_row(ev, "current", "rate_current"),
            carryover=_money_row(ev, "carryover", "rate_carryover"),
            other=_money_row(ev, "other", "rate_other"),
            central=_money_row(ev, "central", "rate_central", BY_SOURCE),
            local=_money_row(ev, "local", "rate_local", BY_SOURCE),
        ),
        execution=None
        if transfer
        else Execution(
            weight=as_printed(ev, "execution_weight"),
            rate_pct=as_printed(ev, "rate_pct"),
            score=as_printed(ev, "execution_score"),
        ),
        fund_management=fund_management,
        goal=decl.goal or None,
        outcome=ev.outcome or None,
        indicators=tuple(indicators),
        total_score=as_printed(ev, "total_score"),
        grade=ev.grade or None,
    )


def declaration_document(decl: Declaration, rows: Sequence[DeclarationIndicator] | None = None) -> Document:
    """A one-project declaration document."""
    return Document(kind=Kind.TARGET_DECLARATION, year=decl.year, projects=(declaration_project(decl, rows),))


def evaluation_document(ev: SelfEvaluation, rows: Sequence[EvaluationIndicator] | None = None) -> Document:
    """A one-project self-evaluation document (a transfer-payment one for a transfer)."""
    kind = Kind.TRANSFER_SELF_EVALUATION if ev.declaration.kind == Declaration.Kind.TRANSFER else Kind.SELF_EVALUATION
    return Document(kind=kind, year=ev.declaration.year, projects=(evaluation_project(ev, rows),))
