"""Deleting a mistaken draft, after its confirmation page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from jixiao.core.workflow import Action
from jixiao.web.access import get_for, permit
from jixiao.web.audit.services import Context
from jixiao.web.cycle import services
from jixiao.web.cycle.forms import (
    DeleteForm,
)
from jixiao.web.cycle.models import Declaration, SelfEvaluation

# -- deleting a draft -----------------------------------------------------------------------------


def _delete(request: HttpRequest, record: services.Record, decl: Declaration, back: str) -> HttpResponse:
    """Confirm (GET) and delete (POST) a draft; a record the person may see but not delete is a 403."""
    kind = "绩效目标申报表" if isinstance(record, Declaration) else "绩效自评表"
    if request.method != "POST":
        permit(request.user, record, Action.DELETE)  # the deletion itself asks the service
    name = decl.project.name
    if request.method == "POST":
        form = DeleteForm(request.POST)
        if not form.is_valid():
            messages.error(request, "删除未完成：请从删除确认页面操作。")
            return redirect(request.path)
        try:
            project_gone = services.delete_draft(Context.of(request), record, form.cleaned_data["version"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(request.path)
        done = f"已删除「{name}」{decl.year}年度{kind}草稿。"
        messages.success(request, done + (f"项目「{name}」没有其他年度的申报表，已一并删除。" if project_gone else ""))
        return redirect(back)
    rows = record.indicators.count()
    project_goes = isinstance(record, Declaration) and not decl.project.declarations.exclude(pk=decl.pk).exists()
    return render(
        request,
        "cycle/confirm_delete.html",
        {
            "record": record,
            "decl": decl,
            "kind": kind,
            "rows": rows,
            "project_goes": project_goes,
            "form": DeleteForm(initial={"version": record.version}),
            "cancel": reverse(
                "cycle:declaration_detail" if isinstance(record, Declaration) else "cycle:evaluation_detail",
                args=[record.pk],
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def declaration_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a mistaken draft declaration of one's own unit, after a confirmation."""
    decl = get_for(request.user, Declaration.objects.select_related("project__unit"), pk)
    return _delete(request, decl, decl, reverse("cycle:declaration_list"))


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft self-evaluation of one's own unit, after a confirmation; its declaration stays."""
    ev = get_for(request.user, SelfEvaluation.objects.select_related("declaration__project__unit"), pk)
    return _delete(request, ev, ev.declaration, reverse("cycle:declaration_detail", args=[ev.declaration_id]))
