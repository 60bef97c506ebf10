"""Pages: the notices inbox, the deadlines page, and batch approval from a reviewer's list."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from jixiao.core.workflow import Role
from jixiao.web.access import account_of, role_of
from jixiao.web.audit.services import Context
from jixiao.web.notices.deadlines import deadlines_visible_to
from jixiao.web.notices.models import Deadline, Notice, Stage
from jixiao.web.notices.services import batch, deadlines, notices
from jixiao.web.numbers import small_int
from jixiao.web.orgs.models import Organization

PAGE = 50


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The person's notices, newest first; the unread ones marked."""
    mine = Notice.objects.filter(recipient_id=request.user.pk)
    if request.GET.get("unread") == "1":
        mine = mine.filter(read_at__isnull=True)
    page = Paginator(mine.order_by("-created", "-id"), PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/inbox.html",
        {
            "page": page,
            "unread_only": request.GET.get("unread") == "1",
            "filters": {"unread": "1"} if request.GET.get("unread") == "1" else {},
        },
    )


@login_required
@require_POST
def read(request: HttpRequest) -> HttpResponse:
    """Mark one notice (``notice``) or all of the person's notices (``all``) read."""
    ctx = Context.of(request)
    if request.POST.get("all") == "1":
        changed = notices.mark_read(ctx)
        messages.success(request, f"已将 {changed} 条通知标为已读。")
    else:
        pk = small_int(request.POST.get("notice"))
        if pk is None:
            raise Http404("没有这条通知。")
        notices.mark_read(ctx, [pk])
    return redirect("notices:inbox")


# -- deadlines ---------------------------------------------------------------------------------------------------


def _visible_deadlines(request: HttpRequest) -> list[Deadline]:
    """The dates that bind what this person sees (the API lists the same: ``deadlines_visible_to``)."""
    return list(deadlines_visible_to(request.user))


def _posted_deadline(request: HttpRequest) -> Deadline:
    """Set the date the form posted; the refusal says which field to fix."""
    year = small_int(request.POST.get("year"), 0, 9999)
    if year is None:
        raise ValidationError("请填写年度（四位数字，如 2026）。")
    try:
        stage = Stage(request.POST.get("stage", ""))
    except ValueError:
        raise ValidationError("请选择阶段（申报、监控或自评）。") from None
    try:
        due = datetime.date.fromisoformat(request.POST.get("due", "").strip())
    except ValueError:
        raise ValidationError("请填写截止日期（如 2026-03-31）。") from None
    scope = request.POST.get("scope", "")
    department = unit = None
    if scope.startswith(("department:", "unit:")):
        kind, _, pk = scope.partition(":")
        org = Organization.objects.filter(pk=small_int(pk) or 0).first()
        if org is None:
            raise ValidationError("请选择适用范围。")
        department, unit = (org, None) if kind == "department" else (None, org)
    return deadlines.set_deadline(
        Context.of(request), year, stage, due, department=department, unit=unit, note=request.POST.get("note", "")
    )


@login_required
def deadline_page(request: HttpRequest) -> HttpResponse:
    """The due dates of each year's stages; the finance bureau and the departments set them here."""
    role = role_of(request.user)
    if role not in (Role.UNIT_STAFF, Role.DEPT_REVIEWER, Role.FINANCE_REVIEWER):
        raise PermissionDenied("截止日期只对业务人员开放。")
    can_set = role in (Role.DEPT_REVIEWER, Role.FINANCE_REVIEWER)
    if request.method == "POST":
        if not can_set:
            raise PermissionDenied("截止日期由财政部门设定，主管部门可为所属单位设定更早的日期。")
        try:
            row = _posted_deadline(request)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, f"截止日期未保存：{message}")
        else:
            messages.success(
                request,
                f"已设定：{row.year}年度{row.get_stage_display()}截止日期 {row.due:%Y-%m-%d}（{row.scope_name}）。",
            )
            return redirect("notices:deadlines")
    account = account_of(request.user)
    if role is Role.FINANCE_REVIEWER:
        scopes = [("", "全部主管部门")] + [
            (f"department:{d.pk}", d.name)
            for d in Organization.objects.filter(kind=Organization.Kind.DEPARTMENT).order_by("name")
        ]
    elif role is Role.DEPT_REVIEWER and account is not None and account.organization is not None:
        own = account.organization
        scopes = [(f"department:{own.pk}", f"{own.name}（全部所属单位）")] + [
            (f"unit:{u.pk}", u.name)
            for u in Organization.objects.filter(kind=Organization.Kind.UNIT, department=own).order_by("name")
        ]
    else:
        scopes = []
    return render(
        request,
        "notices/deadlines.html",
        {"rows": _visible_deadlines(request), "can_set": can_set, "scopes": scopes, "stages": Stage.choices},
    )


@login_required
@require_POST
def deadline_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a due date set at the person's own level."""
    row = next((d for d in _visible_deadlines(request) if d.pk == pk), None)
    if row is None:
        raise Http404("没有找到该截止日期。")
    deadlines.remove_deadline(Context.of(request), row)
    messages.success(request, f"已删除 {row.year}年度{row.get_stage_display()}截止日期（{row.scope_name}）。")
    return redirect("notices:deadlines")


# -- batch approval ---------------------------------------------------------------------------------------------


@login_required
@require_POST
def batch_approve(request: HttpRequest, kind: str) -> HttpResponse:
    """Approve the records ticked on a list page, each at the version the page showed; report each one."""
    from jixiao.web.cycle.models import Declaration, SelfEvaluation
    from jixiao.web.monitoring import services as monitoring
    from jixiao.web.monitoring.models import MonitoringRecord

    models: dict[str, tuple[Any, str, str, Any]] = {
        "declaration": (Declaration, reverse("cycle:declaration_list"), "cycle:declaration_detail", None),
        "evaluation": (SelfEvaluation, reverse("cycle:evaluation_list"), "cycle:evaluation_detail", None),
        "monitoring": (MonitoringRecord, reverse("monitoring:round_list"), "monitoring:record_detail", monitoring.act),
    }
    if kind not in models:
        raise Http404("没有这种记录。")
    model, back, detail, act = models[kind]
    round_pk = small_int(request.POST.get("round", ""))
    if kind == "monitoring" and round_pk is not None:
        back = reverse("monitoring:round_detail", args=[round_pk])  # the round's page the forms were ticked on
    ctx = Context.of(request)
    action = batch.batch_action(ctx)
    picks = []
    for value in request.POST.getlist("pick"):
        pk, _, version = value.partition(":")
        pk_, version_ = small_int(pk), small_int(version)
        if pk_ is None or version_ is None:
            raise Http404("没有这条记录。")
        picks.append((pk_, version_))
    if not picks:
        messages.error(request, "请先勾选要审核通过的记录。")
        return redirect(back)
    try:
        outcomes = batch.approve_batch(ctx, model, picks, act)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(back)
    approved = [o for o in outcomes if o.approved]
    refused = [o for o in outcomes if not o.approved]
    return render(
        request,
        "notices/batch_report.html",
        {
            "action": action,
            "approved": approved,
            "refused": refused,
            "total": len(outcomes),
            "detail": detail,
            "back": back,
        },
    )
