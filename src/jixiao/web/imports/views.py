"""Import pages: upload, watch the progress, read the preview, confirm."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from jixiao.core.errors import JixiaoError
from jixiao.core.workflow import Role
from jixiao.web.access import account_of, role_of
from jixiao.web.audit.services import Context
from jixiao.web.imports import checking, corrections, services, tasks
from jixiao.web.imports.models import ImportCorrection, ImportFile, ImportJob
from jixiao.web.imports.pages import scanned_page_png
from jixiao.web.imports.running import end_interrupted, step_of
from jixiao.web.numbers import small_int

BUSY = (ImportJob.State.UPLOADED, ImportJob.State.READING, ImportJob.State.CONFIRMED, ImportJob.State.LOADING)


def _job(request: HttpRequest, pk: int) -> ImportJob:
    try:
        job: ImportJob = services.jobs_visible_to(request.user).get(pk=pk)
    except ImportJob.DoesNotExist:
        raise Http404("没有找到该导入任务，或您无权查看。") from None
    end_interrupted(job)  # a job whose process died is seen as failed at the next look
    return job


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    """The person's imports and the upload form."""
    if role_of(request.user) not in (Role.DEPT_REVIEWER, Role.FINANCE_REVIEWER):
        raise PermissionDenied("只有主管部门审核人员和财政审核人员可以导入文件。")
    if request.method == "POST":
        # the upload handler received every file to disk, or stopped at the first past its limit
        received = request.FILES.getlist("files")
        refused = getattr(request, "upload_refused", None)
        if refused:
            messages.error(request, refused)
            return redirect("imports:list")
        uploads = [services.Upload(f.name or "", f) for f in received]
        try:
            job = services.create_job(Context.of(request), uploads)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("imports:list")
        tasks.read_files.enqueue(job.pk)
        return redirect("imports:detail", pk=job.pk)
    jobs = list(services.jobs_visible_to(request.user).select_related("created_by")[:50])
    for job in jobs:
        end_interrupted(job)
    return render(request, "imports/list.html", {"jobs": jobs})


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress, then the preview of every project found, then the result."""
    job = _job(request, pk)
    files = list(job.files.defer("document", "reading"))
    account = account_of(request.user)
    role = account.role_enum if account else None
    problems: list[str] = []
    if job.state == ImportJob.State.READ and role is not None:
        # what ticking "create units" cannot solve; the organizations it would create are listed apart
        problems = services.problems_of(job, role, account.organization_id if account else None, create_units=True)
    return render(
        request,
        "imports/detail.html",
        {
            "job": job,
            "files": files,
            "problems": problems,
            "new_orgs": services.new_organizations(job) if job.state == ImportJob.State.READ else {},
            "targets": services.target_states(role),
            "may_create_departments": role is Role.FINANCE_REVIEWER,
            "busy": job.state in BUSY,
        },
    )


@login_required
@require_GET
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """The job's state and progress, for the progress bar."""
    job = _job(request, pk)
    return JsonResponse(
        {
            "state": job.state,
            "label": job.get_state_display(),
            "done": job.done_files,
            "total": job.total_files,
            # the page of a scan being recognised, told by the reading process (OCR takes seconds a page)
            "step": step_of(job.pk) if job.state == ImportJob.State.READING else "",
        }
    )


@login_required
@require_POST
def job_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the import: load everything in one transaction, or nothing."""
    job = _job(request, pk)
    if job.created_by_id != request.user.pk:
        raise PermissionDenied("只有上传文件的人可以确认导入。")
    try:
        job = services.confirm(
            Context.of(request), job, request.POST.get("target_state", ""), request.POST.get("create_units") == "1"
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("imports:detail", pk=job.pk)
    tasks.load_files.enqueue(job.pk, request.user.pk)
    return redirect("imports:detail", pk=job.pk)


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Read an interrupted job's files again."""
    job = _job(request, pk)
    if job.created_by_id != request.user.pk:
        raise PermissionDenied("只有上传文件的人可以重新读取。")
    try:
        job = services.retry_reading(Context.of(request), job)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("imports:detail", pk=job.pk)
    tasks.read_files.enqueue(job.pk)
    return redirect("imports:detail", pk=job.pk)


# -- the check page of one file: the reading beside the page, corrections before loading -------------------


def _file(request: HttpRequest, pk: int, file_pk: int) -> tuple[ImportJob, ImportFile]:
    job = _job(request, pk)  # the job through the access helper: another department's job is not found
    try:
        return job, job.files.get(pk=file_pk)
    except ImportFile.DoesNotExist:
        raise Http404("没有找到该文件。") from None


def _page_number(request: HttpRequest) -> int:
    """Which projects of the file the check page shows (a refused post shows again the page it came from)."""
    return small_int(request.POST.get("page") or request.GET.get("page"), 1, 100_000) or 1


def _back(job: ImportJob, item: ImportFile, request: HttpRequest) -> HttpResponse:
    url = reverse("imports:check", args=[job.pk, item.pk])
    page = _page_number(request)
    return redirect(f"{url}?page={page}" if page > 1 else url)


def _check_page(request: HttpRequest, job: ImportJob, item: ImportFile, status: int = 200) -> HttpResponse:
    standing = corrections.standing(item)
    document = corrections.corrected_document(item, standing)
    history = list(item.corrections.select_related("created_by__account", "withdrawn_by__account"))
    return render(
        request,
        "imports/check.html",
        {
            "job": job,
            "file": item,
            "check": checking.file_check(job, item, document, standing, _page_number(request)),
            "history": history,
            "may_correct": corrections.may_correct(request.user, job),
        },
        status=status,
    )


@login_required
@require_GET
def file_check(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """One file's reading in its official layout, what to check and why, the scan beside it; corrections."""
    job, item = _file(request, pk, file_pk)
    if not item.document:
        raise Http404("该文件没有读取结果。")
    return _check_page(request, job, item)


@login_required
@require_POST
def file_correct(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """Correct one value (or put an unplaced line into its row), with a reason; refused when the page is stale."""
    job, item = _file(request, pk, file_pk)
    if not item.document:
        raise Http404("该文件没有读取结果。")
    try:
        posted = corrections.posted_correction(request.POST, item)
        corrections.correct(Context.of(request), item, posted)
    except corrections.StaleRevision as exc:
        messages.error(request, str(exc))
        job.refresh_from_db()
        return _check_page(request, job, item, status=409)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _check_page(request, job, item, status=400)
    messages.success(request, "已更正，导入时将采用更正后的值，原文一并保留。")
    return _back(job, item, request)


@login_required
@require_POST
def correction_withdraw(request: HttpRequest, pk: int, file_pk: int, correction_pk: int) -> HttpResponse:
    """Withdraw a correction before loading: the value is again as it was read."""
    job, item = _file(request, pk, file_pk)
    try:
        correction = item.corrections.get(pk=correction_pk)
    except ImportCorrection.DoesNotExist:
        raise Http404("没有找到该更正。") from None
    try:
        corrections.withdraw(Context.of(request), correction, _revision(request))
    except corrections.StaleRevision as exc:
        messages.error(request, str(exc))
        job.refresh_from_db()
        return _check_page(request, job, item, status=409)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _check_page(request, job, item, status=400)
    messages.success(request, "已撤回该更正。")
    return _back(job, item, request)


def _revision(request: HttpRequest) -> int:
    text = request.POST.get("revision", "")
    if not text.isdigit() or len(text) > 9:
        raise ValidationError("页面缺少版本信息，请刷新后重试。")
    return int(text)


@login_required
@require_GET
def file_page(request: HttpRequest, pk: int, file_pk: int, page: int) -> HttpResponse:
    """A scanned page as it was read (turned upright, levelled), as PNG, for the check page's boxes."""
    _, item = _file(request, pk, file_pk)
    frames = {int(p["page"]): p for p in (item.reading or {}).get("pages", [])}
    if page not in frames or item.source is None:
        raise Http404("没有该页的图像（文件不是扫描件，或原文件未保存）。")
    try:
        png = scanned_page_png(item.source.stored.path, item.name, page, frames[page])
    except JixiaoError as exc:
        raise Http404(str(exc)) from None
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response
