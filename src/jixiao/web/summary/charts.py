"""The dashboard's figures: each chart's data, computed by grouping in the database.

Every function takes the summary queryset (already scoped to the reader
and filtered) and returns plain data that both the chart and its table
are drawn from, so the two can never disagree. Each is one query whose
cost grows with the rows it reads, never with extra queries per project.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Case, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from jixiao.core.scoring.formulas import quantize
from jixiao.core.workflow import State
from jixiao.web.cycle.models import Declaration
from jixiao.web.summary.table import GRADES, fen

TOP = 10
NOT_EVALUATED = "未评"
# execution-rate bands of the scatter's table (lower bounds inclusive), as the bands of the rule packs
RATE_BANDS: tuple[tuple[str, Decimal, Decimal | None], ...] = (
    ("100% 及以上", Decimal(100), None),
    ("90%–100%", Decimal(90), Decimal(100)),
    ("80%–90%", Decimal(80), Decimal(90)),
    ("60%–80%", Decimal(60), Decimal(80)),
    ("60% 以下", Decimal(0), Decimal(60)),
)


def grade_distribution(qs: QuerySet[Declaration]) -> list[dict[str, Any]]:
    """How many projects got each grade, and how many have no score yet."""
    counts = dict(qs.order_by().values_list("s_grade").annotate(n=Count("pk")).values_list("s_grade", "n"))
    out = [{"grade": g, "count": counts.get(g, 0)} for g in GRADES]
    missing = sum(n for g, n in counts.items() if g not in GRADES)
    out.append({"grade": NOT_EVALUATED, "count": missing})
    return out


@dataclass(frozen=True)
class Point:
    """A project on the execution-rate × score chart."""

    evaluation_id: int
    project: str
    unit: str
    rate: Decimal
    score: Decimal
    grade: str


def scatter(qs: QuerySet[Declaration]) -> list[Point]:
    """Every evaluated project with both an execution rate and a total score."""
    values = (
        qs.filter(s_rate__isnull=False, s_score__isnull=False)
        .order_by("project__name", "pk")
        .values_list("s_ev_id", "project__name", "project__unit__name", "s_rate", "s_score", "s_grade")
    )
    return [Point(v[0], v[1], v[2], fen(v[3]) or Decimal(0), fen(v[4]) or Decimal(0), v[5] or "") for v in values]


def rate_by_grade(points: list[Point]) -> dict[str, Any]:
    """The scatter read as a table: projects per execution-rate band and grade."""
    table: dict[str, dict[str, int]] = {label: dict.fromkeys(GRADES, 0) for label, _, _ in RATE_BANDS}
    for p in points:
        for label, low, high in RATE_BANDS:
            if p.rate >= low and (high is None or p.rate < high):
                if p.grade in GRADES:
                    table[label][p.grade] += 1
                break
    return {"grades": list(GRADES), "rows": [{"band": k, "counts": [v[g] for g in GRADES]} for k, v in table.items()]}


def most_findings(qs: QuerySet[Declaration]) -> list[dict[str, Any]]:
    """The projects with the most findings: errors first, then warnings."""
    values = (
        qs.filter(Q(s_errors__gt=0) | Q(s_warnings__gt=0))
        .order_by(F("s_errors").desc(), F("s_warnings").desc(), F("s_infos").desc(), "project__name", "pk")
        .values_list("pk", "s_ev_id", "project__name", "project__unit__name", "s_errors", "s_warnings", "s_infos")[:TOP]
    )
    return [
        {
            "declaration": v[0],
            "evaluation": v[1],
            "project": v[2],
            "unit": v[3],
            "errors": v[4],
            "warnings": v[5],
            "infos": v[6],
        }
        for v in values
    ]


PROGRESS_COLUMNS = (
    ("projects", "项目数"),
    ("declared_approved", "目标已批复"),
    ("declared_published", "目标已公开"),
    ("evaluated", "已报送自评"),
    ("evaluation_approved", "自评已批复"),
    ("evaluation_published", "自评已公开"),
)


def progress(qs: QuerySet[Declaration], by_department: bool) -> list[dict[str, Any]]:
    """Filing and publication by unit (or by department for the finance bureau), as counts per stage."""
    group = "project__department__name" if by_department else "project__unit__name"
    approved = [State.APPROVED.value, State.PUBLISHED.value]
    filed = [State.SUBMITTED.value, State.DEPT_APPROVED.value, *approved]

    def count(condition: Q) -> Sum:
        return Coalesce(Sum(Case(When(condition, then=Value(1)), default=Value(0))), 0)

    values = (
        qs.order_by()
        .values(group)
        .annotate(
            projects=Count("pk"),
            declared_approved=count(Q(state__in=approved)),
            declared_published=count(Q(state=State.PUBLISHED.value)),
            evaluated=count(Q(s_ev_state__in=filed)),
            evaluation_approved=count(Q(s_ev_state__in=approved)),
            evaluation_published=count(Q(s_ev_state=State.PUBLISHED.value)),
        )
        .order_by(group)
    )
    return [{"name": v[group]} | {k: v[k] for k, _ in PROGRESS_COLUMNS} for v in values]


def year_on_year(qs: QuerySet[Declaration]) -> list[dict[str, Any]]:
    """Per budget year: projects, money requested, budgeted and executed, mean score, projects per grade."""
    values = (
        qs.order_by()
        .values("year")
        .annotate(
            projects=Count("pk"),
            requested=Sum("s_requested"),
            budgeted=Sum("s_budgeted"),
            executed=Sum("s_executed"),
            mean_score=Avg("s_score"),
            **{f"grade_{n}": Count("pk", filter=Q(s_grade=g)) for n, g in enumerate(GRADES)},
        )
        .order_by("year")
    )
    out = []
    for v in values:
        budgeted, executed = fen(v["budgeted"]), fen(v["executed"])
        out.append(
            {
                "year": v["year"],
                "projects": v["projects"],
                "requested": fen(v["requested"]),
                "budgeted": budgeted,
                "executed": executed,
                "rate": quantize(executed / budgeted * 100, Decimal("0.01"))
                if budgeted and executed is not None
                else None,
                "mean_score": fen(v["mean_score"]),
                "grades": [v[f"grade_{n}"] for n in range(len(GRADES))],
            }
        )
    return out


def changes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each year against the year before: the difference in projects, money, rate and mean score."""
    out = []
    for before, now in itertools.pairwise(rows):
        diff: dict[str, Any] = {"year": now["year"], "previous": before["year"]}
        for key in ("projects", "requested", "executed", "rate", "mean_score"):
            a, b = before[key], now[key]
            diff[key] = b - a if a is not None and b is not None else None
        out.append(diff)
    return out


def as_json(value: Any) -> Any:
    """Chart data for the browser: Decimals as strings (exact), dataclasses as dicts."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Point):
        return {k: as_json(v) for k, v in value.__dict__.items()}
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    return value
