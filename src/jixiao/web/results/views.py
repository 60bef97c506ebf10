"""Pages: the finance page of results application (per year and department), one project's decision, the files.

The finance bureau decides; a department reviewer sees its own department's projects and a unit its
own, read-only; the administrators see nothing here (403). Every row comes through the access
helpers (``visible_to``, ``get_for``), every write through :mod:`jixiao.web.results.services`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from jixiao.core.model import GRADES
from jixiao.core.scoring.application import DecisionError
from jixiao.core.workflow import Role
from jixiao.web.access import get_for, role_of
from jixiao.web.audit.services import Context, record_export
from jixiao.web.cycle.files import attachment
from jixiao.web.cycle.models import SelfEvaluation
from jixiao.web.numbers import small_int
from jixiao.web.orgs.models import Organization
from jixiao.web.results import downloads, proposals, services
from jixiao.web.results.proposals import STATUS_LABELS, Line

BUSINESS = (Role.UNIT_STAFF, Role.DEPT_REVIEWER, Role.FINANCE_REVIEWER)


def _business(request: HttpRequest) -> Role:
    role = role_of(request.user)
    if role not in BUSINESS:
        raise PermissionDenied("结果应用只对业务人员开放。")
    assert role is not None
    return role


def _year(request: HttpRequest, years: list[int]) -> int | None:
    chosen = small_int(request.GET.get("year"), 2000, 2100)
    return chosen if chosen is not None else (years[0] if years else None)


def _filtered(request: HttpRequest, year: int) -> tuple[list[Line], dict[str, str], str]:
    """The page's lines with the filters applied, the filters as given, and the department's title name."""
    qs = proposals.decidable(request.user, year)
    department = small_int(request.GET.get("department"))
    title = "全部主管部门"
    if department is not None:
        qs = qs.filter(declaration__project__department_id=department)
        org = Organization.objects.filter(pk=department).first()
        title = org.name if org is not None else title
    lines = proposals.lines_of(qs)
    # the grade the proposal found (by score, else by the grade written), not a stored column
    grade = request.GET.get("grade", "") if request.GET.get("grade", "") in GRADES else ""
    if grade:
        lines = [line for line in lines if line.proposal is not None and line.proposal.grade == grade]
    status = request.GET.get("status", "") if request.GET.get("status", "") in STATUS_LABELS else ""
    if status:
        lines = [line for line in lines if line.status == status]
    filters = {"year": str(year), "department": str(department or ""), "grade": grade, "status": status}
    return lines, {k: v for k, v in filters.items() if v}, title


@login_required
@require_GET
def page(request: HttpRequest) -> HttpResponse:
    """Each project's grade, score, proposal, blockers and decision for a year; filters; batch acceptance."""
    role = _business(request)
    years = proposals.years(request.user)
    year = _year(request, years)
    lines, filters, title = _filtered(request, year) if year is not None else ([], {}, "")
    departments = []
    if year is not None and role is Role.FINANCE_REVIEWER:  # the others see one department at most
        rows = proposals.decidable(request.user, year).values_list(
            "declaration__project__department_id", "declaration__project__department__name"
        )
        departments = sorted(set(rows), key=lambda d: d[1])
    table = downloads.summary_table(lines, title, year) if year is not None else None
    return render(
        request,
        "results/page.html",
        {
            "lines": lines,
            "year": year,
            "years": years,
            "filters": filters,
            "query": urlencode(filters),
            "departments": departments,
            "grades": GRADES,
            "statuses": STATUS_LABELS,
            "can_decide": role is Role.FINANCE_REVIEWER and year is not None and not proposals.is_closed(year),
            "closed": year is not None and proposals.is_closed(year),
            "is_finance": role is Role.FINANCE_REVIEWER,
            "table": table,
            "formats": [(f, r.label) for f, (r, _) in downloads.FORMATS.items()],
        },
    )


def amount_of(text: str | None) -> Decimal | None:
    """The amount typed on the decision form, exactly as typed (the checks name what is wrong); None if empty."""
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise DecisionError(f"调整后的金额：“{text[:30]}”不是金额，请填写数字（元），如 120000.00。") from None
    if not value.is_finite() or len(text) > 30 or value.adjusted() >= 16:
        raise DecisionError("调整后的金额：请填写不超过 16 位整数的金额（元）。")
    return value


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One project's proposal, its blockers, its decision and history; the finance bureau decides here."""
    role = _business(request)
    ev = get_for(request.user, SelfEvaluation.objects.filter(state__in=proposals.DECIDABLE), pk)
    form = {"action": "accept", "amount": "", "reason": ""}
    if request.method == "POST":
        if role is not Role.FINANCE_REVIEWER:
            raise PermissionDenied("只有财政部门可以作出或修改结果应用决定。")
        form = {k: request.POST.get(k, "") for k in form}
        version = small_int(request.POST.get("version"), 0)
        try:
            services.decide(Context.of(request), ev, form["action"], amount_of(form["amount"]), form["reason"], version)
        except DecisionError as exc:
            # the message alone: a decision is not in a file, its error has no place to name
            messages.error(request, f"决定未保存：{exc.message}")
        else:
            messages.success(request, f"已保存项目“{ev.project_name}”的结果应用决定。")
            return redirect("results:detail", pk=ev.pk)
    line = proposals.line_of(ev)
    history = []
    if line.decision is not None:
        history = list(line.decision.history.select_related("decided_by").order_by("-history_date", "-history_id"))
    return render(
        request,
        "results/detail.html",
        {
            "line": line,
            "ev": ev,
            "form": form,
            "history": history,
            "can_decide": role is Role.FINANCE_REVIEWER and not proposals.is_closed(ev.year),
            "version": line.decision.version if line.decision is not None else 0,
        },
    )


@login_required
@require_POST
def batch_accept(request: HttpRequest) -> HttpResponse:
    """Accept the proposals ticked on the page (those without blockers); report each one."""
    _business(request)
    picks = [small_int(v) for v in request.POST.getlist("pick")]
    back = reverse("results:page") + ("?" + request.POST.get("query", "") if request.POST.get("query") else "")
    if not picks or None in picks:
        messages.error(request, "请先勾选要同意建议的项目。")
        return redirect(back)
    for outcome in services.accept_batch(Context.of(request), [p for p in picks if p is not None]):
        (messages.success if outcome.accepted else messages.error)(request, outcome.message)
    return redirect(back)


@login_required
@require_POST
def close(request: HttpRequest) -> HttpResponse:
    """Close a year's results: its decisions can no longer be revised."""
    _business(request)
    year = small_int(request.POST.get("year"), 2000, 2100)
    if year is None:
        raise Http404("没有这个年度。")
    try:
        services.close_year(Context.of(request), year)
    except DecisionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{year} 年度的结果应用已关闭，决定不能再修改。")
    return redirect(reverse("results:page") + "?" + urlencode({"year": year}))


@login_required
@require_GET
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The 结果应用情况 table of the page's filters as XLSX, PDF, Word or CSV; the download is audited."""
    _business(request)
    if fmt not in downloads.FORMATS:
        raise Http404("没有这种文件格式。")
    years = proposals.years(request.user)
    year = _year(request, years)
    if year is None:
        raise Http404("没有可导出的年度。")
    lines, filters, title = _filtered(request, year)
    table = downloads.summary_table(lines, title, year)
    data, media_type, suffix = downloads.render(fmt, table)
    # the filters as one sentence of the audit log (a status or grade key alone would have no Chinese name)
    shown = {k: v for k, v in filters.items() if k != "year"}
    detail = {"year": year, "rows": len(table.rows), "filters": urlencode(shown)} if shown else {"year": year}
    record_export(Context.of(request), "结果应用情况", fmt, detail=detail | {"rows": len(table.rows)})
    response = HttpResponse(data, content_type=media_type)
    name = f"{title}{year}年度结果应用情况"
    response["Content-Disposition"] = attachment(f"results-{year}", name, suffix.lstrip("."))
    return response
