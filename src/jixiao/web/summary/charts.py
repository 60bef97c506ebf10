"""The dashboard's figures: each chart's data, from one read of the year's projects plus one across the years.

The summary queryset (already scoped to the reader and filtered) is read
once as compact rows for the chosen year; the grade distribution, the
scatter, the projects with most findings and the filing progress are
grouped from those rows in Python, and the year-on-year figures come from
one grouped query. So the page costs two queries whatever the number of
projects, and each chart and its table are drawn from the same data, so
the two can never disagree.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Q, QuerySet, Sum

# attr-defined: Django's private table of json_script, shared so that the charts escape exactly as it does
from django.utils.html import _json_script_escapes  # type: ignore[attr-defined]
from django.utils.safestring import SafeString, mark_safe

from jixiao.core.model import GRADES
from jixiao.core.scoring.formulas import quantize
from jixiao.core.workflow import FROZEN_VALUES, State
from jixiao.web.cycle.models import Declaration
from jixiao.web.summary.table import fen

if TYPE_CHECKING:
    from jixiao.web.summary.table import Summarised

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
APPROVED = FROZEN_VALUES  # approved or published: the finance bureau has approved it
FILED = (State.SUBMITTED.value, State.DEPT_APPROVED.value, *APPROVED)
PROGRESS_COLUMNS = (
    ("projects", "项目数"),
    ("declared_approved", "目标已批复"),
    ("declared_published", "目标已公开"),
    ("evaluated", "已报送自评"),
    ("evaluation_approved", "自评已批复"),
    ("evaluation_published", "自评已公开"),
)


@dataclass(frozen=True, slots=True)
class YearRow:
    """One project of the chosen year as the dashboard needs it."""

    declaration_id: int
    evaluation_id: int | None
    department: str
    unit: str
    project: str
    state: str
    evaluation_state: str | None
    rate: Decimal | None
    score: Decimal | None
    grade: str
    errors: int
    warnings: int
    infos: int


def year_rows(qs: Summarised) -> list[YearRow]:
    """The year's projects in one query (names from the copied column, so only the two organizations join)."""
    values = qs.order_by("project_name", "pk").values_list(
        "pk",
        "s_ev_id",
        "project__department__name",
        "project__unit__name",
        "project_name",
        "state",
        "s_ev_state",
        "s_rate",
        "s_score",
        "s_grade",
        "s_errors",
        "s_warnings",
        "s_infos",
    )
    return [YearRow(*v[:9], v[9] or "", *v[10:]) for v in values]


def grade_distribution(rows: list[YearRow]) -> list[dict[str, Any]]:
    """How many projects got each grade, and how many have no score yet."""
    counts = Counter(r.grade for r in rows)
    out = [{"grade": g, "count": counts.get(g, 0)} for g in GRADES]
    out.append({"grade": NOT_EVALUATED, "count": sum(n for g, n in counts.items() if g not in GRADES)})
    return out


# a point of the scatter: [evaluation id, rate, score, grade, project, unit] (arrays keep the page small)
Point = tuple[int, Decimal, Decimal, str, str, str]


def scatter(rows: list[YearRow]) -> list[Point]:
    """Every evaluated project with both an execution rate and a total score (to the hundredth, as printed)."""
    # SQLite hands the annotated figures back without their trailing zeros (95, 99.5): print them as the forms do
    hundredth = Decimal("0.01")
    return [
        (r.evaluation_id, quantize(r.rate, hundredth), quantize(r.score, hundredth), r.grade, r.project, r.unit)
        for r in rows
        if r.evaluation_id is not None and r.rate is not None and r.score is not None
    ]


def rate_by_grade(points: list[Point]) -> dict[str, Any]:
    """The scatter read as a table: projects per execution-rate band and grade."""
    table: dict[str, dict[str, int]] = {label: dict.fromkeys(GRADES, 0) for label, _, _ in RATE_BANDS}
    for _, rate, _, grade, _, _ in points:
        for label, low, high in RATE_BANDS:
            if rate >= low and (high is None or rate < high):
                if grade in GRADES:
                    table[label][grade] += 1
                break
    return {"grades": list(GRADES), "rows": [{"band": k, "counts": [v[g] for g in GRADES]} for k, v in table.items()]}


def most_findings(rows: list[YearRow]) -> list[dict[str, Any]]:
    """The projects with the most findings: errors first, then warnings."""
    flagged = [r for r in rows if r.errors or r.warnings]
    flagged.sort(key=lambda r: (-r.errors, -r.warnings, -r.infos, r.project, r.declaration_id))
    return [
        {
            "declaration": r.declaration_id,
            "evaluation": r.evaluation_id,
            "project": r.project,
            "unit": r.unit,
            "errors": r.errors,
            "warnings": r.warnings,
            "infos": r.infos,
        }
        for r in flagged[:TOP]
    ]


def progress(rows: list[YearRow], by_department: bool) -> list[dict[str, Any]]:
    """Filing and publication by unit (or by department for the finance bureau), as counts per stage."""
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        counts = groups[r.department if by_department else r.unit]
        counts["projects"] += 1
        counts["declared_approved"] += r.state in APPROVED
        counts["declared_published"] += r.state == State.PUBLISHED.value
        counts["evaluated"] += r.evaluation_state in FILED
        counts["evaluation_approved"] += r.evaluation_state in APPROVED
        counts["evaluation_published"] += r.evaluation_state == State.PUBLISHED.value
    return [{"name": name} | {k: groups[name][k] for k, _ in PROGRESS_COLUMNS} for name in sorted(groups)]


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


def json_script(value: Any, element_id: str) -> SafeString:
    """Chart data in a ``<script type="application/json">``: Decimals as exact strings, Chinese unescaped.

    Django's ``json_script`` writes every Chinese character as ``\\uXXXX``, which triples a province's
    dashboard; the same escapes of ``<``, ``>`` and ``&`` keep the data inert inside the page.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str).translate(_json_script_escapes)
    return mark_safe(f'<script id="{element_id}" type="application/json">{text}</script>')
