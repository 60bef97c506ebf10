"""The alerts list: the findings of the monitoring forms a reviewer answers for, filtered, each linking to its row."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jixiao.core.review.findings import Severity
from jixiao.core.workflow import Role
from jixiao.web.access import Person, role_of
from jixiao.web.monitoring import lists
from jixiao.web.numbers import small_int
from jixiao.web.orgs.models import Organization

PAGE_SIZE = 100
REVIEWERS = (Role.DEPT_REVIEWER, Role.FINANCE_REVIEWER)


def reviewer(user: Person) -> Role:
    """The reviewer's role; anyone else is refused (a unit reads its alerts on its own forms)."""
    role = role_of(user)
    if role not in REVIEWERS:
        raise PermissionDenied("预警列表只对主管部门和财政部门的审核人员开放；单位请在本单位的监控表中查看预警。")
    assert role is not None
    return role


def departments_for(role: Role) -> list[tuple[int, str]]:
    """The departments a reviewer filters by: every one for the finance bureau, none for a department (its own)."""
    if role is not Role.FINANCE_REVIEWER:
        return []
    return list(
        Organization.objects.filter(kind=Organization.Kind.DEPARTMENT).order_by("name").values_list("pk", "name")
    )


def _filters(request: HttpRequest, codes: list[tuple[str, str]]) -> lists.AlertFilters:
    """The filters as the page's form sends them; a value the form does not offer is no filter."""
    code = request.GET.get("code", "")
    severity = request.GET.get("severity", "")
    return lists.AlertFilters(
        round=small_int(request.GET.get("round")),
        department=small_int(request.GET.get("department")),
        code=code if code in dict(codes) else None,
        severity=severity if severity in {s.value for s in Severity} else None,
    )


@login_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    """预警列表: filter by round, department, kind of alert and severity; each alert opens its form at its row."""
    role = reviewer(request.user)
    codes = lists.monitoring_codes(request.user)
    filters = _filters(request, codes)
    page = Paginator(lists.alerts(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page", ""))
    query = {k: v for k, v in vars(filters).items() if v is not None}
    context: dict[str, Any] = {
        "filters": filters,
        "rounds": lists.visible_rounds(request.user),
        "departments": departments_for(role),
        "codes": codes,
        "severities": lists.SEVERITIES,
        "page": page,
        "alerts": [(f, lists.title_of(f.code), Severity(f.severity).label) for f in page.object_list],
        "query": urlencode(query),
    }
    return render(request, "monitoring/alerts.html", context)
