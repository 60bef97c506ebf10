"""Import pages: upload, watch the progress, read the preview, confirm."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jixiao.core.workflow import Role
from jixiao.web.access import account_of, role_of
from jixiao.web.audit.services import Context
from jixiao.web.imports import services, tasks
from jixiao.web.imports.models import ImportJob
from jixiao.web.imports.running import end_interrupted, step_of

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
    files = list(job.files.defer("document"))
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
