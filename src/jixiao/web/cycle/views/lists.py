"""The cycle's home page and its lists of declarations and self-evaluations."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from jixiao.core.workflow import FROZEN_VALUES, Role, State
from jixiao.web.access import account_of, role_of
from jixiao.web.cycle.html import (
    declaration_list_html,
    evaluation_list_html,
)
from jixiao.web.cycle.models import Declaration, SelfEvaluation
from jixiao.web.cycle.views.common import (
    PAGE_SIZE,
)
from jixiao.web.notices.models import Stage
from jixiao.web.notices.overdue import home_overdue, mark_rows, overdue_filter, pick_cell
from jixiao.web.numbers import small_int

# the state a reviewer's batch approval starts from (the list's checkboxes appear on these rows)
PICKABLE = {Role.DEPT_REVIEWER: State.SUBMITTED.value, Role.FINANCE_REVIEWER: State.DEPT_APPROVED.value}

# -- home and lists -------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What this person has to do now, by role."""
    account = account_of(request.user)
    if account is not None and account.role_enum is Role.AUDIT_ADMIN:
        return redirect("audit:list")
    if account is not None and account.role_enum in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        return redirect("accounts:users")
    if account is not None and account.role_enum is Role.EXPERT:
        return redirect("assessments:list")  # an expert's only work: the assessments assigned to them
    role = role_of(request.user)
    waiting_states = (
        {
            Role.UNIT_STAFF: [State.DRAFT.value, State.RETURNED.value],
            Role.DEPT_REVIEWER: [State.SUBMITTED.value],
            Role.FINANCE_REVIEWER: [State.DEPT_APPROVED.value],
        }.get(role, [])
        if role
        else []
    )
    declarations = Declaration.objects.visible_to(request.user).select_related("project__unit")
    evaluations = SelfEvaluation.objects.visible_to(request.user).select_related("declaration__project__unit")
    context = {
        "todo_declarations": declarations.filter(state__in=waiting_states)[:20],
        "todo_evaluations": evaluations.filter(state__in=waiting_states)[:20],
        "to_evaluate": declarations.filter(state__in=FROZEN_VALUES, evaluation=None)[:20]
        if role is Role.UNIT_STAFF
        else [],
        "counts": {
            "declarations": declarations.count(),
            "evaluations": evaluations.count(),
        },
        "overdue": home_overdue(request.user),
    }
    from jixiao.web.monitoring.views.home import monitoring_todo  # the monitoring app's own part of the page
    from jixiao.web.rectification.lists import todo  # and the 整改事项 waiting for this person

    return render(request, "cycle/home.html", context | monitoring_todo(request.user) | todo(request.user))


def _filtered(request: HttpRequest, queryset: Any, stage: Stage) -> tuple[Any, dict[str, str]]:
    filters = {k: request.GET.get(k, "").strip() for k in ("year", "state", "q", "overdue")}
    year = small_int(filters["year"], 0, 9999)  # a year column: anything else is no filter, never a 500
    if year is not None:
        queryset = queryset.filter(year=year)
    if filters["state"] in {s.value for s in State}:
        queryset = queryset.filter(state=filters["state"])
    if filters["q"]:
        queryset = queryset.filter(project_name__icontains=filters["q"])
    if filters["overdue"] == "1":  # 逾期: past the stage's due date and not yet submitted (notices.deadlines)
        queryset = overdue_filter(queryset, stage)
    return queryset, filters


def _marked(request: HttpRequest, page: Any, stage: Stage) -> str | None:
    """Mark the page's overdue rows and give each its batch checkbox cell; the state a reviewer may pick."""
    pickable = PICKABLE.get(role_of(request.user))  # type: ignore[arg-type]
    mark_rows(page.object_list, stage)
    for row in page.object_list:
        row["pick"] = pick_cell(row, pickable)
    return pickable


def _page(request: HttpRequest, qs: Any, columns: dict[str, Any]) -> Any:
    """A page of a list: its ids first (through the list's index, however deep the page), then only those rows.

    Joining the related rows before the OFFSET would join and sort every visible record of a province
    to show fifty of them. The rows are the ``columns`` a list shows, as plain values: a list page
    builds no model objects and resolves no URL per row.
    """
    page = Paginator(qs.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    ids = list(page.object_list)
    # unordered (the model's default ordering would sort them in the database): the ids give the order
    rows = qs.model.objects.filter(pk__in=ids).order_by().values("pk", "state", **columns)
    found = {r["pk"]: r for r in rows}
    page.object_list = [found[pk] | {"state_label": State(found[pk]["state"]).label} for pk in ids]
    return page


def url_prefix(name: str) -> str:
    """The address of a record without its id, for a list that joins the ids itself."""
    return reverse(name, args=[0]).removesuffix("0/")


@login_required
@require_GET
def declaration_list(request: HttpRequest) -> HttpResponse:
    """The declarations this person may see, filtered and paginated."""
    qs, filters = _filtered(request, Declaration.objects.visible_to(request.user), Stage.DECLARATION)
    columns = {
        "name": F("project_name"),
        "code": F("project__code"),
        "department": F("project__department__name"),
        "unit": F("project__unit__name"),
        "the_year": F("year"),
        "requested": F("requested_total"),
        "money": F("money_unit"),
        "unit_id": F("project__unit_id"),
        "department_id": F("project__department_id"),
        "the_version": F("version"),
    }
    page = _page(request, qs, columns)
    pickable = _marked(request, page, Stage.DECLARATION)
    return render(
        request,
        "cycle/declaration_list.html",
        {
            "page": page,
            "rows_html": declaration_list_html(page.object_list, url_prefix("cycle:declaration_detail")),
            "filters": filters,
            "states": list(State),
            "can_create": role_of(request.user) is Role.UNIT_STAFF,
            "can_batch": pickable is not None,
        },
    )


@login_required
@require_GET
def evaluation_list(request: HttpRequest) -> HttpResponse:
    """The self-evaluations this person may see, filtered and paginated."""
    qs, filters = _filtered(request, SelfEvaluation.objects.visible_to(request.user), Stage.SELF_EVALUATION)
    columns = {
        "name": F("project_name"),
        "department": F("declaration__project__department__name"),
        "unit": F("declaration__project__unit__name"),
        "the_year": F("year"),
        "score": F("total_score"),
        "the_grade": F("grade"),
        "unit_id": F("declaration__project__unit_id"),
        "department_id": F("declaration__project__department_id"),
        "the_version": F("version"),
    }
    page = _page(request, qs, columns)
    pickable = _marked(request, page, Stage.SELF_EVALUATION)
    return render(
        request,
        "cycle/evaluation_list.html",
        {
            "page": page,
            "rows_html": evaluation_list_html(page.object_list, url_prefix("cycle:evaluation_detail")),
            "filters": filters,
            "states": list(State),
            "can_batch": pickable is not None,
        },
    )
