"""Pages of the yearly cycle: lists, forms, review actions. Read through access helpers, write through services."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.core.model import Document, Execution, FundRow, Indicator, Kind, Project
from jixiao.core.review import Finding, review_document
from jixiao.core.scoring import grade_for, score_project
from jixiao.core.scoring.assess import show_number
from jixiao.core.targets import parse_target
from jixiao.core.workflow import FROZEN_VALUES, REVIEW_ACTIONS, Action, Role, State, allowed, is_frozen
from jixiao.exporters.report import build_report
from jixiao.web.access import account_of, get_for, permit, role_may, role_of
from jixiao.web.audit.services import Context, record_export
from jixiao.web.cycle import services
from jixiao.web.cycle.documents import declaration_document, evaluation_document, evaluation_project
from jixiao.web.cycle.forms import (
    AdjustForm,
    CommentForm,
    DeclarationForm,
    DeleteForm,
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
from jixiao.web.cycle.models import Adjustment, Declaration, SelfEvaluation, SourceCorrection, StateChange
from jixiao.web.cycle.packs import record_pack
from jixiao.web.cycle.services.across import stored_across
from jixiao.web.cycle.shapes import DECLARATION, SELF_EVALUATION, posted_row
from jixiao.web.cycle.shares import Row, posted_rows, share_status
from jixiao.web.cycle.sheets import official_table
from jixiao.web.forms import ErrorLink, error_summary
from jixiao.web.numbers import form_decimal, small_int
from jixiao.web.orgs.models import Organization

logger = logging.getLogger(__name__)

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


def _source_corrections(corrections: Any) -> Any:
    """Values corrected before the record's file was loaded: the printed source and the correction (history)."""
    return corrections.select_related("by__account").only(
        *WHEN_AND_WHO, "label", "source_value", "value", "reason", "file_name"
    )


def _latest_return(record: services.Record) -> StateChange | None:
    """The latest return (退回意见, who and when) of a record that stands returned, else None."""
    if record.state != State.RETURNED.value:
        return None
    owner = {"declaration": record} if isinstance(record, Declaration) else {"evaluation": record}
    return (
        StateChange.objects.filter(**owner, action=Action.RETURN.value)
        .select_related("by__account__organization")
        .only(*WHEN_AND_WHO, "comment", "by__account__organization__name")
        .order_by("-at", "-id")
        .first()
    )


def _actions(user: object, state: str) -> list[Action]:
    role = role_of(user)
    if role is None:
        return []
    return [a for a in allowed(role, State(state)) if a in REVIEW_ACTIONS]


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
        "to_evaluate": declarations.filter(state__in=FROZEN_VALUES, evaluation=None)[:20]
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
    year = small_int(filters["year"], 0, 9999)  # a year column: anything else is no filter, never a 500
    if year is not None:
        queryset = queryset.filter(year=year)
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
    pack = record_pack(decl)
    document = declaration_document(decl, indicators)
    # this form's own review by its pack, and what the last save found against the unit's other records (stored)
    findings = review_document(document, pack) + stored_across(decl)
    by_row, general = _findings_by_row(findings)
    # the official layout, as it prints and as the portal will show it, with the review beside it
    form = build_report(document, pack=pack).forms[0]
    return render(
        request,
        "cycle/declaration_detail.html",
        {
            "decl": decl,
            "pack": pack,
            "indicator_points": show_number(pack.indicator_weight),
            "weights": [(i, _plain_weight(i.weight)) for i in indicators],  # the weights form's inputs
            "indicators": indicators,  # the indicators an adjustment may name
            "form": form,
            "sheet": official_table(form, declaration_notes(indicators, by_row)),
            "general": general,
            "actions": _actions(request.user, decl.state),
            "can_return": role_may(request.user, decl, Action.RETURN),
            "can_delete": role_may(request.user, decl, Action.DELETE),
            "returned": _latest_return(decl),
            "can_edit": role_may(request.user, decl, Action.EDIT),
            "can_adjust": role_may(request.user, decl, Action.ADJUST),
            "can_evaluate": role_of(request.user) is Role.UNIT_STAFF and is_frozen(decl.state),
            "comment_form": CommentForm(),
            "adjust_form": AdjustForm(),
            "changes": _history(StateChange.objects.filter(declaration=decl)),
            "adjustments": Adjustment.objects.filter(declaration=decl)
            .select_related("by__account", "indicator")
            .only(*WHEN_AND_WHO, "old_value", "new_value", "reason", "indicator__name"),
            "evaluation_pk": decl.evaluation_pk,
            "source_corrections": _source_corrections(SourceCorrection.objects.filter(declaration=decl)),
        },
    )


@login_required
def declaration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft or returned declaration: identity, money, goals and the indicator tree."""
    decl = get_for(request.user, Declaration.objects.select_related("project__unit"), pk)
    if request.method != "POST":
        permit(request.user, decl, Action.EDIT)  # a save asks the service, which decides on the locked row
    pack = record_pack(decl)
    # every row's weight is checked against the record's pack as it is typed (cycle.forms.IndicatorForm)
    rows_kwargs = {"pack": pack}
    if request.method == "POST":
        form = DeclarationForm(request.POST, instance=Declaration.objects.get(pk=decl.pk))
        formset = IndicatorFormSet(request.POST, prefix="ind", form_kwargs=rows_kwargs)
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
            permit(request.user, decl, Action.EDIT)  # a form sent back with its errors: only to whom may edit
    else:
        form = DeclarationForm(instance=decl, initial={"version": decl.version})
        formset = IndicatorFormSet(initial=_indicator_initial(decl) or [{}], prefix="ind", form_kwargs=rows_kwargs)
    findings = review_document(declaration_document(decl), pack)
    by_row, general = _findings_by_row(findings)
    if request.method == "POST":
        shares = share_status(posted_rows(request.POST), pack)
    else:
        shares = share_status([Row(i.level1, i.name, i.weight, "") for i in decl.indicators.all()], pack)
    return render(
        request,
        "cycle/declaration_edit.html",
        {
            "decl": decl,
            "pack": pack,
            "form": form,
            "formset": formset,
            "row_shape": DECLARATION.script_fields(),  # the row fields the editor's script acts on
            "rows": [(f, by_row.get(n, [])) for n, f in enumerate(formset.forms)],
            # the share findings are shown in their own panel, beside the sum
            "general": [f for f in general if f.code not in SHARE_CODES],
            "shares": shares.to_dict(),
            "returned": _latest_return(decl),
            "can_edit": True,
            "can_delete": role_may(request.user, decl, Action.DELETE),
            "error_summary": _declaration_errors(form, formset) if form.is_bound else [],
        },
    )


# findings of the weights' split: the editor's share panel shows them (cycle/shares.py)
SHARE_CODES = frozenset({"indicator-share-mismatch", "level1-share-differs"})


@login_required
@require_POST
def declaration_shares(request: HttpRequest, pk: int) -> JsonResponse:
    """The share check of the editor's rows as typed (nothing is saved): the sum, each level 1, what blocks."""
    decl = get_for(request.user, Declaration.objects.select_related("project__unit"), pk)
    permit(request.user, decl, Action.EDIT)
    status = share_status(posted_rows(request.POST), record_pack(decl))
    return JsonResponse(status.to_dict(), json_dumps_params={"ensure_ascii": False})


def _declaration_errors(form: DeclarationForm, formset: Any) -> list[ErrorLink]:
    """The refused declaration's errors for the top of the page: the form's, then each row's by its number and name."""
    formset.is_valid()  # the view stops at an invalid header; the summary names the rows' errors too
    rows = [
        (f"第{n}行「{name}」" if (name := (row["name"].value() or "").strip()) else f"第{n}行", row)
        for n, row in enumerate(formset.forms, start=1)
        # a row marked 删除 is not saved, so its errors do not stop the save
        if not getattr(row, "cleaned_data", {}).get("DELETE")
    ]
    return error_summary(form, "declaration-form", rows, formset.non_form_errors(), "indicator-editor")


def _act(request: HttpRequest, record: services.Record, action: Action, comment: str, detail: str) -> HttpResponse:
    try:
        services.act(Context.of(request), record, action, comment)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"已{action.label}。")
    return redirect(detail, pk=record.pk)


def _review_action(name: str) -> Action:
    """The review step an ``act/<name>/`` address names; editing, adjusting and deleting have their own pages."""
    try:
        action = Action(name)
    except ValueError:
        raise Http404("没有这个操作。") from None
    if action not in REVIEW_ACTIONS:
        raise Http404("没有这个操作。")
    return action


@login_required
@require_POST
def declaration_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Submit, return, approve or publish a declaration."""
    decl = get_for(request.user, Declaration.objects.all(), pk)
    act = _review_action(action)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return _act(request, decl, act, comment, "cycle:declaration_detail")


@login_required
@require_POST
def declaration_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an adjustment of an approved target or weight, or of several weights at once (their split kept)."""
    decl = get_for(request.user, Declaration.objects.all(), pk)
    if request.POST.get("field") == "weights":
        # the weights form: one input per indicator; only the changed ones are adjustments
        current = {i.pk: i.weight for i in decl.indicators.all()}
        changes = [
            services.Change(pk_, "weight", request.POST.get(f"weight-{pk_}", "").strip())
            for pk_, weight in current.items()
            if request.POST.get(f"weight-{pk_}", "").strip() not in ("", _plain_weight(weight))
        ]
        reason = request.POST.get("reason", "")[:2000]
    else:
        form = AdjustForm(request.POST)
        if not form.is_valid():
            messages.error(request, "调整未保存：请填写调整项、调整后的值和理由。")
            return redirect("cycle:declaration_detail", pk=decl.pk)
        indicator = decl.indicators.filter(pk=form.cleaned_data["indicator"]).first()
        if indicator is None:
            raise Http404("没有这个指标。")
        changes = [services.Change(indicator.pk, form.cleaned_data["field"], form.cleaned_data["value"])]
        reason = form.cleaned_data["reason"]
    try:
        done = services.adjust_indicators(Context.of(request), decl, changes, reason)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"调整未保存：{message}")
    else:
        names = "、".join(f"「{a.indicator.name}」" for a in done if a.indicator is not None)
        messages.success(request, f"已调整{names}，调整理由已记录。")
    return redirect("cycle:declaration_detail", pk=decl.pk)


def _plain_weight(weight: Decimal | None) -> str:
    """A stored weight as the weights form shows it (``30`` for ``30.00``), so an untouched input is no change."""
    return "" if weight is None else format(weight.normalize(), "f")


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


def _evaluation_context(ev: SelfEvaluation, rows: list[Any], posted: Project | None = None) -> dict[str, Any]:
    """Scores and findings of a self-evaluation by its rule pack, from its rows read once by the caller.

    ``posted`` is the form as posted (a refused save, 采用建议分): its suggestions are then those of what
    was typed. ``per_row`` pairs each row with its score (None past the scored ones) and its findings.
    """
    pack = record_pack(ev)
    document = evaluation_document(ev, rows)
    if posted is not None:
        document = replace(document, projects=(posted,))
    scores = score_project(document.projects[0], pack)
    by_row, general = _findings_by_row(review_document(document, pack))
    scored = scores.indicators
    per_row = [(scored[n] if n < len(scored) else None, by_row.get(n, [])) for n in range(len(rows))]
    return {
        "scores": scores,
        "per_row": per_row,
        "general": general,
        "project": document.projects[0],
        "pack": pack,
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
    form = build_report(extra["document"], pack=extra["pack"]).forms[0]
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
            "pack": extra["pack"],
            "general": extra["general"] + general,
            "actions": _actions(request.user, ev.state),
            "can_return": role_may(request.user, ev, Action.RETURN),
            "can_delete": role_may(request.user, ev, Action.DELETE),
            "returned": _latest_return(ev),
            "can_edit": role_may(request.user, ev, Action.EDIT),
            "comment_form": CommentForm(),
            "changes": _history(StateChange.objects.filter(evaluation=ev)),
            "source_corrections": _source_corrections(SourceCorrection.objects.filter(evaluation=ev)),
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
    if request.method != "POST":
        permit(request.user, ev, Action.EDIT)  # a save asks the service, which decides on the locked row
    rows = list(ev.indicators.select_related("indicator"))
    posted = None
    if request.method == "POST" and "adopt" in request.POST:
        permit(request.user, ev, Action.EDIT)  # 采用建议分 saves nothing: the page decides
        return _adopt(request, ev, rows)
    if request.method == "POST":
        form = EvaluationForm(request.POST, instance=SelfEvaluation.objects.get(pk=ev.pk))
        formset = EvaluationRowFormSet(request.POST, prefix="row")
        posted = posted_project(ev, request.POST)
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
            permit(request.user, ev, Action.EDIT)  # a form sent back with its errors: only to whom may edit
    else:
        form = EvaluationForm(instance=ev, initial={"version": ev.version})
        # only its management form is drawn (the row count); the rows come from _row_fields
        formset = EvaluationRowFormSet(initial=[{} for _ in rows], prefix="row")
    return _evaluation_page(request, ev, rows, form, formset, posted)


def _evaluation_page(
    request: HttpRequest, ev: SelfEvaluation, rows: list[Any], form: Any, formset: Any, posted: Project | None
) -> HttpResponse:
    """The self-evaluation form: what is stored, or what was posted (with its suggestions and errors)."""
    extra = _evaluation_context(ev, rows, posted)
    fields = _row_fields(request, rows, formset)
    table = [(row, f, *scored) for row, f, scored in zip(rows, fields, extra["per_row"], strict=False)]
    if posted is None:
        reasons = [r.score_reason for r in rows]
    else:
        reasons = [request.POST.get(f"row-{n}-score_reason", "") for n in range(len(rows))]
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
            "row_shape": SELF_EVALUATION.script_fields(),  # the row fields the browser script acts on
            "rows_html": evaluation_rows_html(table),
            "scores": extra["scores"],
            "pack": extra["pack"],
            "general": extra["general"],
            "problems": services.project_problems(extra["project"], reasons, extra["pack"], ev.declaration.year),
            "returned": _latest_return(ev),
            "can_edit": True,
            "can_delete": role_may(request.user, ev, Action.DELETE),
            "error_summary": _evaluation_errors(form, formset, rows) if form.is_bound else [],
        },
    )


def _adopt(request: HttpRequest, ev: SelfEvaluation, rows: list[Any]) -> HttpResponse:
    """采用建议分 without JavaScript: the posted form comes back with the suggested scores filled in, unsaved.

    ``adopt`` is a row's number or ``all``; all rows also fill the execution score and, once every row
    has a score, the total and grade they make. Rows with no suggestion keep what was typed.
    """
    pack = record_pack(ev)
    project = posted_project(ev, request.POST)
    scores = score_project(project, pack)
    which = request.POST.get("adopt", "")
    chosen = range(len(rows)) if which == "all" else [n for n in [small_int(which, 0, len(rows) - 1)] if n is not None]
    data = request.POST.copy()
    filled, skipped = [], []
    for n in chosen:
        score = scores.indicators[n] if n < len(scores.indicators) else None
        if score is not None and score.suggested is not None:
            data[f"row-{n}-score"] = str(score.suggested)
            filled.append(n)
        else:
            reason = f"：{score.reason}" if score is not None and score.reason else ""
            skipped.append(f"第{n + 1}行「{rows[n].indicator.name}」没有建议得分{reason}")
    if which == "all":
        if scores.execution is not None and scores.execution.suggested is not None:
            data["execution_score"] = str(scores.execution.suggested)
        adopted = score_project(posted_project(ev, data), pack)
        every_row = all(s.recorded is not None for s in adopted.indicators)
        if every_row and adopted.total_recorded is not None and adopted.execution is not None:
            data["total_score"] = str(adopted.total_recorded)
            data["grade"] = grade_for(adopted.total_recorded, pack)
    if filled:
        messages.info(request, "已填入建议得分，尚未保存：请核对后按“保存草稿”或“保存并提交”。")
    for text in skipped:
        messages.warning(request, f"{text}。")
    form = EvaluationForm(data, instance=SelfEvaluation.objects.get(pk=ev.pk))
    formset = EvaluationRowFormSet(data, prefix="row")
    return _evaluation_page(request, ev, rows, form, formset, posted_project(ev, data))


def _evaluation_errors(form: EvaluationForm, formset: Any, rows: list[Any]) -> list[ErrorLink]:
    """The refused self-evaluation's errors for the top of the page, each row named by its indicator."""
    formset.is_valid()  # the view stops at an invalid form; the summary names the rows' errors too
    names = [r.indicator.name for r in rows]
    labelled = [
        (f"第{n}行「{names[n - 1]}」" if n <= len(names) else f"第{n}行", row)
        for n, row in enumerate(formset.forms, start=1)
    ]
    return error_summary(form, "evaluation-form", labelled, formset.non_form_errors())


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
    act = _review_action(action)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return _act(request, ev, act, comment, "cycle:evaluation_detail")


# the columns' digits (cycle.models MONEY and SCORE): a number the save would refuse previews as none
MONEY_DIGITS, SCORE_DIGITS = (18, 2), (7, 2)


def posted_project(ev: SelfEvaluation, post: Any) -> Project:
    """The self-evaluation as the form posts it: the approved targets with what was typed (nothing saved).

    Shared by the live preview and 采用建议分, so both read the form exactly alike; a number the form
    would refuse (``NaN``, ``1e999999``, too many digits) reads as not filled in.
    """
    project = evaluation_project(ev)
    indicators = [
        replace(indicator, **posted_row(SELF_EVALUATION, post, f"row-{n}", indicator))
        for n, indicator in enumerate(project.indicators)
    ]
    total = FundRow(
        initial=form_decimal(post.get("initial_total"), *MONEY_DIGITS),
        adjusted=form_decimal(post.get("adjusted_total"), *MONEY_DIGITS),
        executed=form_decimal(post.get("executed_total"), *MONEY_DIGITS),
        rate_pct=form_decimal(post.get("rate_pct"), *SCORE_DIGITS),
    )
    weight = form_decimal(post.get("execution_weight"), *SCORE_DIGITS)
    return replace(
        project,
        indicators=tuple(indicators),
        funds=replace(project.funds, total=None if total.is_empty() else total),
        outcome=post.get("outcome", project.outcome or "") or None,
        execution=Execution(
            weight=weight if weight is not None else record_pack(ev).execution_weight,
            rate_pct=form_decimal(post.get("rate_pct"), *SCORE_DIGITS),
            score=form_decimal(post.get("execution_score"), *SCORE_DIGITS),
        ),
        total_score=form_decimal(post.get("total_score"), *SCORE_DIGITS),
        grade=(post.get("grade") or "")[:2] or None,
    )


@login_required
@require_POST
def evaluation_preview(request: HttpRequest, pk: int) -> JsonResponse:
    """Live scores for the form as typed (nothing is saved): suggested scores, execution, total, grade."""
    ev = get_for(
        request.user,
        SelfEvaluation.objects.select_related("declaration__project__unit", "declaration__project__department"),
        pk,
    )
    pack = record_pack(ev)
    post = request.POST
    project = posted_project(ev, post)
    scores = score_project(project, pack)
    year = ev.declaration.year
    findings = review_document(Document(kind=Kind.SELF_EVALUATION, year=year, projects=(project,)), pack)
    by_row, general = _findings_by_row(findings)
    reasons = [post.get(f"row-{n}-score_reason", "") for n in range(len(project.indicators))]

    def plain(items: list[Finding]) -> list[dict[str, str]]:
        return [{"severity": f.severity.value, "label": f.severity.label, "message": f.message} for f in items]

    data = scores.to_dict() | {
        "problems": services.project_problems(project, reasons, pack, year),
        "row_findings": {str(n): plain(items) for n, items in by_row.items()},
        "general_findings": plain(general),
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@login_required
@require_GET
def source_file(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The kept file a record was imported from, for whoever may see the record."""
    model = {"declaration": Declaration, "evaluation": SelfEvaluation}.get(kind)
    if model is None:
        raise Http404("没有这种记录。")
    related = "project__unit" if model is Declaration else "declaration__project__unit"
    record = get_for(request.user, model.objects.select_related("source_file", related), pk)
    if record.source_file is None:
        raise Http404("该记录不是从文件导入的。")
    kept = record.source_file
    try:
        handle = kept.stored.open("rb")
    except FileNotFoundError:
        # the row outlived its file (a restore without uploads/, a disk mishap): say so instead of a 500
        logger.error("source file %s (%s) of %s %s is missing", kept.stored.name, kept.original_name, kind, pk)
        return render(request, "cycle/source_missing.html", {"kept": kept, "record": record, "kind": kind}, status=404)
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
            "findings": [
                {"severity": f.severity.value, "label": f.severity.label, "message": f.message} for f in findings
            ],
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
