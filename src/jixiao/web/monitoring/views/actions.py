"""Pages of the actions following monitoring alerts: raising one on a form, a round's list, an action and its steps."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from jixiao.web.access import Person, get_for
from jixiao.web.audit.services import Context, record_export
from jixiao.web.cycle.services import Change
from jixiao.web.monitoring import services
from jixiao.web.monitoring.action_access import may_cancel, may_conclude, may_do, may_raise
from jixiao.web.monitoring.action_forms import (
    ALERT,
    ROW,
    ActionAdjustForm,
    ActionFilterForm,
    CancelForm,
    ConcludeForm,
    RaiseActionForm,
    SubmitActionForm,
    follows_choices,
)
from jixiao.web.monitoring.action_models import EvidenceFile, MonitoringAction
from jixiao.web.monitoring.models import MonitoringRecord, MonitoringRound
from jixiao.web.orgs.models import Organization

logger = logging.getLogger(__name__)
SHOWN = 500  # actions listed on a round's page of actions


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _errors(request: HttpRequest, form: Any) -> None:
    """A refused form's errors as messages, each naming its field by its label."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else str(error))


def record_actions(user: Person, rec: MonitoringRecord) -> dict[str, Any]:
    """What a monitoring form's page shows of its actions, and the raise form for whoever may raise one."""
    follow_ups = MonitoringAction.objects.visible_to(user).filter(record=rec).select_related("row__indicator")
    form = None
    if may_raise(user, rec):
        form = RaiseActionForm(choices=follows_choices(rec, list(rec.findings.all())))
    return {"follow_ups": follow_ups, "raise_form": form, "today": timezone.localdate()}


@login_required
@require_POST
def action_raise(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark what must follow on a monitoring form (a reviewer), per alert or per indicator row."""
    rec = get_for(request.user, MonitoringRecord.objects.all(), pk)
    form = RaiseActionForm(request.POST, choices=follows_choices(rec, list(rec.findings.all())))
    back = reverse("monitoring:record_detail", args=[rec.pk]) + "#follow-ups"
    if not form.is_valid():
        _errors(request, form)
        return redirect(back)
    d = form.cleaned_data
    follows = d["follows"] or ""
    new = services.NewAction(
        kind=d["kind"],
        task=d["task"],
        due=d["due"],
        row_id=int(follows.removeprefix(ROW)) if follows.startswith(ROW) else None,
        alert=follows.removeprefix(ALERT) if follows.startswith(ALERT) else "",
        amount=d["amount"],
        reason=d["reason"] or "",
    )
    try:
        action = services.raise_action(Context.of(request), rec, new)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"整改事项未保存：{message}")
        return redirect(back)
    messages.success(request, f"已提出整改事项：{action.get_kind_display()}，完成期限 {_day(action.due)}。")
    return redirect("monitoring:action_detail", pk=action.pk)


def _filtered(request: HttpRequest, round_: MonitoringRound) -> tuple[Any, ActionFilterForm]:
    actions = (
        MonitoringAction.objects.visible_to(request.user)
        .filter(record__round=round_)
        .select_related("record__unit", "record__department", "row__indicator", "raised_in")
    )
    # the departments among the actions this person may see (one, for a department's reviewer)
    departments = Organization.objects.filter(pk__in=actions.values("record__department")).order_by("name")
    form = ActionFilterForm(request.GET or None, departments=[(d.pk, d.name) for d in departments])
    if form.is_valid():
        d = form.cleaned_data
        for key in ("kind", "state", "owner"):
            if d[key]:
                actions = actions.filter(**{key: d[key]})
        if d["department"]:
            actions = actions.filter(record__department=d["department"])
        if d["overdue"]:
            actions = actions.overdue(timezone.localdate())
        if d["q"]:
            q = d["q"].strip()
            actions = actions.filter(Q(record__project_name__icontains=q) | Q(record__unit__name__icontains=q))
    return actions.order_by("due", "pk"), form


@login_required
@require_GET
def round_actions(request: HttpRequest, pk: int) -> HttpResponse:
    """A round's actions, filtered by kind, state, owner, overdue, project or unit."""
    round_ = get_for(request.user, MonitoringRound.objects.all(), pk)
    actions, form = _filtered(request, round_)
    today = timezone.localdate()
    return render(
        request,
        "monitoring/action_list.html",
        {
            "round": round_,
            "form": form,
            "actions": actions[:SHOWN],
            "count": actions.count(),
            "shown": SHOWN,
            "today": today,
        },
    )


def _action(request: HttpRequest, pk: int) -> MonitoringAction:
    related = MonitoringAction.objects.select_related(
        "record__round", "record__unit", "record__department", "record__declaration", "row__indicator", "raised_in"
    )
    return get_for(request.user, related, pk)


@login_required
@require_GET
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An action: what it follows, what to do, its owner and due date, its steps with their files, what may be done."""
    action = _action(request, pk)
    can_do = may_do(request.user, action)
    adjust = can_do and action.kind == MonitoringAction.Kind.ADJUST
    files: dict[int, list[EvidenceFile]] = {}
    for f in action.files.all():
        files.setdefault(f.step_id, []).append(f)
    steps = [(s, files.get(s.pk, [])) for s in action.steps.select_related("by__account__organization")]
    return render(
        request,
        "monitoring/action_detail.html",
        {
            "action": action,
            "rec": action.record,
            "steps": steps,
            "adjustments": action.adjustments.select_related("indicator"),
            "today": timezone.localdate(),
            "overdue": action.overdue_on(timezone.localdate()),
            "submit_form": SubmitActionForm() if can_do else None,
            "adjust_form": ActionAdjustForm(initial={"indicator": action.row.indicator_id if action.row else None})
            if adjust
            else None,
            "indicators": action.record.declaration.indicators.all() if adjust else [],
            "conclude_form": ConcludeForm() if may_conclude(request.user, action) else None,
            "cancel_form": CancelForm() if may_cancel(request.user, action) else None,
        },
    )


@login_required
@require_POST
def action_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner submits what was done, with evidence files."""
    action = get_for(request.user, MonitoringAction.objects.all(), pk)
    refused = getattr(request, "upload_refused", None)  # the upload handler stopped a file past its limit
    if refused:
        messages.error(request, refused)
        return redirect("monitoring:action_detail", pk=action.pk)
    form = SubmitActionForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect("monitoring:action_detail", pk=action.pk)
    files = request.FILES.getlist("files")
    try:
        services.submit_action(
            Context.of(request), action, form.cleaned_data["evidence"], files, form.cleaned_data["decision"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"未提交：{message}")
    else:
        messages.success(request, "已提交办理情况，待提出单位确认。")
    return redirect("monitoring:action_detail", pk=action.pk)


@login_required
@require_POST
def action_conclude(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """The raising side closes the action, or reopens it with a comment."""
    if verb not in ("close", "reopen"):
        raise Http404("没有这种操作。")
    action = get_for(request.user, MonitoringAction.objects.all(), pk)
    form = ConcludeForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.conclude_action(Context.of(request), action, verb == "close", comment)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "已关闭该整改事项。" if verb == "close" else "已重新打开，责任方将看到您的意见。")
    return redirect("monitoring:action_detail", pk=action.pk)


@login_required
@require_POST
def action_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """The raising side cancels the action (撤销), with its reason."""
    action = get_for(request.user, MonitoringAction.objects.all(), pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect("monitoring:action_detail", pk=action.pk)
    try:
        services.cancel_action(Context.of(request), action, form.cleaned_data["reason"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"未撤销：{message}")
    else:
        messages.success(request, "已撤销该整改事项，责任方将看到撤销理由。")
    return redirect("monitoring:action_detail", pk=action.pk)


@login_required
@require_POST
def action_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    """The finance bureau adjusts an approved target or weight through a 调整绩效目标 action."""
    action = get_for(request.user, MonitoringAction.objects.select_related("record__declaration"), pk)
    form = ActionAdjustForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect("monitoring:action_detail", pk=action.pk)
    d = form.cleaned_data
    try:
        made = services.adjust_targets(Context.of(request), action, [Change(d["indicator"], d["field"], d["value"])])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"调整未保存：{message}")
    else:
        names = "、".join(f"「{a.indicator.name}」" for a in made if a.indicator is not None)
        messages.success(request, f"已调整{names}，调整记录在绩效目标申报表上。")
    return redirect("monitoring:action_detail", pk=action.pk)


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An evidence file, for whoever may see its action (the download is audited)."""
    try:
        kept = EvidenceFile.objects.select_related("action__record__unit").get(pk=pk)
    except (EvidenceFile.DoesNotExist, ValueError):
        raise Http404("没有找到该文件，或您无权查看。") from None
    action = get_for(request.user, MonitoringAction.objects.all(), kept.action_id)
    try:
        handle = kept.stored.open("rb")
    except FileNotFoundError:
        logger.error("evidence file %s (%s) of action %s is missing", kept.stored.name, kept.original_name, action.pk)
        raise Http404("该佐证材料的文件已不在存储中，请联系系统管理员从备份恢复。") from None
    record_export(
        Context.of(request),
        "整改佐证材料",
        kept.original_name.rpartition(".")[2].lower(),
        obj=action,
        organization=kept.action.record.unit,
        detail={"file": kept.original_name, "sha256": kept.sha256},
    )
    return FileResponse(handle, as_attachment=True, filename=kept.original_name)
