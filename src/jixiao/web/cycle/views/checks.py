"""What the pages ask as a person types or opens a record's file: the target reading, the source file."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jixiao.core.model import Document, Indicator, Kind, Project
from jixiao.core.review import review_document
from jixiao.core.targets import parse_target
from jixiao.web.access import get_for
from jixiao.web.audit.services import Context, record_export
from jixiao.web.cycle.carry import prior_year
from jixiao.web.cycle.models import Declaration, SelfEvaluation
from jixiao.web.cycle.packs import record_pack
from jixiao.web.cycle.views.common import (
    logger,
)
from jixiao.web.library.queries import ranges_for


@login_required
@require_GET
def source_file(request: HttpRequest, kind: str, pk: int) -> HttpResponseBase:
    """The kept file a record was imported from, for whoever may see the record."""
    # one call per kind: each queryset yields its own model, which the checker keeps apart
    record: Declaration | SelfEvaluation
    if kind == "declaration":
        record = get_for(request.user, Declaration.objects.select_related("source_file", "project__unit"), pk)
    elif kind == "evaluation":
        queryset = SelfEvaluation.objects.select_related("source_file", "declaration__project__unit")
        record = get_for(request.user, queryset, pk)
    else:
        raise Http404("没有这种记录。")
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
    # the editor names its declaration: the target is then also held against last year's (decision 0022)
    decl = _declaration(request)
    last = prior_year(decl) if decl is not None else None
    project = decl.project.name if decl is not None else "—"
    doc = Document(
        kind=Kind.TARGET_DECLARATION,
        year=None,
        projects=(
            Project(
                name=project,
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
    pack = record_pack(decl) if decl is not None else None
    # and against what similar projects set (the stored 指标库), as the saved declaration's review does
    prior = {project: last} if last else None
    findings = [f for f in review_document(doc, pack, library=ranges_for(doc), prior=prior) if f.indicator_index == 0]
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


def _declaration(request: HttpRequest) -> Declaration | None:
    """The declaration the editor names (``declaration=<id>``), read through the access helpers; None if none."""
    raw = request.GET.get("declaration", "")
    if not raw.isdigit():
        return None
    return get_for(request.user, Declaration.objects.select_related("project__unit"), int(raw))


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
