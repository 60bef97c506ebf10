"""The indicator library API (``/api/v1/library/``): search, the entries, one entry with the projects that used it.

As the rest of the API: entries are read through ``visible_to`` (every business role reads the
library's aggregates; administrators see none); an entry's uses are only those on declarations the
caller may see. Numbers in ranges are exact decimal strings, as the core library writes them.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema

from jixiao.web.api.errors import ApiError
from jixiao.web.api.schemas import ErrorOut
from jixiao.web.cycle.models import Declaration
from jixiao.web.library import queries
from jixiao.web.library.models import LibraryEntry, LibraryUse

router = Router(tags=["指标库"])

Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=10**9)]
Text = Annotated[str, Query(max_length=100)]


class RangeOut(Schema):
    """The numbers set (or achieved) in one unit: count, min, quartiles, max (exact decimal strings)."""

    unit: str
    count: int
    min: str
    q1: str
    median: str
    q3: str
    max: str


class EntryOut(Schema):
    """A library entry with its statistics."""

    code: str
    name: str
    level1: str
    level2: str
    unit: str
    direction: str
    common: bool
    retired: bool
    owner: str
    sectors: list[str]
    uses: int
    projects: int
    departments: int
    years: list[int]
    targets: list[RangeOut]
    achieved: list[RangeOut]
    assessed: int
    met: int
    met_rate_pct: str | None
    url: str


class EntryPage(Schema):
    """A page of entries, most used first."""

    count: int
    items: list[EntryOut]


class UseOut(Schema):
    """One use of an entry on a declaration the caller may see."""

    declaration_id: int
    year: int
    project: str
    unit: str
    name: str
    target: str
    actual: str
    met: bool | None


class EntryDetail(EntryOut):
    """An entry, its names, what was merged into it, and the uses the caller may see."""

    variants: dict[str, int]
    value_description: str
    scoring_method: str
    valid_from: int | None
    valid_to: int | None
    merged_into: str | None
    merged_from: list[str]
    uses_visible: int
    used_by: list[UseOut]


def _answers(ok: dict[int, Any], *codes: int) -> dict[Any, Any]:
    throttled = (429,) if 401 in codes else ()
    return {**ok, frozenset(codes + throttled): ErrorOut}


@router.get("/search", response=_answers({200: EntryPage}, 401, 422), summary="检索指标库")
def search(request: HttpRequest, q: Text, limit: Limit = 20) -> dict[str, Any]:
    """Entries in use whose name, a variant or cluster key holds every word of ``q``, the typed name's own first."""
    items = queries.suggestions(request.user, q, limit=limit) if q.strip() else []
    return {"count": len(items), "items": items}


@router.get("/entries", response=_answers({200: EntryPage}, 401, 422), summary="指标库条目列表")
def entries(
    request: HttpRequest,
    q: Text = "",
    level1: Annotated[str, Query(max_length=60)] = "",
    sector: Annotated[str, Query(max_length=20)] = "",
    retired: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Entries (not merged away), most used first; retired ones only with ``retired=true``."""
    found = queries.search(request.user, q, level1=level1, sector=sector).select_related("owner")
    if not retired:
        found = found.filter(retired=False)
    return {"count": found.count(), "items": [queries.entry_json(e) for e in found[offset : offset + limit]]}


@router.get("/entries/{code}", response=_answers({200: EntryDetail}, 401, 404, 422), summary="指标库条目详情")
def entry(request: HttpRequest, code: Annotated[str, Path(max_length=20)], limit: Limit = 50) -> dict[str, Any]:
    """One entry with the uses on declarations the caller may see (most recent year first)."""
    e = LibraryEntry.objects.visible_to(request.user).select_related("owner", "merged_into").filter(code=code).first()
    if e is None:
        raise ApiError(404, "not_found", "没有找到该指标，或您无权查看。")
    uses = LibraryUse.objects.filter(entry=e, declaration__in=Declaration.objects.visible_to(request.user))
    rows = uses.select_related("declaration__project__unit").order_by("-declaration__year", "pk")[:limit]
    return queries.entry_json(e) | {
        "variants": e.variants,
        "value_description": e.value_description,
        "scoring_method": e.scoring_method,
        "valid_from": e.valid_from,
        "valid_to": e.valid_to,
        "merged_into": e.merged_into.code if e.merged_into else None,
        "merged_from": sorted(e.merged.values_list("code", flat=True)),
        "uses_visible": uses.count(),
        "used_by": [
            {
                "declaration_id": u.declaration_id,
                "year": u.declaration.year,
                "project": u.declaration.project.name,
                "unit": u.declaration.project.unit.name,
                "name": u.name,
                "target": u.target,
                "actual": u.actual,
                "met": u.met,
            }
            for u in rows
        ],
    }
