"""Public disclosure pages: only published versions, no personal data, stable URLs."""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from jixiao.core.model import FUND_ROW_LABELS
from jixiao.core.serialize import loads
from jixiao.web.cycle.layout import tree_rows
from jixiao.web.cycle.models import Publication


def _latest() -> list[int]:
    """The newest publication of each record (a republished record shows its latest version)."""
    seen: dict[tuple[str, int], int] = {}
    for pk, kind, decl in Publication.objects.order_by("published_at", "pk").values_list(
        "pk", "kind", "declaration_id"
    ):
        seen[(kind, decl)] = pk
    return list(seen.values())


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Published declarations and self-evaluations, by year and department, searchable by name and goal."""
    qs = Publication.objects.filter(pk__in=_latest())
    year = request.GET.get("year", "")
    q = request.GET.get("q", "").strip()
    if year.isdigit():
        qs = qs.filter(year=int(year))
    if q:
        qs = qs.filter(project_name__icontains=q) | qs.filter(document__icontains=q)
    years = sorted(set(Publication.objects.values_list("year", flat=True)), reverse=True)
    page = Paginator(qs.order_by("-year", "department_name", "project_name"), 50).get_page(request.GET.get("page"))
    return render(request, "portal/home.html", {"page": page, "years": years, "year": year, "q": q})


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One published form in the official layout."""
    publication = get_object_or_404(Publication, pk=pk)
    document = loads(publication.document)
    if not document.projects:
        raise Http404("没有找到该公开文本。")
    project = document.projects[0]
    funds = [(FUND_ROW_LABELS[key], row) for key, row in project.funds.rows()]
    return render(
        request,
        "portal/detail.html",
        {
            "publication": publication,
            "document": document,
            "project": project,
            "funds": funds,
            "tree": tree_rows(list(project.indicators)),
        },
    )


@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The published document JSON (jixiao.document/1), exactly as frozen at publication."""
    publication = get_object_or_404(Publication, pk=pk)
    response = HttpResponse(publication.document, content_type="application/json; charset=utf-8")
    json.loads(publication.document)  # a frozen version is valid JSON; never serve anything else
    response["Content-Disposition"] = f'attachment; filename="jixiao-{publication.pk}.json"'
    return response
