"""Public disclosure pages: only published versions, no personal data, stable URLs.

Everything here reads :class:`~jixiao.web.cycle.models.Publication`, the
frozen document JSON of what a reviewer published, never the live
records; so a draft, a return comment or a reviewer's name cannot reach
an anonymous reader. Forms are drawn from the same format-neutral report
as the XLSX, PDF and Word files, so the page and the downloads match the
official layout and each other.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from jixiao.core.serialize import loads
from jixiao.exporters.model import Report
from jixiao.exporters.report import build_report
from jixiao.web.audit.services import Context, record_export
from jixiao.web.cycle import files
from jixiao.web.cycle.models import Declaration, Publication, SelfEvaluation
from jixiao.web.cycle.packs import pack_named
from jixiao.web.cycle.sheets import official_table
from jixiao.web.numbers import small_int

PAGE_SIZE = 50


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Published declarations and self-evaluations by year, department and kind; search names and goals."""
    current = Publication.objects.filter(current=True)
    filters = {k: request.GET.get(k, "").strip()[:100] for k in ("year", "department", "kind", "q")}
    qs = current
    year = small_int(filters["year"], 0, 9999)  # "²" or twenty digits: no filter, never a 500
    if year is not None:
        qs = qs.filter(year=year)
    if filters["department"]:
        qs = qs.filter(department_name=filters["department"])
    if filters["kind"] in Publication.Kind.values:
        qs = qs.filter(kind=filters["kind"])
    for word in filters["q"].split():  # every word must appear, in the name or the published goals
        qs = qs.filter(search_text__icontains=word)
    page = Paginator(
        qs.order_by("-year", "department_name", "project_name", "kind", "pk").only(
            "pk", "kind", "year", "department_name", "unit_name", "project_name", "published_at"
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/home.html",
        {
            "page": page,
            "filters": filters,
            "query": urlencode({k: v for k, v in filters.items() if v}),
            "years": sorted(set(current.values_list("year", flat=True)), reverse=True),
            "departments": sorted(set(current.values_list("department_name", flat=True))),
            "kinds": Publication.Kind.choices,
        },
    )


def _report(publication: Publication) -> Report:
    document = loads(publication.document, source=f"公开版本 {publication.pk}")
    if not document.projects:
        raise Http404("没有找到该公开文本。")
    # the published record's rule pack (its name only, not the record): no printed total may exceed its maximum
    model, pk = (
        (SelfEvaluation, publication.evaluation_id)
        if publication.evaluation_id
        else (Declaration, publication.declaration_id)
    )
    pack = pack_named(model.objects.filter(pk=pk).values_list("rule_pack", flat=True).first())
    return build_report(document, pack=pack)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One published form in the official layout; an older version links to the newest."""
    publication = get_object_or_404(Publication, pk=pk)
    report = _report(publication)
    form = report.forms[0]
    newest = (
        None
        if publication.current
        else Publication.objects.filter(kind=publication.kind, declaration_id=publication.declaration_id, current=True)
        .only("pk")
        .first()
    )
    return render(
        request,
        "portal/detail.html",
        {
            "publication": publication,
            "form": form,
            "sheet": official_table(form),
            "newest": newest,
            "formats": list(files.LABELS.items()),  # (format, button label), from the renderers' table
        },
    )


def _audited(request: HttpRequest, publication: Publication, fmt: str) -> None:
    """Record the download of a published form (readers are anonymous: their address is what is known)."""
    ctx = Context.of(request)
    record_export(
        ctx,
        f"公开的{publication.get_kind_display()}",
        fmt,
        obj=publication,
        organization=publication.declaration.project.unit,
        detail={"year": publication.year, "project": publication.project_name},
        username=None if ctx.user is not None else "匿名读者",
    )


def _filename(publication: Publication, suffix: str) -> str:
    """The file's name: its year, kind and project."""
    title = f"{publication.year}年度{publication.get_kind_display()}-{publication.project_name}"
    return files.attachment(f"jixiao-{publication.pk}", title, suffix)


@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The published document JSON (jixiao.document/1), exactly as frozen at publication."""
    publication = get_object_or_404(Publication.objects.select_related("declaration__project__unit"), pk=pk)
    json.loads(publication.document)  # a frozen version is valid JSON; never serve anything else
    _audited(request, publication, "json")
    response = HttpResponse(publication.document, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = _filename(publication, "json")
    return response


@require_GET
def download_form(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The published form as XLSX, PDF or Word, drawn from the frozen document."""
    if fmt not in files.FORMATS:
        raise Http404("没有这种格式。")
    publication = get_object_or_404(Publication.objects.select_related("declaration__project__unit"), pk=pk)
    body = files.render(_report(publication), fmt)
    _audited(request, publication, fmt)
    response = HttpResponse(body, content_type=files.FORMATS[fmt])
    response["Content-Disposition"] = _filename(publication, fmt)
    return response
