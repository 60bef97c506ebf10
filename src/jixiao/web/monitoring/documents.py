"""A monitoring record as a core document (kind ``monitoring``): what the review and its alerts work on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jixiao.core.model import Document, FundRow, Funds, Indicator, Kind, Project
from jixiao.web.cycle.printed import as_printed
from jixiao.web.cycle.shapes import DECLARATION, MONITORING, posted_row, row_to_core
from jixiao.web.monitoring.models import MonitoringRecord, MonitoringRow
from jixiao.web.numbers import form_decimal

CENT = Decimal("0.01")


def execution_rate(executed: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """截至监控日执行率 in percent, to two places (None without a positive budget or an executed amount)."""
    if executed is None or budget is None or budget <= 0:
        return None
    return (executed / budget * 100).quantize(CENT, rounding=ROUND_HALF_UP)


def _funds(budget: Decimal | None, executed: Decimal | None, forecast: Decimal | None) -> Funds:
    row = FundRow(adjusted=budget, executed=executed, rate_pct=execution_rate(executed, budget), forecast=forecast)
    return Funds(total=None if row.is_empty() else row)


def _number(row: Any, name: str) -> Decimal | None:
    value = getattr(row, name)
    return value if isinstance(value, Decimal) else None


def monitoring_project(rec: MonitoringRecord, rows: Sequence[MonitoringRow] | None = None) -> Project:
    """A monitoring record as a core project: the approved targets with what the unit filled in.

    ``rows``: the record's rows with their indicators (``select_related("indicator")``) if already read.
    """
    decl = rec.declaration
    project = decl.project
    read = list(rec.rows.select_related("indicator")) if rows is None else list(rows)
    indicators = tuple(
        Indicator(**row_to_core(DECLARATION, r.indicator, as_printed), **row_to_core(MONITORING, r, _number))
        for r in read
    )
    return Project(
        name=project.name,
        department=project.department.name,
        unit=project.unit.name,
        money_unit=rec.money_unit,
        funds=_funds(rec.budget_total, rec.executed_to_date, rec.forecast_total),
        goal=decl.goal or None,
        outcome=rec.outcome or None,
        indicators=indicators,
        as_of=rec.round.as_of.isoformat(),
    )


def monitoring_document(rec: MonitoringRecord, rows: Sequence[MonitoringRow] | None = None) -> Document:
    """A one-project monitoring document."""
    return Document(kind=Kind.MONITORING, year=rec.year, projects=(monitoring_project(rec, rows),))


MONEY_DIGITS = (18, 2)


def posted_project(rec: MonitoringRecord, rows: Sequence[MonitoringRow], post: Mapping[str, Any]) -> Project:
    """The record as the form posts it (nothing saved): what the live checks read while the unit types.

    A number the save would refuse (``NaN``, three decimals, too many digits) reads as not filled in.
    """
    stored = monitoring_project(rec, rows)
    indicators = tuple(
        replace(indicator, **posted_row(MONITORING, post, f"row-{n}", indicator))
        for n, indicator in enumerate(stored.indicators)
    )
    budget, executed, forecast = (
        form_decimal(post.get(name), *MONEY_DIGITS) for name in ("budget_total", "executed_to_date", "forecast_total")
    )
    return replace(
        stored,
        indicators=indicators,
        funds=_funds(budget, executed, forecast),
        outcome=post.get("outcome") or None,
    )
