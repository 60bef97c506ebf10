"""Scans through the import page: given their own time and memory, refused past a page count, each page told."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.web.cycle.models import Declaration, SelfEvaluation, SourceFile
from jixiao.web.imports import running
from jixiao.web.imports.models import ImportJob
from tests.documents.ocr import testset

pytestmark = pytest.mark.django_db
STEM = "003"  # three pages, one project
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "2024-self-evaluation-tabbed.txt"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    """Uploaded files go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def scan() -> bytes:
    """Seed 003's gold printed and rasterised at 150 dpi into an image-only PDF, as a scanner makes it."""
    return testset.scan_of(STEM, testset.VARIANTS["clean-150"])


@pytest.fixture
def upload(django_capture_on_commit_callbacks: Any) -> Callable[[Client, str, bytes], ImportJob]:
    """Upload one file on the import page; the inline task backend reads it at once, in its child process."""

    def _upload(client: Client, name: str, data: bytes) -> ImportJob:
        sent = SimpleUploadedFile(name, data, content_type="application/pdf")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/work/imports/", {"files": [sent]})
        assert response.status_code == 302, response.content.decode()[:300]
        return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))

    return _upload


@pytest.mark.shared
@pytest.mark.ocr
def test_a_scan_uploaded_is_read_page_by_page_and_loaded(
    scan: bytes, people: dict[str, Any], login: Any, upload: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scanned form, past the ordinary limits, is read as a scan with its own, previewed and loaded.

    The ordinary limits are the deployment's defaults (60 s, 1024 MB), which OCR passes in memory
    (``tests/documents/test_isolated.py``); the job's status said which page was being recognised.
    """
    settings.JIXIAO_IMPORT_SECONDS, settings.JIXIAO_IMPORT_MEMORY_MB = 60, 1024
    told: list[str] = []
    tell = running.JobLock.tell

    def spy(lock: running.JobLock, step: str) -> None:
        tell(lock, step)
        told.append(running.step_of(int(lock.path.stem.split("-")[1])))  # as the status view reads it back

    monkeypatch.setattr(running.JobLock, "tell", spy)
    client = login(people["finance"])
    job = upload(client, "自评表扫描件.pdf", scan)
    assert job.state == ImportJob.State.READ, [f.error for f in job.files.all()]
    assert [s for s in told if "识别" in s] == [f"自评表扫描件.pdf：识别第 {k}/3 页" for k in (1, 2, 3)]
    item = job.files.get()
    assert item.read_seconds is not None and item.read_peak_mb is not None and item.read_peak_mb > 500  # OCR's memory
    gold = testset.gold_document(STEM)
    page = client.get(f"/work/imports/{job.pk}/").content.decode()
    assert gold.projects[0].name in page
    response = client.post(f"/work/imports/{job.pk}/confirm/", {"target_state": "approved", "create_units": "1"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE, job.problems
    declaration = Declaration.objects.get(project__name=gold.projects[0].name)
    assert declaration.file_name == "自评表扫描件.pdf"
    assert SelfEvaluation.objects.filter(declaration=declaration).exists()


def test_a_scan_past_the_page_limit_ends_the_job_unread(
    people: dict[str, Any], login: Any, upload: Any, settings: Any
) -> None:
    """JIXIAO_SCAN_MAX_PAGES refuses a longer scan before any page is recognised; nothing is kept."""
    from PIL import Image

    settings.JIXIAO_SCAN_MAX_PAGES = 2
    blank = testset.image_pdf([Image.new("RGB", (620, 877), "white")] * 3, 75)
    job = upload(login(people["finance"]), "三页扫描件.pdf", blank)
    assert job.state == ImportJob.State.FAILED
    assert "扫描件共 3 页，超过网页导入一次可识别的上限（2 页）" in job.files.get().error
    assert not SourceFile.objects.exists()


def test_the_status_tells_the_page_a_reading_job_is_on(people: dict[str, Any], login: Any, upload: Any) -> None:
    """While a job reads, its status carries what its process last told (the page of a scan); after, nothing."""
    client = login(people["finance"])
    job = upload(client, "自评表.txt", EXAMPLE.read_bytes())
    job.state = ImportJob.State.READING
    job.save(update_fields=["state"])
    with running.JobLock(job.pk) as lock:  # the reading process, alive and at work
        lock.tell("自评表扫描件.pdf：识别第 2/7 页")
        status = client.get(f"/work/imports/{job.pk}/status/").json()
        assert status["state"] == "reading" and status["step"] == "自评表扫描件.pdf：识别第 2/7 页"
    job.state = ImportJob.State.READ
    job.save(update_fields=["state"])
    assert client.get(f"/work/imports/{job.pk}/status/").json()["step"] == ""
