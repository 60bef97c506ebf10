"""Records as core documents: what scoring, review, export and publication work on.

The web keeps forms in tables; ``jixiao.core`` knows them as
``jixiao.document/1``. These functions turn one into the other, so every
check, score and exported file comes from the one core implementation.
"""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.core.model import Document, FundManagementRow, Indicator, Kind, Project
from jixiao.web.cycle.models import Declaration, DeclarationIndicator, EvaluationIndicator, SelfEvaluation
from jixiao.web.cycle.printed import as_printed
from jixiao.web.cycle.shapes import (
    DECLARATION,
    SELF_EVALUATION,
    TRANSFER_SELF_EVALUATION,
    Shape,
    header_to_core,
    row_to_core,
    with_values,
)


def declaration_project(decl: Declaration, rows: Sequence[DeclarationIndicator] | None = None) -> Project:
    """A declaration as a core project (kind ``target_declaration``); ``rows`` are its indicators if already read."""
    p = decl.project
    indicators = tuple(
        Indicator(**row_to_core(DECLARATION, i, as_printed)) for i in (decl.indicators.all() if rows is None else rows)
    )
    named = Project(name=p.name, department=p.department.name, unit=p.unit.name, indicators=indicators)
    return with_values(named, header_to_core(DECLARATION, decl, as_printed))


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
    named = Project(
        name=p.name,
        department=p.department.name,
        unit=decl.fund_users or p.unit.name,
        central_department=decl.central_department or None,
        fund_management=fund_management,
        goal=decl.goal or None,
        indicators=tuple(indicators),
    )
    return with_values(named, header_to_core(evaluation_shape(decl), ev, as_printed))


def evaluation_shape(decl: Declaration) -> Shape:
    """The shape of the self-evaluation of ``decl``: a transfer payment's, or a project's."""
    return TRANSFER_SELF_EVALUATION if decl.kind == Declaration.Kind.TRANSFER else SELF_EVALUATION


def declaration_document(decl: Declaration, rows: Sequence[DeclarationIndicator] | None = None) -> Document:
    """A one-project declaration document."""
    return Document(kind=Kind.TARGET_DECLARATION, year=decl.year, projects=(declaration_project(decl, rows),))


def evaluation_document(ev: SelfEvaluation, rows: Sequence[EvaluationIndicator] | None = None) -> Document:
    """A one-project self-evaluation document (a transfer-payment one for a transfer)."""
    kind = Kind.TRANSFER_SELF_EVALUATION if ev.declaration.kind == Declaration.Kind.TRANSFER else Kind.SELF_EVALUATION
    return Document(kind=kind, year=ev.declaration.year, projects=(evaluation_project(ev, rows),))
