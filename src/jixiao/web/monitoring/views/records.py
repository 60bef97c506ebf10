"""A monitoring form's page, its edit form with live checks (the preview the self-evaluation uses), its review steps."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from jixiao.core.model import Document, Kind, Project
from jixiao.core.review import Finding, overdue_finding, review_document
from jixiao.core.workflow import Action, State
from jixiao.web.access import get_for, permit, role_may
from jixiao.web.audit.services import Context
from jixiao.web.cycle.forms import CommentForm
from jixiao.web.cycle.html import findings_html
from jixiao.web.cycle.packs import pack_named
from jixiao.web.cycle.shapes import MONITORING
from jixiao.web.cycle.views.common import act_posted, actions_for, findings_by_row, history_of, saved
from jixiao.web.forms import error_summary
from jixiao.web.monitoring import services
from jixiao.web.monitoring.documents import execution_rate, monitoring_project, posted_project
from jixiao.web.monitoring.forms import MonitoringForm, MonitoringRowFormSet
from jixiao.web.monitoring.html import rows_html
from jixiao.web.monitoring.models import MonitoringRecord, MonitoringRow, MonitoringStateChange
from jixiao.web.monitoring.views.actions import record_actions

ROW_FIELDS = services.ROW_FIELDS


def _record(request: HttpRequest, pk: int) -> MonitoringRecord:
    """The record with its round, organizations and declaration, among what the user may see (else 404)."""
    related = MonitoringRecord.objects.select_related(
        "round", "unit", "department", "declaration__project__unit", "declaration__project__department"
    )
    return get_for(request.user, related, pk)


def _rows(rec: MonitoringRecord) -> list[MonitoringRow]:
    return list(rec.rows.select_related("indicator"))


def _review(rec: MonitoringRecord, project: Project) -> list[Finding]:
    """The review of the form as given (its alerts among the findings), by the record's rule pack."""
    return review_document(
        Document(kind=Kind.MONITORING, year=rec.year, projects=(project,)), pack_named(rec.rule_pack)
    )


def _overdue(rec: MonitoringRecord) -> list[Finding]:
    """The finding of a form late against its round's due date (none when in time), as of today."""
    submitted = timezone.localdate(rec.submitted_at) if rec.submitted_at else None
    found = overdue_finding(
        rec.project_name, rec.unit.name, rec.round.due, timezone.localdate(), submitted, year=rec.year
    )
    return [] if found is None else [found]


def _returned(rec: MonitoringRecord) -> MonitoringStateChange | None:
    if rec.state != State.RETURNED.value:
        return None
    return (
        MonitoringStateChange.objects.filter(record=rec, action=Action.RETURN.value)
        .select_related("by__account__organization")
        .order_by("-at", "-id")
        .first()
    )


def _money(project: Project) -> tuple[list[str], list[str]]:
    total = project.funds.total
    figures = (total.adjusted, total.executed, total.forecast) if total else (None, None, None)
    return services.money_problems(*figures), services.money_warnings(*figures)


@login_required
@require_GET
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A monitoring form as filed: money and rate, the goal's completion, each indicator with its findings."""
    rec = _record(request, pk)
    rows = _rows(rec)
    project = monitoring_project(rec, rows)
    by_row, general = findings_by_row(_review(rec, project))
    problems, warnings = _money(project)
    general = _overdue(rec) + general
    return render(
        request,
        "monitoring/record_detail.html",
        {
            "rec": rec,
            "rate": execution_rate(rec.executed_to_date, rec.budget_total),
            "rows": [(r, findings_html(by_row.get(n, []))) for n, r in enumerate(rows)],
            "general": general,
            "money_notes": problems + warnings,
            "actions": [a for a in actions_for(request.user, rec.state) if a in services.REVIEW_STEPS],
            "can_return": role_may(request.user, rec, Action.RETURN),
            "can_edit": role_may(request.user, rec, Action.EDIT),
            "returned": _returned(rec),
            "comment_form": CommentForm(),
            "changes": history_of(MonitoringStateChange.objects.filter(record=rec)),
        }
        | record_actions(request.user, rec),  # its actions, and the form raising one
    )


def _row_fields(request: HttpRequest, rows: list[MonitoringRow], formset: Any) -> list[dict[str, Any]]:
    """Each row's input names, values and errors: what was posted (with its errors), or what is stored."""
    if request.method == "POST":
        return [
            {
                "prefix": f.prefix,
                "values": {k: f[k].value() for k in ("indicator_id", *ROW_FIELDS)},
                "errors": {k: f[k].errors for k in ROW_FIELDS},
            }
            for f in formset.forms
        ]
    return [
        {
            "prefix": f"{formset.prefix}-{n}",
            "values": {"indicator_id": r.indicator_id} | {k: getattr(r, k) for k in ROW_FIELDS},
            "errors": {},
        }
        for n, r in enumerate(rows)
    ]


@login_required
def record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit fills the monitoring form; findings follow what is typed (the preview); saved all or nothing."""
    rec = _record(request, pk)
    rows = _rows(rec)
    if request.method != "POST":
        permit(request.user, rec, Action.EDIT)  # a save asks the service, which decides on the locked row
        form = MonitoringForm(instance=rec, initial={"version": rec.version})
        formset = MonitoringRowFormSet(initial=[{} for _ in rows], prefix="row")
        project = monitoring_project(rec, rows)
    else:
        form = MonitoringForm(request.POST, instance=MonitoringRecord.objects.get(pk=rec.pk))
        formset = MonitoringRowFormSet(request.POST, prefix="row")
        project = posted_project(rec, rows, request.POST)
        if form.is_valid() and formset.is_valid():
            done = _save(request, rec, form, formset)
            if done is not None:
                return done
        else:
            permit(request.user, rec, Action.EDIT)  # a form sent back with its errors: only to whom may edit
    by_row, general = findings_by_row(_review(rec, project))
    general = _overdue(rec) + general
    fields = _row_fields(request, rows, formset)
    problems, warnings = _money(project)
    names = [r.indicator.name for r in rows]
    summary = (
        error_summary(
            form,
            "monitoring-form",
            [
                (f"第{n}行「{names[n - 1]}」" if n <= len(names) else f"第{n}行", f)
                for n, f in enumerate(formset.forms, start=1)
            ],
            formset.non_form_errors(),
        )
        if form.is_bound
        else []
    )
    return render(
        request,
        "monitoring/record_edit.html",
        {
            "rec": rec,
            "form": form,
            "management_form": formset.management_form,
            "row_shape": MONITORING.script_fields(),
            "rows_html": rows_html(
                (r, f, by_row.get(n, [])) for n, (r, f) in enumerate(zip(rows, fields, strict=False))
            ),
            "labels": [f.label for f in MONITORING.rows],
            "general": general,
            "problems": problems,
            "warnings": warnings,
            "returned": _returned(rec),
            "can_edit": True,
            "error_summary": summary,
        },
    )


def _save(request: HttpRequest, rec: MonitoringRecord, form: MonitoringForm, formset: Any) -> HttpResponse | None:
    """Save through the service: the next page, the conflict page, or None with the refusal on the form."""
    data = {k: form.cleaned_data[k] for k in services.RECORD_FIELDS}
    inputs = [f.as_input() for f in formset.forms]
    version = form.cleaned_data["version"]
    return saved(
        request,
        lambda: services.update_record(Context.of(request), rec, version, data, inputs),
        form,
        "monitoring:record_edit",
        "monitoring:record_detail",
        services.act,
    )


@login_required
@require_POST
def record_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Submit, return (with a comment) or approve a monitoring form."""
    rec = get_for(request.user, MonitoringRecord.objects.all(), pk)
    return act_posted(request, rec, action, "monitoring:record_detail", services.act)


@login_required
@require_POST
def record_preview(request: HttpRequest, pk: int) -> JsonResponse:
    """The findings (the monitoring alerts among them) of the form as typed; nothing is saved."""
    rec = _record(request, pk)
    project = posted_project(rec, _rows(rec), request.POST)
    by_row, general = findings_by_row(_review(rec, project))
    problems, warnings = _money(project)

    def plain(items: list[Finding]) -> list[dict[str, str]]:
        return [{"severity": f.severity.value, "label": f.severity.label, "message": f.message} for f in items]

    total = project.funds.total
    data = {
        "rate": None if total is None or total.rate_pct is None else str(total.rate_pct),
        "problems": problems,
        "warnings": warnings,
        "row_findings": {str(n): plain(items) for n, items in by_row.items()},
        "general_findings": plain(_overdue(rec) + general),
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
