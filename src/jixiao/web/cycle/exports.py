"""A record's form as a file or on paper, for whoever may see the record, before publication too.

Every file and every print is drawn from the record's document by the exporters (the same forms as the
portal's), fetched through the access helpers (what a person may not see is a 404) and recorded in the
audit log as an export before it is handed out.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from jixiao.core.workflow import State, is_frozen
from jixiao.exporters.model import Report
from jixiao.exporters.report import build_report
from jixiao.web.access import get_for
from jixiao.web.audit.services import Context, record_export
from jixiao.web.cycle import files
from jixiao.web.cycle.documents import declaration_document, evaluation_document
from jixiao.web.cycle.models import Declaration, SelfEvaluation
from jixiao.web.cycle.packs import pack_named, record_pack
from jixiao.web.cycle.sheets import official_table
from jixiao.web.monitoring.documents import monitoring_document
from jixiao.web.monitoring.models import MonitoringRecord

KINDS = {"declaration": "绩效目标申报表", "evaluation": "绩效自评表", "monitoring": "绩效目标执行监控表"}
# each kind's own page, where the print page leads back to
DETAIL = {
    "declaration": "cycle:declaration_detail",
    "evaluation": "cycle:evaluation_detail",
    "monitoring": "monitoring:record_detail",
}
Record = Declaration | SelfEvaluation | MonitoringRecord


def _record(request: HttpRequest, kind: str, pk: int) -> tuple[Record, Report]:
    """The record (if this person may see it) and the report of its form."""
    if kind == "declaration":
        decl = get_for(request.user, Declaration.objects.select_related("project__unit", "project__department"), pk)
        return decl, build_report(declaration_document(decl), pack=record_pack(decl))
    if kind == "evaluation":
        ev = get_for(
            request.user,
            SelfEvaluation.objects.select_related("declaration__project__unit", "declaration__project__department"),
            pk,
        )
        return ev, build_report(evaluation_document(ev), pack=record_pack(ev))
    if kind == "monitoring":
        rec = get_for(request.user, MonitoringRecord.objects.select_related("round", "unit", "department"), pk)
        return rec, build_report(monitoring_document(rec), pack=pack_named(rec.rule_pack))
    raise Http404("没有这种记录。")


def _unit(record: Record) -> Any:
    if isinstance(record, MonitoringRecord):
        return record.unit
    return (record if isinstance(record, Declaration) else record.declaration).project.unit


def _title(record: Record, report: Report) -> str:
    """``2025年度绩效目标申报表-业务培训经费（草稿）``: the state is named until the form is approved."""
    form = report.forms[0]
    name = report.document.projects[0].name
    state = "" if is_frozen(record.state) else f"（{State(record.state).label}）"
    return f"{report.year or ''}年度{form.title.removeprefix('财政项目支出')}-{name}{state}"


def _audit(request: HttpRequest, kind: str, record: Record, fmt: str) -> None:
    record_export(
        Context.of(request),
        KINDS[kind],
        fmt,
        obj=record,
        organization=_unit(record),
        detail={"state": record.state, "version": record.version},
    )


@login_required
@require_GET
def download(request: HttpRequest, kind: str, pk: int, fmt: str) -> HttpResponse:
    """The record's form as XLSX, PDF or Word, as it stands now."""
    if fmt not in files.FORMATS:
        raise Http404("没有这种格式。")
    record, report = _record(request, kind, pk)
    body = files.render(report, fmt)
    _audit(request, kind, record, fmt)
    response = HttpResponse(body, content_type=files.FORMATS[fmt])
    response["Content-Disposition"] = files.attachment(f"jixiao-{kind}-{record.pk}", _title(record, report), fmt)
    return response


@login_required
@require_GET
def print_form(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The record's form alone on a page that opens the browser's print dialog; recorded as a print."""
    record, report = _record(request, kind, pk)
    form = report.forms[0]
    _audit(request, kind, record, "print")
    return render(
        request,
        "cycle/print.html",
        {
            "record": record,
            "kind": kind,
            "form": form,
            "sheet": official_table(form),
            "title": _title(record, report),
            "final": is_frozen(record.state),  # the approved text; any other is marked so on paper
            "state_label": State(record.state).label,
            "back": reverse(DETAIL[kind], args=[record.pk]),
        },
    )
