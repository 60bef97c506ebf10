"""Uploads are received to disk within their limits: a request of any size costs the web process one chunk."""

from __future__ import annotations

import hashlib
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from jixiao.web.cycle.models import SourceFile
from jixiao.web.imports.models import ImportJob

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "2024-self-evaluation-tabbed.txt"
BOUNDARY = b"----jixiao-test-boundary"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    """Uploaded files go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _header(name: str) -> bytes:
    return (
        b"--"
        + BOUNDARY
        + b'\r\nContent-Disposition: form-data; name="files"; filename="'
        + name.encode()
        + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
    )


class Multipart:
    """A multipart/form-data body made as it is read, as a browser sends it: never whole in memory.

    A file is given as its bytes, or as a size in MB of zero bytes made a megabyte at a time.
    """

    def __init__(self, files: list[tuple[str, int | bytes]]) -> None:
        self.parts = self._parts(files)
        self.pending = b""
        end = b"--" + BOUNDARY + b"--\r\n"
        self.length = len(end) + sum(
            len(_header(name)) + (len(body) if isinstance(body, bytes) else body) + 2 for name, body in files
        )

    @staticmethod
    def _parts(files: list[tuple[str, int | bytes]]) -> Iterator[bytes]:
        for name, body in files:
            yield _header(name)
            if isinstance(body, bytes):
                yield body
            else:
                yield from (bytes(MB) for _ in range(body // MB))
            yield b"\r\n"
        yield b"--" + BOUNDARY + b"--\r\n"

    def read(self, size: int = -1) -> bytes:
        """The next ``size`` bytes (all the rest when negative)."""
        while size < 0 or len(self.pending) < size:
            part = next(self.parts, None)
            if part is None:
                break
            self.pending += part
        size = len(self.pending) if size < 0 else size
        out, self.pending = self.pending[:size], self.pending[size:]
        return out

    def readline(self, size: int = -1) -> bytes:
        """Up to the next line end (WSGI asks for it; the multipart parser reads by size)."""
        while b"\n" not in self.pending and (part := next(self.parts, None)) is not None:
            self.pending += part
        end = self.pending.find(b"\n") + 1 or len(self.pending)
        return self.read(end if size < 0 else min(end, size))


def post_stream(client: Client, files: list[tuple[str, int | bytes]]) -> tuple[Any, float]:
    """POST the files to the import page as a stream; the response and the peak of memory allocated meanwhile."""
    body = Multipart(files)
    tracemalloc.start()
    try:
        response = client.request(
            REQUEST_METHOD="POST",
            PATH_INFO="/work/imports/",
            CONTENT_TYPE="multipart/form-data; boundary=" + BOUNDARY.decode(),
            CONTENT_LENGTH=str(body.length),
            **{"wsgi.input": body},
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return response, peak / MB


def _nothing_stored(media: Path) -> None:
    assert not ImportJob.objects.exists() and not SourceFile.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_oversized_files_are_refused_as_they_arrive(people: dict[str, Any], login: Any, settings: Any) -> None:
    """Three 60 MB files: refused at the first one's 20 MB, naming it; the web process held at most a few MB."""
    client = login(people["finance"])
    response, peak_mb = post_stream(client, [("报表一.pdf", 60 * MB), ("报表二.pdf", 60 * MB), ("报表三.pdf", 60 * MB)])
    assert response.status_code == 302
    assert peak_mb < 8, f"the request held {peak_mb:.0f} MB"
    page = client.get(response["Location"]).content.decode()
    assert "报表一.pdf：文件过大（上限 20 MB），本次上传的文件均未保存。" in page
    _nothing_stored(Path(settings.MEDIA_ROOT))


def test_a_file_at_the_limit_is_kept_without_being_held_in_memory(
    people: dict[str, Any], login: Any, settings: Any
) -> None:
    """A 19 MB file is received, hashed and moved into storage while the request holds a few MB."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # upload only, no reading
    client = login(people["finance"])
    response, peak_mb = post_stream(client, [("大文件.txt", 19 * MB)])
    assert response.status_code == 302, response.content.decode()[:300]
    assert peak_mb < 8, f"the request held {peak_mb:.0f} MB"
    kept = SourceFile.objects.get()
    assert kept.size == 19 * MB and kept.sha256 == hashlib.sha256(bytes(19 * MB)).hexdigest()
    assert Path(kept.stored.path).stat().st_size == 19 * MB
    assert not list((Path(settings.MEDIA_ROOT) / "incoming").iterdir())  # moved, not copied


def test_a_request_past_its_total_is_refused(people: dict[str, Any], login: Any, settings: Any) -> None:
    """Files each under the limit but together past JIXIAO_UPLOAD_MAX_MB are refused, and none is kept."""
    settings.JIXIAO_UPLOAD_MAX_MB = 2
    client = login(people["finance"])
    response, _ = post_stream(client, [("一.txt", 1 * MB), ("二.txt", 1 * MB), ("三.txt", 1 * MB)])
    page = client.get(response["Location"]).content.decode()
    assert "一次上传的文件合计超过 2 MB，本次上传的文件均未保存：请分批上传。" in page
    _nothing_stored(Path(settings.MEDIA_ROOT))


def test_a_refused_type_leaves_no_received_file(people: dict[str, Any], login: Any, settings: Any) -> None:
    """An upload refused by the import (a wrong type) is deleted from ``incoming/`` with the request."""
    client = login(people["finance"])
    response, _ = post_stream(client, [(EXAMPLE.name, EXAMPLE.read_bytes()), ("程序.exe", b"MZ\x90\x00")])
    page = client.get(response["Location"]).content.decode()
    assert "程序.exe：不支持的文件类型" in page
    _nothing_stored(Path(settings.MEDIA_ROOT))
