"""Pages of 整改事项: the list with its filters, opening one on a project, an item with its answer and
evidence, the reviewer's accept / reopen / cancel, and an evidence file."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.web.access import get_for
from jixiao.web.audit.services import Context, record_export
from jixiao.web.cycle.models import Declaration, Project, SelfEvaluation, StoredFinding
from jixiao.web.monitoring.models import MonitoringAction
from jixiao.web.orgs.models import Organization
from jixiao.web.rectification import services
from jixiao.web.rectification.access import may_answer, may_cancel, may_conclude, may_open
from jixiao.web.rectification.forms import (
    ACTION,
    FINDING,
    PROPOSAL,
    AnswerForm,
    ConcludeForm,
    FilterForm,
    OpenItemForm,
    errors_named,
)
from jixiao.web.rectification.models import Rectification, RectificationFile

logger = logging.getLogger(__name__)
SHOWN = 500  # items listed on one page


def _filtered(request: HttpRequest) -> tuple[Any, FilterForm]:
    items = Rectification.objects.visible_to(request.user).select_related("project", "unit", "department")
    # the departments among the items this person may see (one, for a department's reviewer)
    departments = Organization.objects.filter(pk__in=items.values("department")).order_by("name")
    form = FilterForm(request.GET or None, departments=[(d.pk, d.name) for d in departments])
    if form.is_valid():
        d = form.cleaned_data
        if d["state"]:
            items = items.filter(state=d["state"])
        if d["department"]:
            items = items.filter(department=d["department"])
        if d["year"]:
            items = items.filter(year=d["year"])
        if d["overdue"]:
            items = items.overdue(timezone.localdate())
        if d["q"]:
            q = d["q"].strip()
            items = items.filter(Q(project__name__icontains=q) | Q(unit__name__icontains=q))
    return items.order_by("due", "pk"), form


@login_required
@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    """The items the person may see, filtered by state, department, year, overdue, project or unit."""
    items, form = _filtered(request)
    context = {"form": form, "items": items[:SHOWN], "count": items.count(), "shown": SHOWN}
    return render(request, "rectification/list.html", context | {"today": timezone.localdate()})


def _choices(project: Project, year: int) -> tuple[list[tuple[str, str]], SelfEvaluation | None]:
    """What an item on ``project`` for ``year`` may follow: by hand, a finding, a proposal, a monitoring action."""
    choices = [("", "审核人员直接提出（不针对具体问题）")]
    decl = Declaration.objects.filter(project=project, year=year).first()
    ev = SelfEvaluation.objects.filter(declaration=decl).first() if decl is not None else None
    if ev is not None:
        choices += [(f"{PROPOSAL}{i}", f"建议 · {p.reason}"[:200]) for i, p in enumerate(services.proposed(ev))]
    findings = StoredFinding.objects.filter(Q(declaration=decl) | Q(evaluation=ev)) if decl is not None else []
    for f in findings:
        if f.severity in ("warning", "error"):
            where = "自评表" if f.evaluation_id else "申报表"
            named = f"「{f.indicator}」" if f.indicator else ""
            choices.append((f"{FINDING}{f.pk}", f"审核发现 · {where}{named}：{f.message}"[:200]))
    actions = MonitoringAction.objects.filter(record__declaration__project=project, record__year=year)
    choices += [(f"{ACTION}{a.pk}", f"监控整改 · {a.get_kind_display()}：{a.task}"[:200]) for a in actions]
    return choices, ev


def _task_for(follows: str, choices: list[tuple[str, str]]) -> str:
    """The task a chosen source suggests (its words after the kind), for the reviewer to edit."""
    label = dict(choices).get(follows, "")
    return label.partition(" · ")[2] if follows else ""


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request: HttpRequest) -> HttpResponse:
    """Open an item on a project and year (a reviewer): from a finding, a proposal, a monitoring action, by hand."""
    source = request.POST if request.method == "POST" else request.GET
    project = get_for(request.user, Project.objects.all(), source.get("project"))
    if not may_open(request.user, project):
        raise PermissionDenied("只有该项目主管部门的审核人员或财政审核人员可以提出整改事项。")
    try:
        year = int(source.get("year", ""))
    except ValueError:
        raise Http404("请从项目的申报表或自评表进入。") from None
    choices, ev = _choices(project, year)
    if request.method == "GET":
        follows = request.GET.get("follows", "")
        initial = {
            "project": project.pk,
            "year": year,
            "follows": follows,
            "task": _task_for(follows, choices),
            "due": services.default_due(ev, timezone.localdate()),
        }
        form = OpenItemForm(initial=initial, choices=choices)
        return render(request, "rectification/new.html", {"form": form, "project": project, "year": year})
    form = OpenItemForm(request.POST, choices=choices)
    problems: list[str] = []
    if form.is_valid():
        d = form.cleaned_data
        follows = d["follows"] or ""
        number = follows.partition(":")[2]
        new = services.NewItem(
            project_id=project.pk,
            year=d["year"],
            task=d["task"],
            due=d["due"],
            finding_id=int(number) if follows.startswith(FINDING) else None,
            proposal=int(number) if follows.startswith(PROPOSAL) else None,
            action_id=int(number) if follows.startswith(ACTION) else None,
        )
        try:
            item = services.open_item(Context.of(request), new)
        except ValidationError as exc:
            problems = list(exc.messages)
        else:
            messages.success(request, f"已提出整改事项，整改期限 {item.due:%Y年%m月%d日}，已通知责任单位。")
            return redirect("rectification:detail", pk=item.pk)
    else:
        problems = errors_named(form)
    for message in problems:
        messages.error(request, f"整改事项未保存：{message}")
    return render(request, "rectification/new.html", {"form": form, "project": project, "year": year}, status=400)


def _item(request: HttpRequest, pk: int) -> Rectification:
    related = Rectification.objects.select_related("project", "unit", "department", "raised_in", "declaration")
    return get_for(request.user, related.select_related("evaluation", "monitoring_action"), pk)


@login_required
@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An item: what it follows, what to fix, by when, its steps with their files, and what the person may do."""
    item = _item(request, pk)
    files: dict[int, list[RectificationFile]] = {}
    for f in item.files.all():
        files.setdefault(f.step_id, []).append(f)
    steps = [(s, files.get(s.pk, [])) for s in item.steps.select_related("by__account")]
    today = timezone.localdate()
    user = request.user
    return render(
        request,
        "rectification/detail.html",
        {
            "item": item,
            "steps": steps,
            "today": today,
            "overdue": item.overdue_on(today),
            "answer_form": AnswerForm() if may_answer(user, item) else None,
            "conclude_form": ConcludeForm() if may_conclude(user, item) else None,
            "cancel_form": ConcludeForm(prefix="cancel") if may_cancel(user, item) else None,
        },
    )


@login_required
@require_POST
def item_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit answers what it fixed, with evidence files."""
    item = get_for(request.user, Rectification.objects.all(), pk)
    refused = getattr(request, "upload_refused", None)  # the upload handler stopped a file past its limit
    if refused:
        messages.error(request, f"未提交：{refused}")
        return redirect("rectification:detail", pk=item.pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        for message in errors_named(form):
            messages.error(request, f"未提交：{message}")
        return redirect("rectification:detail", pk=item.pk)
    try:
        services.submit_item(Context.of(request), item, form.cleaned_data["answer"], request.FILES.getlist("files"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"未提交：{message}")
    else:
        messages.success(request, "已提交整改情况，待审核人员验收。")
    return redirect("rectification:detail", pk=item.pk)


@login_required
@require_POST
def item_conclude(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """The reviewer accepts, reopens (with a reason) or cancels (with a reason) the item."""
    if verb not in ("accept", "reopen", "cancel"):
        raise Http404("没有这种操作。")
    item = get_for(request.user, Rectification.objects.all(), pk)
    form = ConcludeForm(request.POST, prefix="cancel" if verb == "cancel" else None)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    ctx = Context.of(request)
    try:
        if verb == "accept":
            services.accept_item(ctx, item, comment)
        elif verb == "reopen":
            services.reopen_item(ctx, item, comment)
        else:
            services.cancel_item(ctx, item, comment)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        done = {"accept": "已验收通过，该整改事项办结。", "reopen": "已退回重改，责任单位将看到您的理由。"}
        messages.success(request, done.get(verb, "已撤销该整改事项。"))
    return redirect("rectification:detail", pk=item.pk)


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An evidence file, for whoever may see its item (the download is audited)."""
    try:
        kept = RectificationFile.objects.select_related("item__unit").get(pk=pk)
    except (RectificationFile.DoesNotExist, ValueError):
        raise Http404("没有找到该文件，或您无权查看。") from None
    item = get_for(request.user, Rectification.objects.all(), kept.item_id)
    try:
        handle = kept.stored.open("rb")
    except FileNotFoundError:
        logger.error("rectification file %s (%s) of item %s is missing", kept.stored.name, kept.original_name, item.pk)
        raise Http404("该佐证材料的文件已不在存储中，请联系系统管理员从备份恢复。") from None
    record_export(
        Context.of(request),
        "整改佐证材料",
        kept.original_name.rpartition(".")[2].lower(),
        obj=item,
        organization=kept.item.unit,
        detail={"file": kept.original_name, "sha256": kept.sha256},
    )
    return FileResponse(handle, as_attachment=True, filename=kept.original_name)
