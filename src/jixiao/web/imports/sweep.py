"""What killed processes leave behind, found and removed: interrupted jobs, unreferenced files, partial uploads.

``manage.py sweep_imports`` runs this; the deployment guide runs it when the worker starts and every
hour. A kept file is written before the rows that name it are committed (``create_job``), so a process
killed in between leaves a file under ``sources/`` that no row names; an upload cut off leaves a part
file in ``incoming/``. Both are removed once older than ``grace`` (a live upload may be writing them).
Jobs left ``reading`` or ``loading`` by a dead process are ended as failed (``running.end_interrupted``),
as are execution imports left ``applying`` (``monitoring.services.execution_jobs``). The payment files
kept between an execution import's preview and its confirmation (``uploads/execution/<token>/``) are
removed once older than a day (``monitoring.execution_files.KEPT_FOR``), unless an import still needs them.
With ``abandoned``, jobs read but never loaded for that long are ended and their files let go.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.cycle.models import Declaration, SelfEvaluation, SourceFile
from jixiao.web.imports.models import ImportFile, ImportJob
from jixiao.web.imports.running import INTERRUPTED, JobLock, end_interrupted, lock_folder
from jixiao.web.imports.services import release_files
from jixiao.web.monitoring import execution_files
from jixiao.web.monitoring.models import EvidenceFile, ExecutionImport
from jixiao.web.monitoring.services import execution_jobs
from jixiao.web.rectification.models import RectificationFile
from jixiao.web.uploads import incoming_folder

GRACE = timedelta(hours=1)
SOURCES = "sources"
EVIDENCE = "evidence"  # monitoring actions' evidence files (monitoring.action_models.EvidenceFile)
RECTIFICATION = "rectification"  # 整改事项' evidence files (rectification.models.RectificationFile)


@dataclass
class Swept:
    """What one sweep found and removed."""

    interrupted: list[int] = field(default_factory=list)  # jobs ended as failed
    abandoned: list[int] = field(default_factory=list)
    orphan_files: list[str] = field(default_factory=list)  # under sources/, named by no row
    unused_sources: int = 0  # rows (and their files) no import or record uses
    partial_uploads: int = 0
    locks: int = 0
    execution_interrupted: list[int] = field(default_factory=list)  # execution imports ended as failed
    execution_uploads: int = 0  # folders of payment files kept past their day (uploads/execution/)


def _older(path: Path, cutoff: float) -> bool:
    try:
        return path.stat().st_mtime < cutoff
    except FileNotFoundError:
        return False


def sweep(grace: timedelta = GRACE, abandoned: timedelta | None = None) -> Swept:
    """Find and remove what killed processes left; report what was removed."""
    swept = Swept()
    for job in ImportJob.objects.filter(state__in=list(INTERRUPTED)).order_by("pk"):
        if end_interrupted(job):
            swept.interrupted.append(job.pk)
    applying = ExecutionImport.objects.filter(state=ExecutionImport.State.APPLYING).order_by("pk")
    swept.execution_interrupted = [job.pk for job in applying if execution_jobs.end_interrupted(job)]
    if abandoned is not None:
        swept.abandoned = _end_abandoned(timezone.now() - abandoned)
    swept.execution_uploads = execution_files.sweep()
    cutoff = time.time() - grace.total_seconds()
    swept.unused_sources = _unused_sources(timezone.now() - grace)
    media = Path(settings.MEDIA_ROOT)
    kept = set(SourceFile.objects.values_list("stored", flat=True))
    # the evidence of monitoring actions is kept the same way (stored, then its row committed)
    kept |= set(EvidenceFile.objects.values_list("stored", flat=True))
    kept |= set(RectificationFile.objects.values_list("stored", flat=True))
    for folder in (SOURCES, EVIDENCE, RECTIFICATION):
        for path in sorted((media / folder).rglob("*")):
            name = path.relative_to(media).as_posix()
            if path.is_file() and name not in kept and _older(path, cutoff):
                path.unlink(missing_ok=True)
                swept.orphan_files.append(name)
    for path in incoming_folder().glob("upload-*.part"):
        if _older(path, cutoff):
            path.unlink(missing_ok=True)
            swept.partial_uploads += 1
    swept.locks = _finished_locks()
    return swept


def _unused_sources(before: object) -> int:
    """Delete the kept files (rows and bytes) that no import and no record uses."""
    unused = (
        SourceFile.objects.filter(uploaded_at__lt=before)
        .exclude(pk__in=ImportFile.objects.exclude(source=None).values("source"))
        .exclude(pk__in=Declaration.objects.exclude(source_file=None).values("source_file"))
        .exclude(pk__in=SelfEvaluation.objects.exclude(source_file=None).values("source_file"))
    )
    count = 0
    for source in unused:
        with transaction.atomic():
            name = source.stored.name
            source.delete()
            if name:  # a kept file always has one
                transaction.on_commit(partial(default_storage.delete, name))
        count += 1
    return count


def _end_abandoned(before: object) -> list[int]:
    """End the jobs read (or failed at loading) and never loaded since ``before``, letting their files go."""
    ended = []
    waiting = ImportJob.objects.filter(created_at__lt=before).filter(
        state__in=[ImportJob.State.READ, ImportJob.State.FAILED]
    )
    for job in waiting.exclude(files__source=None).distinct().order_by("pk"):
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.state not in (ImportJob.State.READ, ImportJob.State.FAILED):
                continue
            released = release_files(locked)
            problem = "超过保留期限未确认导入，上传的文件已清除；如仍需导入，请重新上传。"
            locked.state, locked.failed_step, locked.problems = ImportJob.State.FAILED, "reading", [problem]
            locked.save(update_fields=["state", "failed_step", "problems"])
            record(
                Context.system(),
                AuditEvent.Type.IMPORT,
                obj=locked,
                success=False,
                organization=locked.organization,
                detail={"step": "abandoned", "files_deleted": released},
            )
        ended.append(job.pk)
    return ended


def _finished_locks() -> int:
    """Remove the lock files of jobs that can never run again (loaded, or refused with their files gone)."""
    removed = _finished_execution_locks()
    for path in lock_folder().glob("job-*.lock"):
        try:
            job = ImportJob.objects.get(pk=int(path.stem.removeprefix("job-")))
        except (ValueError, ImportJob.DoesNotExist):
            job = None
        final = (
            job is None
            or job.state == ImportJob.State.DONE
            or (job.state == ImportJob.State.FAILED and not job.can_reread and not job.can_confirm)
        )
        lock = JobLock(job.pk if job is not None else 0)
        lock.path = path
        if final and lock.acquire(wait=False):
            path.unlink(missing_ok=True)
            lock.release()
            removed += 1
    return removed


def _finished_execution_locks() -> int:
    """Remove the lock files of execution imports that ended (done or failed: a new confirmation is a new import)."""
    removed = 0
    for path in lock_folder().glob(f"{execution_jobs.LOCK}-*.lock"):
        try:
            pk = int(path.stem.removeprefix(f"{execution_jobs.LOCK}-"))
        except ValueError:
            pk = 0
        if ExecutionImport.objects.filter(pk=pk).exclude(state__in=execution_jobs.ENDED).exists():
            continue  # waiting or being applied
        lock = JobLock(pk, execution_jobs.LOCK)
        if lock.acquire(wait=False):
            path.unlink(missing_ok=True)
            lock.release()
            removed += 1
    return removed
