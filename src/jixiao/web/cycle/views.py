"""Pages of the yearly cycle: lists, forms, review actions. Read through access helpers, write through services."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from jixiao.core.model import Document, Execution, FundRow, Indicator, Kind, Project
from jixiao.core.review import Finding, review_document
from jixiao.core.scoring import score_project
from jixiao.core.targets import parse_target
from jixiao.core.workflow import Action, Role, State, allowed
from jixiao.exporters.report import build_report
from jixiao.web.access import account_of, get_for, role_of
from jixiao.web.audit.services import Context, record_export
from jixiao.web.cycle import services
from jixiao.web.cycle.across import stored_across
from jixiao.web.cycle.documents import declaration_document, evaluation_document, evaluation_project
from jixiao.web.cycle.forms import (
    AdjustForm,
    CommentForm,
    DeclarationForm,
    EvaluationForm,
    EvaluationRowForm,
    EvaluationRowFormSet,
    IndicatorFormSet,
    NewDeclarationForm,
)
from jixiao.web.cycle.html import (
    declaration_list_html,
    declaration_notes,
    evaluation_list_html,
    evaluation_notes,
    evaluation_rows_html,
)
from jixiao.web.cycle.models import Adjustment, Declaration, SelfEvaluation, StateChange
from jixiao.web.cycle.sheets import official_table
from jixiao.web.orgs.models import Organization

PAGE_SIZE = 50


def _findings_by_row(findings: list[Finding]) -> tuple[dict[int, list[Finding]], list[Finding]]:
    rows: dict[int, list[Finding]] = defaultdict(list)
    general: list[Finding] = []
    for f in findings:
        if f.indicator_index is None:
            general.append(f)
        else:
            rows[f.indicator_index].append(f)
    return rows, general


# what the review history (cycle/_history.html) shows of any entry, and of a state change
WHEN_AND_WHO = ("at", "by__username", "by__account__display_name")
HISTORY_FIELDS = (*WHEN_AND_WHO, "action", "old_state", "new_state", "comment")


def _history(changes: Any) -> Any:
    """State changes with only what the history shows (read through the model's manager, not the record's
    related one, which would read each change's deferred record id again to link it back)."""
    return changes.select_related("by__account").only(*HISTORY_FIELDS)


def _actions(user: object, state: str) -> list[Action]:
    role = role_of(user)
    if role is None:
        return []
    return [a for a in allowed(role, State(state)) if a not in (Action.EDIT, Action.ADJUST)]


# -- home and lists -------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What this person has to do now, by role."""
    account = account_of(request.user)
    if account is not None and account.role_enum is Role.AUDIT_ADMIN:
        return redirect("audit:list")
    if account is not None and account.role_enum in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        return redirect("accounts:users")
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
        "to_evaluate": declarations.filter(state__in=[State.APPROVED.value, State.PUBLISHED.value], evaluation=None)[
            :20
        ]
        if role is Role.UNIT_STAFF
        else [],
        "counts": {
            "declarations": declarations.count(),
            "evaluations": evaluations.count(),
        },
    }
    return render(request, "cycle/home.html", context)


def _filtered(request: HttpRequest, queryset: Any) -> tuple[Any, dict[str, str]]:
    filters = {k: request.GET.get(k, "").strip() for k in ("year", "state", "q")}
    if filters["year"].isdigit():
        queryset = queryset.filter(year=int(filters["year"]))
    if filters["state"] in {s.value for s in State}:
        queryset = queryset.filter(state=filters["state"])
    if filters["q"]:
        queryset = queryset.filter(project_name__icontains=filters["q"])
    return queryset, filters


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
    qs, filters = _filtered(request, Declaration.objects.visible_to(request.user))
    columns = {
        "name": F("project_name"),
        "department": F("project__department__name"),
        "unit": F("project__unit__name"),
        "the_year": F("year"),
        "requested": F("requested_total"),
        "money": F("money_unit"),
    }
    page = _page(request, qs, columns)
    return render(
        request,
        "cycle/declaration_list.html",
        {
            "page": page,
            "rows_html": declaration_list_html(page.object_list, url_prefix("cycle:declaration_detail")),
            "filters": filters,
            "states": list(State),
            "can_create": role_of(request.user) is Role.UNIT_STAFF,
        },
    )


@login_required
@require_GET
def evaluation_list(request: HttpRequest) -> HttpResponse:
    """The self-evaluations this person may see, filtered and paginated."""
    qs, filters = _filtered(request, SelfEvaluation.objects.visible_to(request.user))
    columns = {
        "name": F("project_name"),
        "department": F("declaration__project__department__name"),
        "unit": F("declaration__project__unit__name"),
        "the_year": F("year"),
        "score": F("total_score"),
        "the_grade": F("grade"),
    }
    page = _page(request, qs, columns)
    return render(
        request,
        "cycle/evaluation_list.html",
        {
            "page": page,
            "rows_html": evaluation_list_html(page.object_list, url_prefix("cycle:evaluation_detail")),
            "filters": filters,
            "states": list(State),
        },
    )


# -- declarations ---------------------------------------------------------------------------------


def _indicator_initial(decl: Declaration) -> list[dict[str, Any]]:
    return [
        {"level1": i.level1, "level2": i.level2, "name": i.name, "target": i.target, "weight": i.weight}
        for i in decl.indicators.all()
    ]


def _kept_rows(formset: Any) -> list[services.IndicatorInput]:
    return [f.as_input() for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


@login_required
def declaration_new(request: HttpRequest) -> HttpResponse:
    """Start a declaration: the project name and year, then the full form."""
    account = account_of(request.user)
    if account is None or account.role_enum is not Role.UNIT_STAFF:
        raise PermissionDenied("只有单位填报人员可以新建绩效目标申报表。")
    form = NewDeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit = Organization.objects.get(pk=account.organization_id)
        try:
            decl = services.create_declaration(
                Context.of(request),
                unit,
                form.cleaned_data["name"].strip(),
                form.cleaned_data["year"],
                {},
                [],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已新建绩效目标申报表，请填写各栏和绩效指标。")
            return redirect("cycle:declaration_edit", pk=decl.pk)
    return render(request, "cycle/declaration_new.html", {"form": form})


@login_required
@require_GET
def declaration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A declaration as a reviewer reads it: the form, the findings beside each row, the history."""
    # the self-evaluation only by its id (the page links to it): not its fifty columns
    decl = get_for(
        request.user,
        Declaration.objects.select_related("project__unit", "project__department").annotate(
            evaluation_pk=F("evaluation__pk")
        ),
        pk,
    )
    indicators = list(decl.indicators.all())
    document = declaration_document(decl, indicators)
    # this form's own review, and what the last save found against the unit's other records (stored)
    findings = review_document(document) + stored_across(decl)
    by_row, general = _findings_by_row(findings)
    # the official layout, as it prints and as the portal will show it, with the review beside it
    form = build_report(document).forms[0]
    return render(
        request,
        "cycle/declaration_detail.html",
        {
            "decl": decl,
            "indicators": indicators,  # the indicators an adjustment may name
            "form": form,
            "sheet": official_table(form, declaration_notes(indicators, by_row)),
            "general": general,
            "actions": _actions(request.user, decl.state),
            "can_edit": services.role_may(request.user, decl, Action.EDIT),
            "can_adjust": services.role_may(request.user, decl, Action.ADJUST),
            "can_evaluate": role_of(request.user) is Role.UNIT_STAFF
            and decl.state in (State.APPROVED.value, State.PUBLISHED.value),
            "comment_form": CommentForm(),
            "adjust_form": AdjustForm(),
            "changes": _history(StateChange.objects.filter(declaration=decl)),
            "adjustments": Adjustment.objects.filter(declaration=decl)
            .select_related("by__account", "indicator")
            .only(*WHEN_AND_WHO, "old_value", "new_value", "reason", "indicator__name"),
            "evaluation_pk": decl.evaluation_pk,
        },
    )


@login_required
def declaration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft or returned declaration: identity, money, goals and the indicator tree."""
    decl = get_for(request.user, Declaration.objects.select_related("project__unit"), pk)
    if not services.role_may(request.user, decl, Action.EDIT):
        raise PermissionDenied(f"处于「{decl.state_enum.label}」状态的申报表不能由您修改。")
    if request.method == "POST":
        form = DeclarationForm(request.POST, instance=Declaration.objects.get(pk=decl.pk))
        formset = IndicatorFormSet(request.POST, prefix="ind")
        if form.is_valid() and formset.is_valid():
            data = {k: form.cleaned_data[k] for k in services.DECLARATION_FIELDS}
            try:
                decl = services.update_declaration(
                    Context.of(request), decl, form.cleaned_data["version"], data, _kept_rows(formset)
                )
            except services.ConflictError as conflict:
                return _conflict(request, conflict, reverse("cycle:declaration_edit", args=[decl.pk]))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "已保存。")
                if "submit" in request.POST:
                    return _act(request, decl, Action.SUBMIT, "", "cycle:declaration_detail")
                return redirect("cycle:declaration_edit", pk=decl.pk)
    else:
        form = DeclarationForm(instance=decl, initial={"version": decl.version})
        formset = IndicatorFormSet(initial=_indicator_initial(decl) or [{}], prefix="ind")
    findings = review_document(declaration_document(decl))
    by_row, general = _findings_by_row(findings)
    return render(
        request,
        "cycle/declaration_edit.html",
        {
            "decl": decl,
            "form": form,
            "formset": formset,
            "rows": [(f, by_row.get(n, [])) for n, f in enumerate(formset.forms)],
            "general": general,
        },
    )


def _act(request: HttpRequest, record: services.Record, action: Action, comment: str, detail: str) -> HttpResponse:
    try:
        services.act(Context.of(request), record, action, comment)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"已{action.label}。")
    return redirect(detail, pk=record.pk)


@login_required
@require_POST
def declaration_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Submit, return, approve or publish a declaration."""
    decl = get_for(request.user, Declaration.objects.all(), pk)
    try:
        act = Action(action)
    except ValueError:
        raise Http404("没有这个操作。") from None
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return _act(request, decl, act, comment, "cycle:declaration_detail")


@login_required
@require_POST
def declaration_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an adjustment of an approved target or weight."""
    decl = get_for(request.user, Declaration.objects.all(), pk)
    form = AdjustForm(request.POST)
    if not form.is_valid():
        messages.error(request, "调整未保存：请填写调整项、调整后的值和理由。")
        return redirect("cycle:declaration_detail", pk=decl.pk)
    indicator = decl.indicators.filter(pk=form.cleaned_data["indicator"]).first()
    if indicator is None:
        raise Http404("没有这个指标。")
    try:
        services.adjust_indicator(
            Context.of(request),
            decl,
            indicator,
            form.cleaned_data["field"],
            form.cleaned_data["value"],
            form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"已调整「{indicator.name}」，调整理由已记录。")
    return redirect("cycle:declaration_detail", pk=decl.pk)


@login_required
@require_POST
def evaluation_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the self-evaluation of an approved declaration."""
    decl = get_for(request.user, Declaration.objects.all(), pk)
    try:
        ev = services.create_evaluation(Context.of(request), decl)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("cycle:declaration_detail", pk=decl.pk)
    return redirect("cycle:evaluation_edit", pk=ev.pk)


# -- self-evaluations -----------------------------------------------------------------------------


def _evaluation_context(ev: SelfEvaluation, rows: list[Any]) -> dict[str, Any]:
    """Scores and findings of a self-evaluation, from its rows read once by the caller.

    ``per_row`` pairs each row with its score (None past the scored ones) and its findings.
    """
    document = evaluation_document(ev, rows)
    scores = score_project(document.projects[0])
    by_row, general = _findings_by_row(review_document(document))
    scored = scores.indicators
    per_row = [(scored[n] if n < len(scored) else None, by_row.get(n, [])) for n in range(len(rows))]
    return {
        "scores": scores,
        "per_row": per_row,
        "general": general,
        "project": document.projects[0],
        "document": document,
    }


@login_required
@require_GET
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A self-evaluation with suggested scores, explanations and findings beside each row."""
    ev = get_for(
        request.user,
        SelfEvaluation.objects.select_related("declaration__project__unit", "declaration__project__department"),
        pk,
    )
    items = list(ev.indicators.select_related("indicator"))
    extra = _evaluation_context(ev, items)
    form = build_report(extra["document"]).forms[0]
    transfer = ev.declaration.kind == Declaration.Kind.TRANSFER
    across, general = _findings_by_row(stored_across(ev))  # against its approval, as the last save found
    per_row = [
        # a transfer payment's form has no weights and no scores: only the findings go beside it
        (None if transfer else score, [*found, *across.get(n, [])])
        for n, (score, found) in enumerate(extra["per_row"])
    ]
    notes = evaluation_notes(items, per_row, None if transfer else extra["scores"], "grade" in dict(form.anchors))
    return render(
        request,
        "cycle/evaluation_detail.html",
        {
            "ev": ev,
            "decl": ev.declaration,
            "form": form,
            "sheet": official_table(form, [notes]),
            "scores": extra["scores"],
            "general": extra["general"] + general,
            "actions": _actions(request.user, ev.state),
            "can_edit": services.role_may(request.user, ev, Action.EDIT),
            "comment_form": CommentForm(),
            "changes": _history(StateChange.objects.filter(evaluation=ev)),
        },
    )


@login_required
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill in a self-evaluation: amounts, actual values, recorded scores; suggestions shown live."""
    ev = get_for(
        request.user,
        SelfEvaluation.objects.select_related("declaration__project__unit", "declaration__project__department"),
        pk,
    )
    if not services.role_may(request.user, ev, Action.EDIT):
        raise PermissionDenied(f"处于「{ev.state_enum.label}」状态的自评表不能由您修改。")
    rows = list(ev.indicators.select_related("indicator"))
    if request.method == "POST":
        form = EvaluationForm(request.POST, instance=SelfEvaluation.objects.get(pk=ev.pk))
        formset = EvaluationRowFormSet(request.POST, prefix="row")
        if form.is_valid() and formset.is_valid():
            data = {k: form.cleaned_data[k] for k in services.EVALUATION_FIELDS}
            inputs = [f.as_input() for f in formset.forms]
            try:
                ev = services.update_evaluation(Context.of(request), ev, form.cleaned_data["version"], data, inputs)
            except services.ConflictError as conflict:
                return _conflict(request, conflict, reverse("cycle:evaluation_edit", args=[ev.pk]))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "已保存。")
                if "submit" in request.POST:
                    return _act(request, ev, Action.SUBMIT, "", "cycle:evaluation_detail")
                return redirect("cycle:evaluation_edit", pk=ev.pk)
    else:
        form = EvaluationForm(instance=ev, initial={"version": ev.version})
        # only its management form is drawn (the row count); the rows come from _row_fields
        formset = EvaluationRowFormSet(initial=[{} for _ in rows], prefix="row")
    extra = _evaluation_context(ev, rows)
    fields = _row_fields(request, rows, formset)
    table = [(row, f, *scored) for row, f, scored in zip(rows, fields, extra["per_row"], strict=False)]
    return render(
        request,
        "cycle/evaluation_edit.html",
        {
            "ev": ev,
            "decl": ev.declaration,
            "form": form,
            # passed apart: the template's lookup of ``formset.management_form`` tries ``formset[...]``
            # first, which builds a Django form for every row only to fail
            "management_form": formset.management_form,
            "rows_html": evaluation_rows_html(table),
            "scores": extra["scores"],
            "general": extra["general"],
            "problems": services.project_problems(extra["project"], [r.score_reason for r in rows]),
        },
    )


ROW_FIELDS = tuple(EvaluationRowForm.base_fields)


def _row_fields(request: HttpRequest, rows: list[Any], formset: Any) -> list[dict[str, Any]]:
    """Each row's input names, values and errors for the template, which writes the inputs out itself.

    A posted form shows what was posted, with its errors; an opened form shows the stored values
    without building a Django form per row (a hundred rows would spend most of the page on it).
    """
    if request.method == "POST":
        return [
            {
                "prefix": f.prefix,
                "values": {k: f[k].value() for k in ROW_FIELDS},
                "errors": {k: f[k].errors for k in ROW_FIELDS},
            }
            for f in formset.forms
        ]
    return [
        {
            "prefix": f"{formset.prefix}-{n}",
            "values": {k: getattr(r, k) for k in ROW_FIELDS},
            "errors": {},
        }
        for n, r in enumerate(rows)
    ]


@login_required
@require_POST
def evaluation_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Submit, return, approve or publish a self-evaluation."""
    ev = get_for(request.user, SelfEvaluation.objects.all(), pk)
    try:
        act = Action(action)
    except ValueError:
        raise Http404("没有这个操作。") from None
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return _act(request, ev, act, comment, "cycle:evaluation_detail")


def _decimal(value: str | None) -> Decimal | None:
    if value is None or not value.strip():
        return None
    try:
        return Decimal(value.strip())
    except InvalidOperation:
        return None


@login_required
@require_POST
def evaluation_preview(request: HttpRequest, pk: int) -> JsonResponse:
    """Live scores for the form as typed (nothing is saved): suggested scores, execution, total, grade."""
    ev = get_for(
        request.user,
        SelfEvaluation.objects.select_related("declaration__project__unit", "declaration__project__department"),
        pk,
    )
    project = evaluation_project(ev)
    post = request.POST
    indicators = []
    for n, indicator in enumerate(project.indicators):
        indicators.append(
            replace(
                indicator,
                actual=post.get(f"row-{n}-actual", indicator.actual or "") or None,
                score=_decimal(post.get(f"row-{n}-score")),
                deviation=post.get(f"row-{n}-deviation") or None,
            )
        )
    total = FundRow(
        initial=_decimal(post.get("initial_total")),
        adjusted=_decimal(post.get("adjusted_total")),
        executed=_decimal(post.get("executed_total")),
        rate_pct=_decimal(post.get("rate_pct")),
    )
    project = replace(
        project,
        indicators=tuple(indicators),
        funds=replace(project.funds, total=None if total.is_empty() else total),
        outcome=post.get("outcome", project.outcome or "") or None,
        execution=Execution(
            weight=_decimal(post.get("execution_weight")) or Decimal(10),
            rate_pct=_decimal(post.get("rate_pct")),
            score=_decimal(post.get("execution_score")),
        ),
        total_score=_decimal(post.get("total_score")),
        grade=post.get("grade") or None,
    )
    scores = score_project(project)
    findings = review_document(Document(kind=Kind.SELF_EVALUATION, year=ev.declaration.year, projects=(project,)))
    by_row, general = _findings_by_row(findings)
    reasons = [post.get(f"row-{n}-score_reason", "") for n in range(len(indicators))]

    def plain(items: list[Finding]) -> list[dict[str, str]]:
        return [{"severity": f.severity.value, "message": f.message} for f in items]

    data = scores.to_dict() | {
        "problems": services.project_problems(project, reasons),
        "row_findings": {str(n): plain(items) for n, items in by_row.items()},
        "general_findings": plain(general),
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@login_required
@require_GET
def source_file(request: HttpRequest, kind: str, pk: int) -> FileResponse:
    """The kept file a record was imported from, for whoever may see the record."""
    model = {"declaration": Declaration, "evaluation": SelfEvaluation}.get(kind)
    if model is None:
        raise Http404("没有这种记录。")
    related = "project__unit" if model is Declaration else "declaration__project__unit"
    record = get_for(request.user, model.objects.select_related("source_file", related), pk)
    if record.source_file is None:
        raise Http404("该记录不是从文件导入的。")
    kept = record.source_file
    handle = kept.stored.open("rb")
    unit = (record if isinstance(record, Declaration) else record.declaration).project.unit
    record_export(
        Context.of(request),
        "来源文件",
        kept.original_name.rpartition(".")[2].lower(),
        obj=record,
        organization=unit,
        detail={"file": kept.original_name, "sha256": kept.sha256},
    )
    return FileResponse(handle, as_attachment=True, filename=kept.original_name)


@login_required
@require_GET
def target_check(request: HttpRequest) -> JsonResponse:
    """How a typed 指标值 reads, and what a reviewer would say about it (for the indicator editor)."""
    text = request.GET.get("target", "")[:300]
    name = request.GET.get("name", "")[:300]
    value = parse_target(text)
    doc = Document(
        kind=Kind.TARGET_DECLARATION,
        year=None,
        projects=(
            Project(
                name="—",
                indicators=(
                    Indicator(
                        level1=request.GET.get("level1", "产出指标")[:40],
                        level2=request.GET.get("level2", "")[:60] or None,
                        name=name or "—",
                        target=text or None,
                    ),
                ),
            ),
        ),
    )
    findings = [f for f in review_document(doc) if f.indicator_index == 0]
    return JsonResponse(
        {
            "kind": value.kind,
            "reading": describe(value),
            "findings": [{"severity": f.severity.value, "message": f.message} for f in findings],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def describe(value: Any) -> str:
    """A short Chinese reading of a parsed 指标值, for the editor."""
    kind = value.kind
    if kind == "quantity":
        op = value.operator.value if value.operator else "="
        direction = "越大越好" if value.direction.value == "positive" else "越小越好"
        return f"定量：{op} {value.number}{value.unit or ''}（{direction}）"
    if kind == "compound":
        return "复合指标：" + "；".join(
            f"{p.label}{p.quantity.operator or ''}{p.quantity.number}{p.quantity.unit or ''}" for p in value.parts
        )
    if kind == "qualitative":
        return f"定性：{value.phrase}"
    return f"无法识别：{value.reason}"


# -- conflicts ------------------------------------------------------------------------------------


def _conflict(request: HttpRequest, conflict: services.ConflictError, retry: str) -> HttpResponse:
    """409: the record changed since it was opened; show both versions, overwrite nothing."""
    keys = sorted(set(conflict.current) | set(conflict.submitted))
    rows = [
        (
            k,
            json.dumps(conflict.current.get(k), ensure_ascii=False),
            json.dumps(conflict.submitted.get(k), ensure_ascii=False),
        )
        for k in keys
        if conflict.current.get(k) != conflict.submitted.get(k)
    ]
    return render(
        request,
        "cycle/conflict.html",
        {"record": conflict.record, "rows": rows, "retry": retry, "version": conflict.record.version},
        status=409,
    )
