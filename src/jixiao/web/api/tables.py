"""The project list and the summary table of the API: the summary page's own queries, as JSON.

Both come from :mod:`jixiao.web.summary.table`, so a program and a person
reading the 汇总表 see the same rows, the same money in 元, the same
execution rates and the same finding counts — the counts the services
store on every write (a project's count adds its declaration's findings
and, where the caller may see it, its self-evaluation's). Each page is a
fixed number of queries whatever the number of projects.
"""

from __future__ import annotations

from typing import Any

from jixiao.core.workflow import State
from jixiao.web.access import Person
from jixiao.web.cycle.models import Declaration
from jixiao.web.summary import table


def visible_declarations(
    user: Person,
    *,
    year: int | None = None,
    state: State | None = None,
    evaluation_state: State | None = None,
    unit: int | None = None,
    department: int | None = None,
) -> table.Summarised:
    """The declarations ``user`` may see, with the summary's figures, filtered, in a stable order."""
    filters = table.Filters(
        year="" if year is None else str(year),
        department="" if department is None else str(department),
        unit="" if unit is None else str(unit),
        state="" if state is None else state.value,
        evaluation_state="" if evaluation_state is None else evaluation_state.value,
    )
    return table.ordered(table.apply_filters(table.base_queryset(user), filters, user), "")


def _findings(row: table.Row) -> dict[str, int]:
    return {"error": row.errors, "warning": row.warnings, "info": row.infos}


def _row(row: table.Row) -> dict[str, Any]:
    # the summary writes "" for what is absent; JSON says null
    return {
        "declaration_id": row.declaration_id,
        "evaluation_id": row.evaluation_id,
        "project": row.project,
        "unit": row.unit,
        "department": row.department,
        "declaration_state": row.declaration_state,
        "evaluation_state": row.evaluation_state or None,
        "requested": row.requested,
        "budget": row.budgeted,
        "executed": row.executed,
        "execution_rate": row.rate,
        "total_score": row.score,
        "suggested_score": row.suggested,
        "grade": row.grade or None,
        "findings": _findings(row),
    }


def _identities(ids: list[int]) -> dict[int, dict[str, Any]]:
    values = Declaration.objects.filter(pk__in=ids).values(
        "pk", "year", "kind", "project_id", "project__unit_id", "project__department_id"
    )
    return {
        v["pk"]: {
            "year": v["year"],
            "kind": v["kind"],
            "project_id": v["project_id"],
            "unit_id": v["project__unit_id"],
            "department_id": v["project__department_id"],
        }
        for v in values
    }


def page(queryset: table.Summarised, offset: int, limit: int) -> list[dict[str, Any]]:
    """The rows of one page of the list, each with the ids and year of its project."""
    # the summary's rows carry names for people; programs need the ids too, read for this page only
    rows = table.rows(queryset[offset : offset + limit])
    identities = _identities([r.declaration_id for r in rows])
    return [_row(r) | identities[r.declaration_id] for r in rows]


def summary(user: Person, *, year: int | None, department: int | None) -> dict[str, Any]:
    """The summary table of what ``user`` may see: one row per project and year, money in 元, and totals."""
    qs = visible_declarations(user, year=year, department=department)
    # one table, not a list: the totals row must add up the rows given with it, so no paging here
    rows = page(qs, 0, qs.count())
    t = table.totals(qs)
    totals = {
        "projects": t.projects,
        "evaluated": t.evaluated,
        "requested": t.requested,
        "budget": t.budgeted,
        "executed": t.executed,
        "execution_rate": t.rate,
        "findings": {"error": t.errors, "warning": t.warnings, "info": t.infos},
    }
    return {"year": year, "department": department, "money_unit": "元", "rows": rows, "totals": totals}
