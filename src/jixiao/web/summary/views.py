"""Summary table (汇总表) and dashboard pages, and the table's downloads. All reads go through the access helpers."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from jixiao.core.model import GRADES
from jixiao.core.review import Severity
from jixiao.core.workflow import Role, State
from jixiao.web.access import account_of, role_of
from jixiao.web.audit.services import Context, record_export
from jixiao.web.cycle.views import url_prefix
from jixiao.web.summary import charts, downloads
from jixiao.web.summary.cache import cached, data_version
from jixiao.web.summary.table import (
    COLUMNS,
    NO_GRADE,
    Filters,
    apply_filters,
    base_queryset,
    choices,
    finding_codes,
    ordered,
    rows,
    totals,
    years,
)

PAGE_SIZE = 100


READERS = (Role.UNIT_STAFF, Role.DEPT_REVIEWER, Role.FINANCE_REVIEWER)


def _reader(request: HttpRequest) -> Role:
    """Only the people of the cycle read summaries; the administrators see no business records."""
    role = role_of(request.user)
    if role not in READERS:
        raise PermissionDenied("汇总表和统计图只对填报单位、主管部门和财政部门开放。")
    assert role is not None
    return role


def _filters(request: HttpRequest, available: list[int]) -> Filters:
    """The filters of the request; the year defaults to the newest the reader has."""
    filters = Filters.from_query(request.GET)
    if not filters.year and available:
        filters = Filters(**(filters.as_query() | {"year": str(available[0])}))
    return filters


def _scope_title(request: HttpRequest, filters: Filters, role: Role) -> str:
    """Whose table it is, as its title says: the bureau's, a department's or a unit's."""
    account = account_of(request.user)
    assert account is not None and account.organization is not None
    year = f"{filters.year}年度" if filters.year else ""
    return f"{account.organization.name}{year}项目支出绩效汇总表"


@login_required
@require_GET
def summary_table(request: HttpRequest) -> HttpResponse:
    """The 汇总表: filter, sort, read the totals, download the same rows."""
    role = _reader(request)
    version = data_version()
    available = cached(request.user, "years", (), version, lambda: years(request.user))
    filters = _filters(request, available)
    page_number = request.GET.get("page", "")

    def page_body() -> str:
        """The page's body (title, filters, table, totals): what the cache keeps, so a hit renders nothing."""
        qs = apply_filters(base_queryset(request.user), filters, request.user)
        page = Paginator(ordered(qs, filters.sort), PAGE_SIZE).get_page(page_number)
        headings = []
        for column in COLUMNS:
            ascending = filters.sort == column.key
            next_sort = f"-{column.key}" if ascending else column.key
            headings.append(
                {
                    "column": column,
                    "url": "?" + urlencode(filters.as_query(sort=next_sort)),
                    "aria": "ascending" if ascending else "descending" if filters.sort == f"-{column.key}" else "none",
                }
            )
        context: dict[str, Any] = {
            "title": _scope_title(request, filters, role),
            "filters": filters,
            "query": urlencode(filters.as_query()),
            "headings": headings,
            "years": available,
            "grades": GRADES,
            "no_grade": NO_GRADE,
            "states": list(State),
            "codes": finding_codes(),
            "role": role.value,
            # links are built by joining an id to these, not by a {% url %} per cell (a page has 100 rows)
            "declaration_url": url_prefix("cycle:declaration_detail"),
            "evaluation_url": url_prefix("cycle:evaluation_detail"),
            "page": page,
            # arg-type: a page of a queryset is the sliced queryset; the stubs know it only as a sequence
            "rows": rows(page.object_list),  # type: ignore[arg-type]
            "totals": totals(qs),
        } | choices(request.user, filters)
        return render_to_string("summary/_table.html", context, request)

    body = cached(request.user, "table", (filters, page_number), version, page_body)
    return render(request, "summary/table.html", {"body": body} | _rectifications(request, filters))


@login_required
@require_GET
def summary_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered table, every row (not one page), as CSV or XLSX."""
    role = _reader(request)
    filters = _filters(request, years(request.user))
    qs = ordered(apply_filters(base_queryset(request.user), filters, request.user), filters.sort)
    table_rows, table_totals = rows(qs), totals(qs)
    title = _scope_title(request, filters, role)
    if fmt not in downloads.FORMATS:
        raise PermissionDenied("只能下载 CSV 或 XLSX。")
    body, content_type = downloads.render(table_rows, table_totals, title, fmt)
    account = account_of(request.user)
    record_export(
        Context.of(request),
        "汇总表",
        fmt,
        organization=account.organization if account else None,
        detail={"title": title, "filters": filters.as_query(), "rows": len(table_rows)},
    )
    response = HttpResponse(body, content_type=content_type)
    # RFC 6266 filename*: the Chinese title survives every browser
    response["Content-Disposition"] = f"attachment; filename=\"summary.{fmt}\"; filename*=UTF-8''{quote(title)}.{fmt}"
    return response


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Charts for a department or the finance bureau, each with the same figures as a table."""
    role = _reader(request)
    version = data_version()
    available = cached(request.user, "years", (), version, lambda: years(request.user))
    filters = _filters(request, available)

    def page_body() -> str:
        """The charts' data and their tables, rendered once per data version (see ``summary_table``)."""
        context: dict[str, Any] = {
            "title": _scope_title(request, filters, role).replace("汇总表", "统计图"),
            "filters": filters,
            "years": available,
            "progress_columns": charts.PROGRESS_COLUMNS,
            "grades": GRADES,
            "by_department": role is Role.FINANCE_REVIEWER,
            "role": role.value,
        } | _dashboard_figures(request, filters, role)
        return render_to_string("summary/_dashboard.html", context, request)

    body = cached(request.user, "dashboard", (filters,), version, page_body)
    return render(request, "summary/dashboard.html", {"body": body} | _rectifications(request, filters))


def _rectifications(request: HttpRequest, filters: Filters) -> dict[str, Any]:
    """The 整改事项 per department (open, overdue, closed), outside the cached body: items change on their own."""
    from jixiao.web.rectification.lists import department_counts

    year = int(filters.year) if filters.year.isdigit() else None
    return {"rectification_counts": department_counts(request.user, year), "rectification_year": year}


def _dashboard_figures(request: HttpRequest, filters: Filters, role: Role) -> dict[str, Any]:
    """Everything the dashboard draws, for the cache: two queries over the reader's records."""
    scoped = apply_filters(base_queryset(request.user), Filters(**(filters.as_query() | {"year": ""})), request.user)
    rows = charts.year_rows(scoped.filter(year=int(filters.year)) if filters.year.isdigit() else scoped)
    points = charts.scatter(rows)
    yearly = charts.year_on_year(scoped)
    data = {
        "grades": charts.grade_distribution(rows),
        "points": points,
        "findings": charts.most_findings(rows),
        "progress": charts.progress(rows, by_department=role is Role.FINANCE_REVIEWER),
        "years": yearly,
        "evaluation_url": reverse("cycle:evaluation_detail", args=[0]).replace("/0/", "/{id}/"),
        "declaration_url": reverse("cycle:declaration_detail", args=[0]).replace("/0/", "/{id}/"),
        "summary_url": reverse("summary:table"),
        "year": filters.year,
        "severities": {s.value: s.label for s in Severity},  # the chart's series named by core's words
    }
    return {
        "data": data,
        "chart_data": charts.json_script(data, "chart-data"),
        "bands": charts.rate_by_grade(points),
        "changes": charts.changes(yearly),
    } | choices(request.user, filters)
