"""The organization tree page of the system administrator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from jixiao.core.scoring import available_packs, load_pack
from jixiao.core.workflow import Role
from jixiao.web.access import role_of
from jixiao.web.audit.services import Context
from jixiao.web.numbers import small_int
from jixiao.web.orgs import services
from jixiao.web.orgs.models import Organization, RulePackChoice


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    """The bureau, its departments and their units; a form to add one."""
    if role_of(request.user) is not Role.SYSTEM_ADMIN:
        raise PermissionDenied("组织机构仅系统管理员可以维护。")
    if request.method == "POST":
        parent_id = request.POST.get("parent") or None
        parent = Organization.objects.filter(pk=parent_id).first() if parent_id else None
        try:
            org = services.create_organization(
                Context.of(request), request.POST.get("name", ""), request.POST.get("kind", ""), parent
            )
        except (ValidationError, ValueError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, f"已添加「{org.name}」。")
        return redirect("orgs:tree")
    bureau = Organization.objects.filter(kind=Organization.Kind.BUREAU).first()
    departments = Organization.objects.filter(kind=Organization.Kind.DEPARTMENT).prefetch_related("children")
    return render(
        request,
        "orgs/tree.html",
        {"bureau": bureau, "departments": departments, "kinds": Organization.Kind.choices},
    )


@login_required
def packs(request: HttpRequest) -> HttpResponse:
    """The rule pack each department's records are scored by, year by year; the finance bureau sets them."""
    if role_of(request.user) is not Role.FINANCE_REVIEWER:
        raise PermissionDenied("评分规则包由财政部门设定。")
    departments = Organization.objects.filter(kind=Organization.Kind.DEPARTMENT).order_by("name")
    if request.method == "POST":
        chosen = small_int(request.POST.get("department"))
        department = departments.filter(pk=chosen).first() if chosen is not None else None
        from_year = small_int(request.POST.get("from_year"), 0, 9999)
        try:
            if department is None or from_year is None:
                raise ValidationError("请选择主管部门，并填写起始年度（四位数字，如 2025）。")
            choice = services.choose_pack(
                Context.of(request), department, from_year, request.POST.get("pack", ""), request.POST.get("reason", "")
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            title = load_pack(choice.pack).title
            messages.success(request, f"已设定：{department.name} {from_year}年度起按 {choice.pack}（{title}）计分。")
            return redirect("orgs:packs")
    settings = list(
        RulePackChoice.objects.select_related("department", "set_by__account").order_by("department__name", "from_year")
    )
    rows = []
    for n, choice in enumerate(settings):
        following = settings[n + 1] if n + 1 < len(settings) else None
        until = following.from_year - 1 if following and following.department_id == choice.department_id else None
        span = f"{choice.from_year}年度起" if until is None else f"{choice.from_year}–{until}年度"
        if until == choice.from_year:
            span = f"{choice.from_year}年度"
        rows.append({"choice": choice, "span": span, "pack": load_pack(choice.pack)})
    return render(
        request,
        "orgs/packs.html",
        {
            "departments": departments,
            "rows": rows,
            "packs": [load_pack(name) for name in available_packs()],
            "default": load_pack(),
        },
    )
