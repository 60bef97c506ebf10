"""A monitoring record as a core document (kind ``monitoring``): what the review and its alerts work on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jixiao.core.model import Document, Indicator, Kind, Project
from jixiao.web.cycle.printed import as_printed
from jixiao.web.cycle.shapes import (
    DECLARATION,
    MONITORING,
    header_to_core,
    posted_header,
    posted_row,
    row_to_core,
    with_values,
)
from jixiao.web.monitoring.models import MonitoringRecord, MonitoringRow

CENT = Decimal("0.01")


def execution_rate(executed: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """截至监控日执行率 in percent, to two places (None without a positive budget or an executed amount)."""
    if executed is None or budget is None or budget <= 0:
        return None
    return (executed / budget * 100).quantize(CENT, rounding=ROUND_HALF_UP)


def _with_rate(project: Project) -> Project:
    """The project with its total row's 截至监控日执行率 computed from the amounts (none without a budget)."""
    total = project.funds.total
    if total is None:
        return project
    rate = execution_rate(total.executed, total.adjusted)
    return replace(project, funds=replace(project.funds, total=replace(total, rate_pct=rate)))


def _number(record: Any, name: str) -> Decimal | None:
    value = getattr(record, name)
    return value if isinstance(value, Decimal) else None


def monitoring_project(rec: MonitoringRecord, rows: Sequence[MonitoringRow] | None = None) -> Project:
    """A monitoring record as a core project: the approved targets with what the unit filled in.

    The header goes to the core paths its shape names (``cycle.shapes.MONITORING``); ``rows`` are the
    record's rows with their indicators (``select_related("indicator")``) if already read.
    """
    decl = rec.declaration
    project = decl.project
    read = list(rec.rows.select_related("indicator")) if rows is None else list(rows)
    indicators = tuple(
        Indicator(**row_to_core(DECLARATION, r.indicator, as_printed), **row_to_core(MONITORING, r, _number))
        for r in read
    )
    base = Project(
        name=project.name,
        department=project.department.name,
        unit=project.unit.name,
        goal=decl.goal or None,
        indicators=indicators,
        as_of=rec.round.as_of.isoformat(),
    )
    return _with_rate(with_values(base, header_to_core(MONITORING, rec, _number)))


def monitoring_document(rec: MonitoringRecord, rows: Sequence[MonitoringRow] | None = None) -> Document:
    """A one-project monitoring document."""
    return Document(kind=Kind.MONITORING, year=rec.year, projects=(monitoring_project(rec, rows),))


def posted_project(rec: MonitoringRecord, rows: Sequence[MonitoringRow], post: Mapping[str, Any]) -> Project:
    """The record as the form posts it (nothing saved): what the live checks read while the unit types.

    Read as the save would keep it (``shapes.posted_header``, ``shapes.posted_row``): a number the
    column would refuse (``NaN``, three decimals, too many digits) reads as not filled in.
    """
    stored = monitoring_project(rec, rows)
    indicators = tuple(
        replace(indicator, **posted_row(MONITORING, post, f"row-{n}", indicator))
        for n, indicator in enumerate(stored.indicators)
    )
    return _with_rate(replace(posted_header(MONITORING, post, stored), indicators=indicators))
