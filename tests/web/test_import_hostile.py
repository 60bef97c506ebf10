"""Hostile files through the import page: each refused in its reading process, the job ended, nothing kept."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle.models import SourceFile
from jixiao.web.imports.models import ImportJob
from tests.hostile import BOMBS, REASONS, make, pdf

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "2024-self-evaluation-tabbed.txt"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    """Uploaded files go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def upload(django_capture_on_commit_callbacks: Any) -> Callable[[Client, list[tuple[str, bytes]]], ImportJob]:
    """Upload on the import page; the inline task backend reads at once (each file in its child process)."""

    def _upload(client: Client, files: list[tuple[str, bytes]]) -> ImportJob:
        sent = [SimpleUploadedFile(name, data, content_type="application/octet-stream") for name, data in files]
        # the test runs inside a transaction: run what waits for its commit (deleting refused files) as a commit would
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/work/imports/", {"files": sent})
        assert response.status_code == 302, response.content.decode()[:300]
        return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))

    return _upload


def kept_files(settings: Any) -> list[Path]:
    """Every file under the uploads folder (locks aside)."""
    media = Path(settings.MEDIA_ROOT)
    return [p for p in media.rglob("*") if p.is_file() and p.parent.name != "running"]


@pytest.mark.slow
@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_a_bomb_uploaded_is_refused_and_nothing_is_kept(
    bomb: str, people: dict[str, Any], login: Any, upload: Any, settings: Any
) -> None:
    """The job ends failed with the reader's reason; no file and no row of it stays; it took < 10 s and < 300 MB."""
    name, data = make(bomb)
    client = login(people["finance"])
    job = upload(client, [(name, data)])
    assert kept_files(settings) == [] and not SourceFile.objects.exists()
    assert job.state == ImportJob.State.FAILED and job.failed_step == "reading"
    item = job.files.get()
    assert item.name == name and item.source is None and item.size == len(data)
    assert item.error.startswith(name) and REASONS[bomb] in item.error, item.error
    assert item.read_seconds is not None and item.read_seconds < 10
    assert item.read_peak_mb is not None and item.read_peak_mb < 300
    page = client.get(f"/work/imports/{job.pk}/").content.decode()
    assert "1 个文件未能读取，已拒绝；本次上传的文件均未保存" in page and "未保存" in page
    assert "确认导入" not in page and "重新读取" not in page  # nothing to confirm, nothing to read again
    event = AuditEvent.objects.get(event=AuditEvent.Type.IMPORT, detail__step="read")
    assert event.success is False and event.detail["files_deleted"] == 1


def test_a_good_file_uploaded_with_a_bomb_is_not_kept_either(
    people: dict[str, Any], login: Any, upload: Any, settings: Any
) -> None:
    """The upload is refused as a whole: the good file's preview is shown, its bytes are not kept."""
    client = login(people["finance"])
    job = upload(client, [(EXAMPLE.name, EXAMPLE.read_bytes()), make("pdf-nested-flate")])
    assert job.state == ImportJob.State.FAILED
    good, bad = job.files.order_by("position")
    assert not good.error and good.projects and "解压炸弹" in bad.error
    assert kept_files(settings) == [] and not SourceFile.objects.exists()
    page = client.get(f"/work/imports/{job.pk}/").content.decode()
    assert good.projects[0]["name"] in page


def test_a_file_another_import_still_uses_is_kept(
    people: dict[str, Any], login: Any, upload: Any, settings: Any
) -> None:
    """The same bytes waiting in another job stay, and that job still loads."""
    client = login(people["finance"])
    waiting = upload(client, [(EXAMPLE.name, EXAMPLE.read_bytes())])
    refused = upload(client, [("同一文件.txt", EXAMPLE.read_bytes()), make("pdf-runlength")])
    assert refused.state == ImportJob.State.FAILED
    assert SourceFile.objects.count() == 1 and len(kept_files(settings)) == 1
    response = client.post(f"/work/imports/{waiting.pk}/confirm/", {"target_state": "approved", "create_units": "1"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.state == ImportJob.State.DONE, waiting.problems


def test_confirming_a_refused_job_is_refused(people: dict[str, Any], login: Any, upload: Any) -> None:
    """A job failed at reading cannot be confirmed: there is nothing to load."""
    client = login(people["finance"])
    job = upload(client, [make("json-nest")])
    response = client.post(f"/work/imports/{job.pk}/confirm/", {"target_state": "approved"}, follow=True)
    assert "该导入任务现在不能确认" in response.content.decode()
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED


@pytest.mark.parametrize(
    "limit, value, words",
    [("JIXIAO_IMPORT_SECONDS", 2, "读取超时（超过 2 秒）"), ("JIXIAO_IMPORT_MEMORY_MB", 60, "内存超过上限（60 MB）")],
)
def test_a_file_past_the_reading_limits_ends_the_job_with_the_reason(
    limit: str, value: int, words: str, people: dict[str, Any], login: Any, upload: Any, settings: Any
) -> None:
    """A page of 100,000 drawn lines is no bomb, but past the time or memory allowed the job ends, nothing kept."""
    setattr(settings, limit, value)
    lines = pdf(zlib.compress(b"0 0 m 10 10 l S\n" * 100_000), b"/Filter /FlateDecode")
    client = login(people["finance"])
    job = upload(client, [("线条.pdf", lines)])
    assert job.state == ImportJob.State.FAILED and kept_files(settings) == []
    assert words in job.files.get().error
