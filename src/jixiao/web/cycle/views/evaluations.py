"""Self-evaluation pages: starting one, the record page, the form with its live preview and 采用建议分."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jixiao.core.model import Document, Kind, Project
from jixiao.core.review import Finding, review_document
from jixiao.core.scoring import grade_for, score_project
from jixiao.core.workflow import Action
from jixiao.exporters.report import build_report
from jixiao.web.access import get_for, permit, role_may
from jixiao.web.audit.services import Context
from jixiao.web.cycle import services
from jixiao.web.cycle.documents import evaluation_document, evaluation_project, evaluation_shape
from jixiao.web.cycle.forms import (
    CommentForm,
    EvaluationForm,
    EvaluationRowForm,
    EvaluationRowFormSet,
)
from jixiao.web.cycle.html import (
    evaluation_notes,
    evaluation_rows_html,
)
from jixiao.web.cycle.models import Declaration, SelfEvaluation, SourceCorrection, StateChange
from jixiao.web.cycle.packs import record_pack
from jixiao.web.cycle.services.across import stored_across
from jixiao.web.cycle.shapes import SELF_EVALUATION, posted_header, posted_row
from jixiao.web.cycle.sheets import official_table
from jixiao.web.cycle.views.common import (
    act_posted,
    actions_for,
    findings_by_row,
    history_of,
    latest_return,
    save_posted,
    source_corrections,
)
from jixiao.web.forms import ErrorLink, error_summary
from jixiao.web.monitoring.history import evaluation_monitoring
from jixiao.web.numbers import small_int


def _evaluation(request: HttpRequest, pk: int) -> SelfEvaluation:
    """The self-evaluation with its project's unit and department, among what the user may see (else 404)."""
    related = SelfEvaluation.objects.select_related("declaration__project__unit", "declaration__project__department")
    return get_for(request.user, related, pk)


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
    by_row, general = findings_by_row(review_document(document, pack))
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
    ev = _evaluation(request, pk)
    items = list(ev.indicators.select_related("indicator"))
    extra = _evaluation_context(ev, items)
    form = build_report(extra["document"], pack=extra["pack"]).forms[0]
    transfer = ev.declaration.kind == Declaration.Kind.TRANSFER
    across, general = findings_by_row(stored_across(ev))  # against its approval, as the last save found
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
            "actions": actions_for(request.user, ev.state),
            "can_return": role_may(request.user, ev, Action.RETURN),
            "can_delete": role_may(request.user, ev, Action.DELETE),
            "returned": latest_return(ev),
            "can_edit": role_may(request.user, ev, Action.EDIT),
            "comment_form": CommentForm(),
            "changes": history_of(StateChange.objects.filter(evaluation=ev)),
            "source_corrections": source_corrections(SourceCorrection.objects.filter(evaluation=ev)),
        }
        | evaluation_monitoring(request.user, ev),  # each indicator's monitoring history
    )


@login_required
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill in a self-evaluation: amounts, actual values, recorded scores; suggestions shown live."""
    ev = _evaluation(request, pk)
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
        done = save_posted(
            request,
            ev,
            (form, formset),
            services.EVALUATION_FIELDS,
            services.update_evaluation,
            lambda rows: [f.as_input() for f in rows.forms],
            ("cycle:evaluation_edit", "cycle:evaluation_detail"),
        )
        if done is not None:
            return done
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
            "returned": latest_return(ev),
            "can_edit": True,
            "can_delete": role_may(request.user, ev, Action.DELETE),
            "error_summary": _evaluation_errors(form, formset, rows) if form.is_bound else [],
        }
        | evaluation_monitoring(request.user, ev),  # each indicator's monitoring history, the forecasts it began from
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
    return act_posted(request, ev, action, "cycle:evaluation_detail")


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
    posted = posted_header(evaluation_shape(ev.declaration), post, replace(project, indicators=tuple(indicators)))
    if posted.execution is not None and posted.execution.weight is None:
        # an empty weight is scored as the rule pack's (as the save keeps its default)
        posted = replace(posted, execution=replace(posted.execution, weight=record_pack(ev).execution_weight))
    return posted


@login_required
@require_POST
def evaluation_preview(request: HttpRequest, pk: int) -> JsonResponse:
    """Live scores for the form as typed (nothing is saved): suggested scores, execution, total, grade."""
    ev = _evaluation(request, pk)
    pack = record_pack(ev)
    post = request.POST
    project = posted_project(ev, post)
    scores = score_project(project, pack)
    year = ev.declaration.year
    findings = review_document(Document(kind=Kind.SELF_EVALUATION, year=year, projects=(project,)), pack)
    by_row, general = findings_by_row(findings)
    reasons = [post.get(f"row-{n}-score_reason", "") for n in range(len(project.indicators))]

    def plain(items: list[Finding]) -> list[dict[str, str]]:
        return [{"severity": f.severity.value, "label": f.severity.label, "message": f.message} for f in items]

    data = scores.to_dict() | {
        "problems": services.project_problems(project, reasons, pack, year),
        "row_findings": {str(n): plain(items) for n, items in by_row.items()},
        "general_findings": plain(general),
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
