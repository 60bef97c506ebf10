"""The organization tree page of the system administrator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from jixiao.core.workflow import Role
from jixiao.web.access import role_of
from jixiao.web.audit.services import Context
from jixiao.web.orgs import services
from jixiao.web.orgs.models import Organization


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
