"""Pages of the library: browse and search, an entry with its statistics and uses, curation, refresh, suggestions.

Every list goes through ``visible_to``: entries (aggregates) are read by every business role; the
projects an entry's page lists are only the declarations the viewer may see. Every write goes
through :mod:`jixiao.web.library.services` (the finance bureau's, audited).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.core.workflow import BUSINESS_ROLES
from jixiao.web.access import Person, role_of
from jixiao.web.audit.services import Context
from jixiao.web.cycle.models import Declaration
from jixiao.web.library import queries, services
from jixiao.web.library.forms import EntryForm, MergeForm, ReasonForm, level1_choices
from jixiao.web.library.models import LibraryEntry, LibraryRefresh, LibraryUse

PAGE = 50
SECTORS = (
    "教育",
    "卫生健康",
    "医疗保障",
    "农业农村",
    "水利",
    "交通",
    "民政",
    "人力资源社会保障",
    "生态环境",
    "文化旅游",
)


def _entry(user: Person, code: str) -> LibraryEntry:
    """The entry with ``code`` if ``user`` may read the library, else 404."""
    entry = LibraryEntry.objects.visible_to(user).select_related("owner", "merged_into").filter(code=code).first()
    if entry is None:
        raise Http404("没有找到该指标，或您无权查看。")
    return entry


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    """Browse by class and sector, search by words; retired entries only when asked for."""
    if role_of(request.user) not in BUSINESS_ROLES:
        raise PermissionDenied("指标库只对单位、主管部门和财政部门开放。")
    q = request.GET.get("q", "")[: queries.MAX_LENGTH]
    level1 = request.GET.get("level1", "")[:60]
    sector = request.GET.get("sector", "")[:20]
    retired = request.GET.get("retired") == "1"
    entries = queries.search(request.user, q, level1=level1, sector=sector)
    if not retired:
        entries = entries.filter(retired=False)
    if request.GET.get("common") == "1":
        entries = entries.filter(common=True)
    page = Paginator(entries, PAGE).get_page(request.GET.get("page"))
    runs = LibraryRefresh.objects.select_related("by")[:1]
    return render(
        request,
        "library/list.html",
        {
            "page": page,
            "q": q,
            "level1": level1,
            "sector": sector,
            "retired": retired,
            "classes": level1_choices()[1:],
            "sectors": SECTORS,
            "last_run": runs[0] if runs else None,
            "may_curate": services.may_curate(request.user),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def entry_detail(request: HttpRequest, code: str) -> HttpResponse:
    """An entry: its statistics, its names, the projects the viewer may see that used it, its history."""
    entry = _entry(request.user, code)
    visible = Declaration.objects.visible_to(request.user)
    uses = (
        LibraryUse.objects.filter(entry=entry, declaration__in=visible)
        .select_related("declaration__project__unit")
        .order_by("-declaration__year", "declaration__project__name", "pk")
    )
    page = Paginator(uses, PAGE).get_page(request.GET.get("page"))
    may_curate = services.may_curate(request.user)
    return render(
        request,
        "library/detail.html",
        {
            "entry": entry,
            "page": page,
            "visible_uses": uses.count(),
            "merged": entry.merged.all(),
            "changes": entry.changes.select_related("by__account")[:50],
            "may_curate": may_curate,
            "form": EntryForm(instance=entry) if may_curate else None,
            "merge_form": MergeForm() if may_curate else None,
            "variants": sorted(entry.variants.items(), key=lambda kv: -kv[1])[:30],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Rename or edit an entry's curated fields (finance bureau)."""
    entry = _entry(request.user, code)
    if not services.may_curate(request.user):
        raise PermissionDenied("只有财政部门可以维护指标库。")
    form = EntryForm(request.POST or None, instance=LibraryEntry.objects.get(pk=entry.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.edit(Context.of(request), entry, form.values(), form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存指标 {entry.code} 的修改。")
            return redirect("library:entry", entry.code)
    return render(request, "library/edit.html", {"entry": entry, "form": form})


_STEPS = {
    "retire": services.retire,
    "restore": services.restore,
    "promote": services.promote,
    "demote": services.demote,
}
_DONE = {"retire": "已停用", "restore": "已恢复使用", "promote": "已设为共性指标", "demote": "已改为个性指标"}


@login_required
@require_POST
def entry_step(request: HttpRequest, code: str, step: str) -> HttpResponse:
    """Retire, restore, promote or demote an entry (finance bureau), with a reason."""
    entry = _entry(request.user, code)
    action = _STEPS.get(step)
    if action is None:
        raise Http404("没有这个操作。")
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        action(Context.of(request), entry, reason)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"指标 {entry.code} {_DONE[step]}。")
    return redirect("library:entry", entry.code)


@login_required
@require_POST
def entry_merge(request: HttpRequest, code: str) -> HttpResponse:
    """Merge an entry into another (finance bureau); the page of the surviving entry follows."""
    entry = _entry(request.user, code)
    if not services.may_curate(request.user):
        raise PermissionDenied("只有财政部门可以维护指标库。")
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "；".join(f"{form.fields[k].label}：{' '.join(map(str, v))}" for k, v in form.errors.items())
        )
        return redirect("library:entry", entry.code)
    try:
        into = services.merge(Context.of(request), entry, form.cleaned_data["into"], form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("library:entry", entry.code)
    messages.success(request, f"指标 {entry.code} 已并入 {into.code}；统计数字在下次更新指标库时合并计算。")
    return redirect("library:entry", into.code)


@login_required
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    """Start a refresh of the library from every record (finance bureau); runs in the background where a worker is."""
    try:
        run = services.start_refresh(Context.of(request))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        if run.status == LibraryRefresh.Status.DONE:
            messages.success(request, f"指标库已更新：{run.message}")
        else:
            messages.info(request, "指标库正在后台更新，完成后本页显示结果。")
    return redirect("library:list")


@login_required
@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    """JSON for the declaration editor: entries for a typed name or a chosen class, with their usual ranges."""
    name = request.GET.get("name", "")[: queries.MAX_LENGTH]
    level1 = request.GET.get("level1", "")[:60]
    level2 = request.GET.get("level2", "")[:60]
    found: list[dict[str, Any]] = queries.suggestions(request.user, name, level1, level2)
    return JsonResponse({"entries": found}, json_dumps_params={"ensure_ascii": False})
