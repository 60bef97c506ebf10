"""The kill -9 drill: an import interrupted in any phase, in the worker or in the web process, ends failed and can be
retried; nothing is half-written and no file is left without its row.

Real processes, really killed: ``manage.py db_worker`` (the deployment's worker) and gunicorn (the deployment's web
server, reading inline with the immediate task backend), both on this test's database and uploads folder.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import requests
from django.core.management import call_command
from django.db import connection

from jixiao.web.cycle.models import Declaration, SourceFile
from jixiao.web.imports.models import ImportJob
from tests.web.conftest import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "2024-self-evaluation-tabbed.txt"
NAMES = ("社区老年人助餐服务点运营补贴", "养老机构安全检查第三方服务费", "困难群众临时救助信息系统运维")
FILES = 24


def forms(count: int) -> list[tuple[str, bytes]]:
    """``count`` distinct self-evaluation files: the example with its three projects renamed per file."""
    text = EXAMPLE.read_text("utf-8")
    out = []
    for n in range(count):
        body = text
        for name in NAMES:
            body = body.replace(name, f"{name}（{n + 1:03d}）")
        out.append((f"自评表-{n + 1:03d}.txt", body.encode()))
    return out


@pytest.fixture
def site(settings: Any, tmp_path: Path) -> dict[str, str]:
    """The environment of this test's other processes: its database and its uploads folder."""
    data = tmp_path / "data"
    settings.MEDIA_ROOT = data / "uploads"
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{db['NAME']}"
    else:
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        url = f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{host}/{db['NAME']}"
    env = dict(os.environ, DATABASE_URL=url, JIXIAO_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="jixiao.web.settings")
    env.pop("JIXIAO_TASKS", None)
    return env


def wait_for(what: Callable[[], Any], seconds: float = 60, step: float = 0.02) -> Any:
    """Poll until ``what()`` is true; its value."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = what()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"still waiting after {seconds} s")


def job_in(job_id: int, *states: str, done: int = 0) -> bool:
    """The job is in one of ``states`` (with at least ``done`` files read)."""
    job = ImportJob.objects.get(pk=job_id)
    return job.state in states and job.done_files >= done


def kill(pid: int) -> None:
    """kill -9."""
    os.kill(pid, signal.SIGKILL)


def no_orphans(media: Path) -> None:
    """Every file under sources/ has its row, nothing is left half-received, and the sweep finds nothing to do."""
    named = {Path(media / name) for name in SourceFile.objects.values_list("stored", flat=True)}
    assert {p for p in (media / "sources").rglob("*") if p.is_file()} == named
    assert not list((media / "incoming").glob("*.part")) if (media / "incoming").exists() else True
    out = StringIO()
    call_command("sweep_imports", "--grace-minutes", "0", stdout=out)
    assert "清除无记录引用的文件 0 个、未完成的上传 0 个" in out.getvalue(), out.getvalue()


# --- the task worker ------------------------------------------------------------------------------------------


@pytest.fixture
def worker(site: dict[str, str], tmp_path: Path) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """Start ``manage.py db_worker`` as production runs it; every one started is stopped at the end."""
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        log = open(tmp_path / f"worker-{len(started)}.log", "wb")  # noqa: SIM115 - the worker writes here until stopped
        command = [sys.executable, "-m", "jixiao.web.manage", "db_worker", "--interval", "0.1", "--no-startup-delay"]
        process = subprocess.Popen(
            [*command, "--no-reload"], env=site | {"JIXIAO_TASKS": "database"}, stdout=log, stderr=log
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(20)


def test_a_worker_killed_while_reading_then_while_loading(
    people: dict[str, Any], login: Any, settings: Any, worker: Any, upload_files: Any
) -> None:
    """kill -9 of the worker while reading, then while loading: each time failed, retried, and in the end loaded."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # this process only queues
    client = login(people["finance"])
    job_id = upload_files(client, forms(FILES))
    first = worker()
    wait_for(lambda: job_in(job_id, ImportJob.State.READING, done=2))
    kill(first.pid)
    first.wait()

    page = client.get(f"/work/imports/{job_id}/").content.decode()  # the next look sees it
    job = ImportJob.objects.get(pk=job_id)
    assert job.state == ImportJob.State.FAILED and job.failed_step == "reading", job.problems
    assert "读取中断" in page and "重新读取" in page
    assert client.post(f"/work/imports/{job_id}/retry/").status_code == 302
    second = worker()
    wait_for(lambda: job_in(job_id, ImportJob.State.READ))
    job = ImportJob.objects.get(pk=job_id)
    assert job.done_files == FILES and not any(f.error for f in job.files.all())

    assert (
        client.post(f"/work/imports/{job_id}/confirm/", {"target_state": "approved", "create_units": "1"}).status_code
        == 302
    )
    wait_for(lambda: job_in(job_id, ImportJob.State.LOADING), step=0.005)
    kill(second.pid)
    second.wait()
    assert not Declaration.objects.exists()  # the transaction died with its process
    page = client.get(f"/work/imports/{job_id}/").content.decode()
    job = ImportJob.objects.get(pk=job_id)
    assert job.state == ImportJob.State.FAILED and job.failed_step == "loading" and "导入中断" in page

    client.post(f"/work/imports/{job_id}/confirm/", {"target_state": "approved", "create_units": "1"})
    worker()
    wait_for(lambda: job_in(job_id, ImportJob.State.DONE, ImportJob.State.FAILED))
    job = ImportJob.objects.get(pk=job_id)
    assert job.state == ImportJob.State.DONE, job.problems
    assert Declaration.objects.count() == 3 * FILES
    no_orphans(Path(settings.MEDIA_ROOT))


@pytest.fixture
def upload_files(django_capture_on_commit_callbacks: Any) -> Callable[[Any, list[tuple[str, bytes]]], int]:
    """Upload files on the import page; the job's id."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def _upload(client: Any, files: list[tuple[str, bytes]]) -> int:
        sent = [SimpleUploadedFile(name, data) for name, data in files]
        response = client.post("/work/imports/", {"files": sent})
        assert response.status_code == 302, response.content.decode()[:300]
        return int(response["Location"].rstrip("/").rsplit("/", 1)[1])

    return _upload


# --- the web process ------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


class Server:
    """gunicorn with one worker, reading and loading inline (the immediate task backend), as the demo runs."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        bind = f"127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "jixiao.web.wsgi", "--workers", "1", "--timeout", "300", "--bind", bind],
            env=env,
            stdout=self._log,
            stderr=self._log,
        )
        try:
            wait_for(self._up, 60, 0.1)
        except BaseException:
            self.stop()  # a server that never answered must not outlive the test
            raise

    def _up(self) -> bool:
        try:
            return requests.get(self.url + "/accounts/login/", timeout=10).status_code == 200
        except requests.RequestException:  # not listening yet, or its first request still loading Django
            return False

    def worker_pid(self) -> int:
        """The web process that serves the requests (gunicorn's master starts a new one when it dies)."""
        return int(wait_for(lambda: _children(self.process.pid), 30)[0])

    def session(self, username: str) -> requests.Session:
        """Signed in through the login page."""
        session = requests.Session()
        session.get(self.url + "/accounts/login/", timeout=10)
        token = session.cookies["csrftoken"]
        response = session.post(
            self.url + "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302, response.text[:300]
        return session

    def post(self, session: requests.Session, path: str, **kwargs: Any) -> requests.Response:
        """A form post, with its CSRF token, following no redirect."""
        data = dict(kwargs.pop("data", {}), csrfmiddlewaretoken=session.cookies["csrftoken"])
        return session.post(self.url + path, data=data, allow_redirects=False, timeout=300, **kwargs)

    def stop(self) -> None:
        """Stop gunicorn and its worker."""
        self.process.terminate()
        self.process.wait(20)
        self._log.close()


@pytest.fixture
def server(site: dict[str, str], tmp_path: Path, people: dict[str, Any], settings: Any) -> Iterator[Server]:
    """A gunicorn on this test's database and uploads; the finance reviewer's password hashed as it verifies it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # not the tests' fast one
    people["finance"].set_password(PASSWORD)
    people["finance"].save()
    web = Server(site, tmp_path / "gunicorn.log")
    yield web
    web.stop()


def _in_background(call: Callable[[], Any]) -> threading.Thread:
    """Run ``call`` in a thread whose connection may be cut by the kill (that is the point)."""

    def run() -> None:
        with contextlib.suppress(requests.RequestException):
            call()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_the_web_process_killed_while_reading_then_while_loading(
    people: dict[str, Any], server: Server, settings: Any
) -> None:
    """kill -9 of the web process reading inline, then loading inline: failed, retried, loaded in the end."""
    session = server.session(people["finance"].username)
    files = [("files", (name, data, "text/plain")) for name, data in forms(FILES)]
    victim = server.worker_pid()
    request = _in_background(lambda: server.post(session, "/work/imports/", files=files))
    job_id = wait_for(lambda: ImportJob.objects.values_list("pk", flat=True).first())
    wait_for(lambda: job_in(job_id, ImportJob.State.READING, done=2))
    kill(victim)
    request.join(30)

    page = session.get(f"{server.url}/work/imports/{job_id}/", timeout=30).text  # served by the new web process
    job = ImportJob.objects.get(pk=job_id)
    assert job.state == ImportJob.State.FAILED and job.failed_step == "reading" and "读取中断" in page
    assert server.post(session, f"/work/imports/{job_id}/retry/").status_code == 302  # read again, inline
    assert job_in(job_id, ImportJob.State.READ, done=FILES)

    victim = server.worker_pid()
    confirm = {"target_state": "approved", "create_units": "1"}
    request = _in_background(lambda: server.post(session, f"/work/imports/{job_id}/confirm/", data=confirm))
    wait_for(lambda: job_in(job_id, ImportJob.State.LOADING), step=0.005)
    kill(victim)
    request.join(30)
    assert not Declaration.objects.exists()
    page = session.get(f"{server.url}/work/imports/{job_id}/", timeout=30).text
    assert "导入中断" in page and ImportJob.objects.get(pk=job_id).failed_step == "loading"

    assert server.post(session, f"/work/imports/{job_id}/confirm/", data=confirm).status_code == 302
    job = ImportJob.objects.get(pk=job_id)
    assert job.state == ImportJob.State.DONE, job.problems
    assert Declaration.objects.count() == 3 * FILES
    no_orphans(Path(settings.MEDIA_ROOT))


def test_the_web_process_killed_during_an_upload_leaves_nothing_after_the_sweep(
    people: dict[str, Any], server: Server, settings: Any
) -> None:
    """An upload cut off by kill -9 leaves a partial file and no row; the sweep removes it."""
    session = server.session(people["finance"].username)
    boundary = "----jixiao-drill"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{session.cookies['csrftoken']}\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="大文件.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    size = 10 * 1024 * 1024
    connection_ = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection_.putrequest("POST", "/work/imports/")
    connection_.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection_.putheader("Content-Length", str(len(head) + size + len(f"\r\n--{boundary}--\r\n")))
    connection_.putheader("Cookie", "; ".join(f"{k}={v}" for k, v in session.cookies.items()))
    connection_.endheaders()
    connection_.send(head + b"%PDF-1.4\n" + bytes(2 * 1024 * 1024))  # a fifth of the file, then the process dies
    incoming = Path(settings.MEDIA_ROOT) / "incoming"
    partial = wait_for(
        lambda: [p for p in incoming.glob("upload-*.part") if p.stat().st_size > 0] if incoming.exists() else []
    )
    kill(server.worker_pid())
    connection_.close()
    assert partial[0].exists() and not ImportJob.objects.exists() and not SourceFile.objects.exists()
    out = StringIO()
    call_command("sweep_imports", "--grace-minutes", "0", stdout=out)
    assert "未完成的上传 1 个" in out.getvalue()
    assert not partial[0].exists()
    no_orphans(Path(settings.MEDIA_ROOT))
