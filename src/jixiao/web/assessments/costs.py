"""The cost-benefit section: each main output's unit cost beside similar projects jixiao holds and a cited benchmark.

A similar project is a declaration the viewer may see (``visible_to``), other than the assessed one,
with an indicator of the same name whose target is a quantity in the same unit. Its unit cost is its
requested total (in yuan) over that quantity: an upper bound, since a project pays for several outputs,
and labelled so on the page and in the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jixiao.core.scoring.exante import to_yuan
from jixiao.core.targets import Quantity, parse_target
from jixiao.web.access import Person
from jixiao.web.assessments.models import Assessment, CostLine
from jixiao.web.cycle.models import Declaration, DeclarationIndicator

_CENT = Decimal("0.01")
SIMILAR_SHOWN = 10  # a line lists at most this many similar projects (the cheapest and dearest are in the range)


@dataclass(frozen=True)
class Similar:
    """A similar project's unit cost of the same output."""

    project: str
    year: int
    unit_cost: Decimal


@dataclass(frozen=True)
class CostRow:
    """One cost line with its unit cost, the benchmark's and the similar projects'."""

    line: CostLine
    unit_cost: Decimal | None
    ratio_to_benchmark_pct: Decimal | None
    similar: tuple[Similar, ...]

    @property
    def similar_range(self) -> tuple[Decimal, Decimal] | None:
        """The lowest and highest unit cost among the similar projects."""
        costs = [s.unit_cost for s in self.similar]
        return (min(costs), max(costs)) if costs else None


def unit_cost(cost: Decimal | None, quantity: Decimal) -> Decimal | None:
    """Cost over quantity, to the fen (None without a cost or a quantity)."""
    if cost is None or quantity <= 0:
        return None
    return (cost / quantity).quantize(_CENT, rounding=ROUND_HALF_UP)


def similar_projects(user: Person, assessment: Assessment, output: str, unit: str) -> tuple[Similar, ...]:
    """The unit costs of ``output`` in ``unit`` in the declarations ``user`` may see (not the assessed one)."""
    declarations = Declaration.objects.visible_to(user).exclude(pk=assessment.declaration_id)
    indicators = (
        DeclarationIndicator.objects.filter(declaration__in=declarations, name=output.strip())
        .select_related("declaration")
        .order_by("-declaration__year", "declaration_id")[: SIMILAR_SHOWN * 3]
    )
    found: list[Similar] = []
    for ind in indicators:
        target = parse_target(ind.target)
        decl = ind.declaration
        total = to_yuan(decl.requested_total, decl.money_unit)
        if not isinstance(target, Quantity) or (target.unit or "") != unit.strip() or total is None:
            continue
        cost = unit_cost(total, target.number)
        if cost is not None:
            found.append(Similar(decl.project_name, decl.year, cost))
        if len(found) == SIMILAR_SHOWN:
            break
    return tuple(found)


def cost_rows(user: Person, assessment: Assessment, *, compare: bool) -> list[CostRow]:
    """The assessment's cost lines, with the similar projects when ``compare`` (never for an expert's page)."""
    rows = []
    for line in assessment.costs.all():
        cost = unit_cost(line.cost, line.quantity)
        bench = line.benchmark_unit_cost
        ratio = (cost * 100 / bench).quantize(_CENT, rounding=ROUND_HALF_UP) if cost is not None and bench else None
        similar = similar_projects(user, assessment, line.output, line.unit) if compare else ()
        rows.append(CostRow(line, cost, ratio, similar))
    return rows
