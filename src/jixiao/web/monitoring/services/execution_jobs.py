"""An execution import confirmed in the page and applied in the background (issue 16, item 5 at a province's size).

Applying a province's payments file writes 20,000 forms: minutes, too long for one request. The
confirmation (:func:`start`) records an :class:`ExecutionImport` waiting (``queued``) with the kept
upload's token, the preview's digest and whether unmatched rows are left out; the task
(``monitoring.tasks.apply_execution``) runs :func:`run`, which holds the import's lock (as an import
job's, ``imports.running.JobLock``), reads the kept files again and applies them through
:func:`jixiao.web.monitoring.services.execution.apply`, whole or not at all, telling its lock file how
far it has come. It ends ``done`` (the kept files deleted) or ``failed`` with every reason, the kept
files left for another confirmation. A process killed meanwhile leaves it ``applying`` with its lock
free: :func:`end_interrupted` (at every look at it, and in ``sweep_imports``) ends it failed, its
transaction having been rolled back by the database.

The same upload cannot be confirmed twice while one waits, runs or has been applied (a constraint),
and neither can the same files, uploaded again, once applied to the round.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.imports.running import JobLock
from jixiao.web.monitoring import execution_files
from jixiao.web.monitoring.models import ExecutionImport, MonitoringRound
from jixiao.web.monitoring.services.execution import apply, check_may_import

LOCK = "execution"  # the lock files' prefix: execution-<id>.lock beside the import jobs'
ENDED = (ExecutionImport.State.DONE, ExecutionImport.State.FAILED)
INTERRUPTED = (
    "导入中断：处理该导入的进程意外终止，已写入的部分全部撤销，没有写入任何执行数。"
    "上传的文件仍然保留，可以在预览页重新确认导入。"
)
MISSING = "上传的文件已不在（已导入、已超过一天或已清除），没有写入任何执行数：请重新上传。"


def content_sha256(files: Sequence[tuple[str, bytes]]) -> str:
    """One digest of the files' bytes in upload order (names left out: the same export renamed is the same)."""
    h = hashlib.sha256()
    for _, data in files:
        h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


def _applied_already(round_: MonitoringRound, sha: str, token: str) -> ExecutionImport | None:
    holding = ExecutionImport.objects.filter(round=round_, state__in=ExecutionImport.HOLDING)
    return holding.filter(token=token).first() or holding.filter(content_sha256=sha).first()


def _refusal(found: ExecutionImport) -> str:
    when = timezone.localtime(found.at).strftime("%Y-%m-%d %H:%M")
    if found.busy:
        return f"这些文件已于 {when} 确认导入本批次（导入记录 {found.pk}，{found.get_state_display()}），请勿重复确认。"
    return (
        f"这些文件已于 {when} 导入本批次（导入记录 {found.pk}，写入 {found.figures_applied} 张监控表），"
        "不能重复导入；如支付数据有更新，请上传新导出的文件。"
    )


def start(
    ctx: Context, round_: MonitoringRound, staged: execution_files.Staged, digest: str, *, accept_unmatched: bool
) -> ExecutionImport:
    """Record the confirmed import as waiting for its task; a second confirmation of the same files is refused."""
    check_may_import(ctx.user, round_)
    sha = content_sha256(staged.contents())
    with transaction.atomic():
        MonitoringRound.objects.select_for_update().get(pk=round_.pk)  # one confirmation at a time per round
        found = _applied_already(round_, sha, staged.token)
        if found is not None:
            raise ValidationError(_refusal(found))
        try:
            with transaction.atomic():
                made = ExecutionImport.objects.create(
                    round=round_,
                    files=list(staged.names),
                    uploaded_by=ctx.user,
                    digest=digest,
                    state=ExecutionImport.State.QUEUED,
                    token=staged.token,
                    content_sha256=sha,
                    accept_unmatched=accept_unmatched,
                )
        except IntegrityError:  # a confirmation of the same upload committed between the look and the write
            raise ValidationError("这次上传已确认导入，请勿重复确认。") from None
        record(
            ctx,
            AuditEvent.Type.IMPORT,
            obj=made,
            organization=round_.opened_in,
            detail={"step": "confirm", "files": made.files},
        )
    return made


def run(import_id: int) -> None:
    """Apply a waiting import, holding its lock; it ends done, or failed with the reasons (nothing written)."""
    with JobLock(import_id, LOCK) as lock:
        with transaction.atomic():
            job = ExecutionImport.objects.select_for_update().select_related("round").get(pk=import_id)
            if job.state != ExecutionImport.State.QUEUED:
                return  # taken by another worker already, or no longer waiting
            job.state = ExecutionImport.State.APPLYING
            job.save(update_fields=["state"])
        user: Any = get_user_model().objects.filter(pk=job.uploaded_by_id or 0).first()
        ctx = Context.system(user)
        if user is None:  # the importer's account was deleted since: nobody's scope to import into
            _fail(ctx, job, ["确认导入的人员账户已不存在，没有写入任何执行数。"])
            return
        try:
            staged = execution_files.load(job.token, user.pk, job.round_id, confirmed=True)
            apply(
                ctx,
                job.round,
                staged.contents(),
                job.digest,
                accept_unmatched=job.accept_unmatched,
                into=job,
                tell=lock.tell,
            )
        except execution_files.StagedMissing:
            _fail(ctx, job, [MISSING])
        except (ValidationError, PermissionDenied) as exc:
            reasons = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            _fail(ctx, job, reasons)
        else:
            execution_files.discard(job.token)


def _fail(ctx: Context, job: ExecutionImport, problems: list[str], step: str = "apply") -> None:
    """End the import failed with its reasons, audited (the files stay for another confirmation)."""
    with transaction.atomic():
        ExecutionImport.objects.filter(pk=job.pk).update(
            state=ExecutionImport.State.FAILED, problems=problems, finished_at=timezone.now()
        )
        record(
            ctx,
            AuditEvent.Type.IMPORT,
            obj=job,
            success=False,
            organization=job.round.opened_in,
            detail={"step": step, "problems": problems},
        )
    job.refresh_from_db()


def end_interrupted(job: ExecutionImport) -> bool:
    """Mark ``job`` failed when it is being applied and no process holds its lock; True if it was."""
    if job.state != ExecutionImport.State.APPLYING:
        return False
    lock = JobLock(job.pk, LOCK)
    if not lock.acquire(wait=False):
        return False  # its process is alive and at work
    try:
        if not ExecutionImport.objects.filter(pk=job.pk, state=ExecutionImport.State.APPLYING).exists():
            return False  # it ended between the look and the lock
        _fail(Context.system(), job, [INTERRUPTED], step="interrupted")
    finally:
        lock.release()
    return True


def busy_tokens() -> set[str]:
    """The kept uploads an import waits for or is applying: never swept from under it."""
    busy = ExecutionImport.objects.filter(state__in=[ExecutionImport.State.QUEUED, ExecutionImport.State.APPLYING])
    return set(busy.exclude(token="").values_list("token", flat=True))
