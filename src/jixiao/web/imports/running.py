"""Who is working on an import job: a lock its process holds, which the kernel drops the moment it dies.

A job is ``reading`` or ``loading`` while a process (the task worker, or the web process with the
inline backend) works on it. Killed (``kill -9``, the out-of-memory killer, gunicorn's timeout, a power
cut), that process leaves the job in that state with nothing in the database to say so. So the working
process holds an exclusive ``flock`` on a file named for the job, among the uploads that the web and
worker processes share; the kernel releases it when the process ends, however it ends. This is the
job's heartbeat without a clock: no interval to choose, no false alarm while one long loading
transaction holds the database (on SQLite nobody could write a heartbeat row meanwhile), and an
interrupted job is seen at the next look, not minutes later.

:func:`end_interrupted` is called whenever a job is looked at (its page, its status, the list) and by
``manage.py sweep_imports``: a job ``reading`` or ``loading`` whose lock is free is marked failed, with
the reason, and can be retried.

The lock file also carries what its process is doing (:meth:`JobLock.tell`, :func:`step_of`), such as
「识别第 3/12 页」 of a scan, for the job page: written to a file, not the database, so that a long
reading never waits on a write lock (SQLite) to say how far it has come.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType
from typing import Any

from django.conf import settings
from django.db import transaction

from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.imports.models import ImportJob
from jixiao.web.private import private_dir

INTERRUPTED = {
    ImportJob.State.READING: (
        "读取中断：处理该任务的进程意外终止（被强制结束或超出资源限制），没有写入任何记录。"
        "上传的文件仍然保留，可以点击“重新读取”。"
    ),
    ImportJob.State.LOADING: (
        "导入中断：处理该任务的进程意外终止，已写入的部分全部撤销，没有写入任何记录。可以重新确认导入。"
    ),
}


STEP_BYTES = 400  # a file name and a stage; a step is cut, never the page


def lock_folder() -> Path:
    """Where the jobs' lock files are: beside the uploads, which every web and worker process shares."""
    return Path(settings.MEDIA_ROOT) / "running"


class JobLock:
    """The exclusive lock of one job, held while a process reads or loads it.

    ``kind`` names what the number counts: ``job`` an import job, ``execution`` an execution import
    applied in the background (monitoring.services.execution_jobs), so that their numbers never meet.
    """

    def __init__(self, job_id: int, kind: str = "job") -> None:
        self.path = lock_folder() / f"{kind}-{job_id}.lock"
        self._fd: int | None = None

    def acquire(self, wait: bool = True) -> bool:
        """Take the lock (waiting for it, or not); True when this process now holds it."""
        private_dir(self.path.parent)  # 0700, as the uploads folder it sits in (private.py)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        os.ftruncate(fd, 0)  # what an earlier process said about the job is no longer true
        return True

    def tell(self, step: str) -> None:
        """Say what the process holding the lock is doing now (shown on the job page while it reads)."""
        if self._fd is not None:
            data = step.encode("utf-8")[:STEP_BYTES]
            os.pwrite(self._fd, data, 0)
            os.ftruncate(self._fd, len(data))

    def release(self) -> None:
        """Let the lock go (closing the file does; the file itself stays, see sweep.py)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> JobLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()


def step_of(job_id: int, kind: str = "job") -> str:
    """What the process working on the job last said it was doing; empty when nothing (or no process)."""
    try:
        with open(lock_folder() / f"{kind}-{job_id}.lock", "rb") as handle:
            return handle.read(STEP_BYTES).decode("utf-8", "ignore")
    except OSError:
        return ""


def end_interrupted(job: ImportJob) -> bool:
    """Mark ``job`` failed when it is reading or loading and no process holds its lock; True if it was."""
    if job.state not in INTERRUPTED:
        return False
    lock = JobLock(job.pk)
    if not lock.acquire(wait=False):
        return False  # its process is alive and at work
    try:
        with transaction.atomic():
            current: Any = ImportJob.objects.select_for_update().get(pk=job.pk)
            if current.state not in INTERRUPTED:
                return False  # it ended between the look and the lock
            step = current.state
            current.state = ImportJob.State.FAILED
            current.failed_step = step
            current.problems = [INTERRUPTED[step]]
            current.save(update_fields=["state", "failed_step", "problems"])
            record(
                Context.system(),
                AuditEvent.Type.IMPORT,
                obj=current,
                success=False,
                organization=current.organization,
                detail={"step": "interrupted", "while": step},
            )
    finally:
        lock.release()
    job.refresh_from_db()
    return True
