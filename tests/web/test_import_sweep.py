"""``manage.py sweep_imports``: interrupted jobs end failed; what killed processes left is removed, nothing else."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context
from jixiao.web.cycle.models import SourceFile
from jixiao.web.imports import services
from jixiao.web.imports.models import ImportJob
from jixiao.web.imports.running import INTERRUPTED, JobLock, end_interrupted, lock_folder

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "2024-self-evaluation-tabbed.txt"
HOUR = 3600


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    """Uploaded files go to a fresh folder per test; jobs wait (no task runs them)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _job(user: Any, name: str = "自评表.txt", data: bytes | None = None) -> ImportJob:
    upload = services.Upload.of_bytes(name, data if data is not None else EXAMPLE.read_bytes())
    return services.create_job(Context(user=user, ip="127.0.0.1"), [upload])


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


@pytest.fixture
def sweep(django_capture_on_commit_callbacks: Any) -> Callable[..., str]:
    """Run ``manage.py sweep_imports``; what waits for a commit (deleting files) runs as a commit would."""

    def _sweep(*args: str) -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("sweep_imports", *args, stdout=out)
        return out.getvalue()

    return _sweep


def test_a_job_left_reading_or_loading_by_a_dead_process_ends_failed(people: dict[str, Any], sweep: Any) -> None:
    """No process holds its lock: the job is failed with the reason, audited, and retryable as its step allows."""
    reading, loading = _job(people["finance"]), _job(people["finance"], "另一个.txt", b"x" + EXAMPLE.read_bytes())
    ImportJob.objects.filter(pk=reading.pk).update(state=ImportJob.State.READING)
    ImportJob.objects.filter(pk=loading.pk).update(state=ImportJob.State.LOADING)
    assert f"中断的导入任务 2 个已标记为未导入（{reading.pk}、{loading.pk}）" in sweep()
    reading.refresh_from_db()
    loading.refresh_from_db()
    assert reading.state == loading.state == ImportJob.State.FAILED
    assert reading.problems == [INTERRUPTED[ImportJob.State.READING]] and reading.can_reread
    assert loading.problems == [INTERRUPTED[ImportJob.State.LOADING]] and loading.can_confirm
    events = AuditEvent.objects.filter(detail__step="interrupted", success=False)
    assert sorted(e.detail["while"] for e in events) == ["loading", "reading"]
    assert all(e.username == "系统" for e in events)


def test_a_job_whose_process_holds_its_lock_is_left_alone(people: dict[str, Any], sweep: Any) -> None:
    """A live process (here, this test) holding the lock: the job is at work, not interrupted."""
    job = _job(people["finance"])
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.READING)
    lock = JobLock(job.pk)
    assert lock.acquire(wait=False)
    try:
        job.refresh_from_db()
        assert end_interrupted(job) is False
        assert "中断的导入任务 0 个" in sweep()
    finally:
        lock.release()
    job.refresh_from_db()
    assert job.state == ImportJob.State.READING
    assert end_interrupted(job) is True  # the lock let go: now it is


def test_waiting_jobs_are_not_interrupted(people: dict[str, Any]) -> None:
    """Uploaded or confirmed jobs wait for a worker: nobody holds their lock, and that is no interruption."""
    job = _job(people["finance"])
    for state in (ImportJob.State.UPLOADED, ImportJob.State.CONFIRMED, ImportJob.State.READ):
        ImportJob.objects.filter(pk=job.pk).update(state=state)
        job.refresh_from_db()
        assert end_interrupted(job) is False


def test_files_no_row_names_are_removed_once_old(people: dict[str, Any], settings: Any, sweep: Any) -> None:
    """A file a killed upload wrote without its row goes after the grace period; a file with its row stays."""
    job = _job(people["finance"])
    kept = Path(job.files.get().source.stored.path)
    media = Path(settings.MEDIA_ROOT)
    orphan, fresh = media / "sources" / "ab" / "orphan.pdf", media / "sources" / "cd" / "fresh.pdf"
    for path in (orphan, fresh):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.4 left by a killed upload")
    _age(orphan, 2 * HOUR)
    _age(kept, 2 * HOUR)
    partial, writing = media / "incoming" / "upload-old.part", media / "incoming" / "upload-now.part"
    partial.parent.mkdir(parents=True, exist_ok=True)
    for path in (partial, writing):
        path.write_bytes(b"half an upload")
    _age(partial, 2 * HOUR)
    out = sweep()
    assert "清除无记录引用的文件 1 个、未完成的上传 1 个" in out
    assert not orphan.exists() and not partial.exists()
    assert fresh.exists() and writing.exists() and kept.exists()  # young, or named by a row


def test_a_kept_file_no_import_or_record_uses_is_removed(people: dict[str, Any], sweep: Any) -> None:
    """A SourceFile row with no import and no record (its job gone) goes, with its bytes."""
    source = SourceFile(sha256="0" * 64, original_name="无主.txt", size=3, uploaded_by=people["finance"])
    source.stored.save("无主.txt", ContentFile(b"abc"), save=False)
    source.save()
    SourceFile.objects.filter(pk=source.pk).update(uploaded_at=source.uploaded_at.replace(year=2020))
    path = Path(source.stored.path)
    used = _job(people["finance"]).files.get().source
    sweep()
    assert not SourceFile.objects.filter(pk=source.pk).exists() and not path.exists()
    assert SourceFile.objects.filter(pk=used.pk).exists()


def test_abandoned_jobs_end_and_let_their_files_go_when_asked(
    people: dict[str, Any], settings: Any, sweep: Any
) -> None:
    """With --abandoned-days, a job read but never loaded for that long ends failed and keeps no file."""
    job = _job(people["finance"])
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.READ, created_at=job.created_at.replace(year=2020))
    sweep()
    job.refresh_from_db()
    assert job.state == ImportJob.State.READ  # not without the option
    assert "长期未确认的任务 1 个已结束" in sweep("--abandoned-days", "30")
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and "超过保留期限" in job.problems[0]
    assert not job.can_reread and not job.can_confirm
    assert not SourceFile.objects.exists()


def test_the_locks_of_finished_jobs_are_removed(people: dict[str, Any], sweep: Any) -> None:
    """A loaded job never runs again: its lock file goes; a job that may still run keeps its own."""
    done, waiting = _job(people["finance"]), _job(people["finance"], "另一个.txt", b"y" + EXAMPLE.read_bytes())
    for job in (done, waiting):
        lock = JobLock(job.pk)
        lock.acquire()
        lock.release()
    ImportJob.objects.filter(pk=done.pk).update(state=ImportJob.State.DONE)
    sweep()
    assert sorted(p.name for p in lock_folder().iterdir()) == [f"job-{waiting.pk}.lock"]


def test_an_evidence_file_no_row_names_is_removed_once_old(people: dict[str, Any], settings: Any, sweep: Any) -> None:
    """Evidence a killed process stored without its row goes after the grace period, as sources do."""
    media = Path(settings.MEDIA_ROOT)
    orphan, fresh = media / "evidence" / "ab" / "orphan.pdf", media / "evidence" / "cd" / "fresh.pdf"
    for path in (orphan, fresh):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.4 left by a killed submission")
    _age(orphan, 2 * HOUR)
    assert "清除无记录引用的文件 1 个" in sweep()
    assert not orphan.exists() and fresh.exists()
