"""Importing budget execution from the payment system into a round: upload, preview in Chinese, confirm.

The upload keeps the files under a random token (``monitoring.execution_files``); the preview reads and
matches them (nothing written); the confirmation records the import and a background task
(``monitoring.tasks``) reads them again and applies the plan whole through ``services.execution.apply``,
refusing a plan changed since the preview; the import's page shows how far it has come and how it ended.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jixiao.documents.payments import READABLE
from jixiao.web.access import get_for
from jixiao.web.audit.services import Context
from jixiao.web.imports.running import step_of
from jixiao.web.monitoring import execution_files, tasks
from jixiao.web.monitoring.models import ExecutionImport, MonitoringRound
from jixiao.web.monitoring.services import execution, execution_jobs

MAX_FILES = 20  # one department's or one province's exports, not a folder of everything


def _round(request: HttpRequest, pk: int) -> MonitoringRound:
    """The round among those the person sees (else 404), when the person may import into it (else 403)."""
    round_ = get_for(request.user, MonitoringRound.objects.select_related("opened_in"), pk)
    execution.check_may_import(request.user, round_)
    return round_


def _me(request: HttpRequest) -> int:
    """The signed-in person's id (every view here requires one): whose kept files are whose."""
    return int(request.user.pk or 0)


def _upload_page(request: HttpRequest, round_: MonitoringRound, status: int = 200) -> HttpResponse:
    imports = list(ExecutionImport.objects.filter(round=round_, uploaded_by=request.user.pk)[:10])
    for found in imports:
        execution_jobs.end_interrupted(found)
    return render(
        request,
        "monitoring/execution_upload.html",
        {"round": round_, "readable": READABLE, "max_files": MAX_FILES, "imports": imports},
        status=status,
    )


@login_required
def execution_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """The upload form (GET); the files received are kept and their preview shown (POST)."""
    round_ = _round(request, pk)
    if request.method != "POST":
        return _upload_page(request, round_)
    refused = getattr(request, "upload_refused", None)  # the upload handler stopped at a file past its limit
    received = request.FILES.getlist("files")
    if refused or not received or len(received) > MAX_FILES:
        for f in received:
            f.close()
        messages.error(
            request,
            refused
            or (
                f"一次最多上传 {MAX_FILES} 个文件，本次 {len(received)} 个，均未保存：请分批导入。"
                if received
                else "请选择要导入的执行数文件（CSV 或 Excel .xlsx）。"
            ),
        )
        return _upload_page(request, round_, status=400)
    staged = execution_files.stage(received, _me(request), round_.pk)
    return redirect("monitoring:execution_preview", pk=round_.pk, token=staged.token)


def _staged(request: HttpRequest, round_: MonitoringRound, token: str) -> execution_files.Staged | None:
    try:
        return execution_files.load(token, _me(request), round_.pk)
    except execution_files.StagedMissing:
        messages.error(request, "没有找到这次上传的文件（已导入、已超过一天或不是您上传的）：请重新上传。")
        return None


@login_required
@require_GET
def execution_preview(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """What importing the kept files would do: every row matched, not matched, held back, and why."""
    round_ = _round(request, pk)
    staged = _staged(request, round_, token)
    if staged is None:
        return redirect("monitoring:execution_upload", pk=round_.pk)
    shown = execution.preview(request.user, round_, staged.contents())
    return render(
        request,
        "monitoring/execution_preview.html",
        {"round": round_, "token": token, "names": staged.names, "p": shown, "plan": shown.plan},
    )


@login_required
@require_POST
def execution_apply(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """Confirm the previewed import: it is applied in the background, whole or not at all; its page follows it.

    A second confirmation of the same upload (a double click, a second tab), or of the same files uploaded
    again once applied, is refused with when and by which import.
    """
    round_ = _round(request, pk)
    staged = _staged(request, round_, token)
    if staged is None:
        return redirect("monitoring:execution_upload", pk=round_.pk)
    try:
        job = execution_jobs.start(
            Context.of(request),
            round_,
            staged,
            request.POST.get("digest", ""),
            accept_unmatched=request.POST.get("accept_unmatched") == "1",
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("monitoring:execution_preview", pk=round_.pk, token=token)
    tasks.apply_execution.enqueue(job.pk)  # committed: a worker (or, inline, this request) applies it
    return redirect("monitoring:execution_import", pk=round_.pk, job=job.pk)


@login_required
@require_GET
def execution_import(request: HttpRequest, pk: int, job: int) -> HttpResponse:
    """One import: waiting, being applied (how far), done (what was written) or not (every reason)."""
    round_ = _round(request, pk)
    try:
        found = ExecutionImport.objects.get(pk=job, round=round_, uploaded_by=request.user.pk)
    except ExecutionImport.DoesNotExist:
        raise Http404("没有找到该导入记录，或它不是您的导入。") from None
    execution_jobs.end_interrupted(found)  # a run whose process died is seen as failed at the next look
    step = step_of(found.pk, execution_jobs.LOCK) if found.state == ExecutionImport.State.APPLYING else ""
    return render(request, "monitoring/execution_import.html", {"round": round_, "job": found, "step": step})
