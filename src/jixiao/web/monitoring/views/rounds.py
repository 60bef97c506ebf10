"""The rounds list with the open-round form, a round's page with its progress, and closing a round."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from jixiao.core.workflow import Role, State
from jixiao.web.access import Person, account_of, get_for, role_of
from jixiao.web.audit.services import Context
from jixiao.web.cycle.views.lists import PICKABLE, url_prefix
from jixiao.web.monitoring import services
from jixiao.web.monitoring.cache import cached_for_round
from jixiao.web.monitoring.forms import OpenRoundForm
from jixiao.web.monitoring.html import department_options_html, progress_rows_html, round_rows_html
from jixiao.web.monitoring.lists import RecordFilters, round_records
from jixiao.web.monitoring.models import MonitoringRecord, MonitoringRound
from jixiao.web.monitoring.views.action_lists import round_overdue
from jixiao.web.monitoring.views.progress import progress
from jixiao.web.numbers import small_int
from jixiao.web.orgs.models import Organization

SHOWN = 200  # records listed on a round's page; the progress table counts them all


def _open_form(request: HttpRequest, data: object = None) -> OpenRoundForm | None:
    """The open-round form for whoever may open one (finance: chosen departments; a department: its own)."""
    role = role_of(request.user)
    if role is Role.FINANCE_REVIEWER:
        departments = Organization.objects.filter(kind=Organization.Kind.DEPARTMENT).order_by("name")
        return OpenRoundForm(data, departments=departments)
    if role is Role.DEPT_REVIEWER:
        return OpenRoundForm(data)
    return None


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    """The monitoring rounds this person may see; a reviewer opens one here (POST)."""
    form = _open_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("只有财政部门或主管部门的审核人员可以发起绩效运行监控。")
        if form.is_valid():
            d = form.cleaned_data
            try:
                opened = services.open_round(
                    Context.of(request), d["year"], d["as_of"], d["due"], list(d.get("departments") or [])
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                verb = "已在原监控批次中补充" if opened.reopened else "已发起监控，生成"
                messages.success(request, f"{verb} {opened.created} 张监控表。")
                return redirect("monitoring:round_detail", pk=opened.round.pk)
    rounds = MonitoringRound.objects.visible_to(request.user).select_related("opened_in")
    return render(request, "monitoring/round_list.html", {"rounds": rounds, "form": form})


def _filters(request: HttpRequest) -> tuple[RecordFilters, dict[str, str]]:
    """The round's records by department, state, and with alerts only (what a reviewer looks for first).

    The filters as the list reads them (an unknown state or a malformed department is no filter),
    and as the form shows them back.
    """
    shown = {k: request.GET.get(k, "").strip() for k in ("department", "state", "alerts")}
    state = shown["state"] if shown["state"] in {s.value for s in State} else None
    department = small_int(shown["department"], 1, 2**31 - 1)
    return RecordFilters(department=department, state=state, has_alerts=True if shown["alerts"] else None), shown


def _listing(user: Person, round_: MonitoringRound, filters: RecordFilters, today: date) -> dict[str, Any]:
    """What the round's page reads of its forms for ``user``: progress, the first rows, the filter lists, actions."""
    records = round_records(user, round_, filters, today)
    # only the columns the list shows, its rows written in Python (monitoring.html)
    shown = list(
        records.values("pk", "state", "warnings", "errors").annotate(
            the_version=F("version"),
            name=F("project_name"),
            department_name=F("department__name"),
            unit_name=F("unit__name"),
        )[:SHOWN]
    )
    for row in shown:
        row |= {
            "department": row["department_name"],
            "unit": row["unit_name"],
            "alerts": row["warnings"] + row["errors"],
        }
    actions = round_overdue(user, round_)  # its overdue actions
    pickable = PICKABLE.get(role_of(user))  # type: ignore[arg-type]
    lines = progress(round_, user, today)
    # kept as HTML and plain values: a template loop over fifty departments cost more than the queries
    return (
        {
            "lines": bool(lines),
            "progress_html": progress_rows_html(lines),
            "rows_html": round_rows_html(shown, url_prefix("monitoring:record_detail"), pickable),
            "listed": bool(shown),
            "more": max(records.count() - SHOWN, 0) if len(shown) == SHOWN else 0,
            "departments": []  # the page names them only for a round over chosen departments
            if round_.all_departments
            else list(round_.departments.order_by("name").values_list("name", flat=True)),
            "listed_departments": list(
                Organization.objects.filter(
                    pk__in=MonitoringRecord.objects.visible_to(user).filter(round=round_).values("department")
                )
                .order_by("name")
                .values_list("pk", "name")
            ),
        }
        | actions
        | {"overdue_actions": list(actions["overdue_actions"])}
    )


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A round: its dates and scope, its progress by department, and the forms this person may open.

    What it reads of the forms is kept until the next write to the round (``monitoring.cache``).
    """
    round_ = get_for(request.user, MonitoringRound.objects.select_related("opened_in", "data_version"), pk)
    filters, shown = _filters(request)
    today = timezone.localdate()
    listing = cached_for_round(
        request.user, round_, ("page", SHOWN, filters), today, lambda: _listing(request.user, round_, filters, today)
    )
    account = account_of(request.user)
    return render(
        request,
        "monitoring/round_detail.html",
        {
            "round": round_,
            "can_close": account is not None
            and account.organization_id == round_.opened_in_id
            and round_.status == MonitoringRound.Status.OPEN,
            "today": today,
            "can_import": role_of(request.user) in (Role.FINANCE_REVIEWER, Role.DEPT_REVIEWER)
            and round_.status == MonitoringRound.Status.OPEN,
            "filters": shown,
            # a reviewer ticks the forms waiting for their approval and approves them at once (notices.batch)
            "pickable": PICKABLE.get(role_of(request.user)),  # type: ignore[arg-type]
            "states": [(s.value, s.label) for s in State if s is not State.PUBLISHED],
            "department_options": department_options_html(listing["listed_departments"], shown["department"]),
        }
        | listing,
    )


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    """End a round (its forms stay; no more are added)."""
    round_ = get_for(request.user, MonitoringRound.objects.all(), pk)
    services.close_round(Context.of(request), round_)
    messages.success(request, "已结束该监控批次。")
    return redirect("monitoring:round_detail", pk=round_.pk)
