"""``jixiao demo`` serves as production does: DEBUG off, its own Chinese error pages, static files, quiet logs.

The demo is started for real (a child process on a free port, with one example file), then asked for a
page that does not exist, a static file, and a page the signed-in person may not open; its log is read
after it stops.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "2024-self-evaluation-tabbed.txt"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Demo:
    """A running demo: its address, the process, and its output once stopped."""

    base: str
    process: subprocess.Popen[str]
    printed: str = ""  # what it printed before serving: the logins
    output: str = ""

    def login(self, username: str) -> str:
        """The password the demo printed for ``username``."""
        found = re.search(rf"^\s*\S+\s+{username}\s+(\S+)", self.printed, re.MULTILINE)
        assert found is not None, self.printed
        return found.group(1)

    def stop(self) -> str:
        """Stop the server (Ctrl+C, as a person would) and return everything it printed."""
        if self.process.stdout is None or self.process.stdout.closed:
            return self.output
        # runserver logs a request after answering it, from the request's thread: give the last one a moment
        time.sleep(1)
        if self.process.poll() is None:
            self.process.send_signal(2)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        out, _ = self.process.communicate()
        self.output = out
        return self.output


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    """``jixiao demo`` on a free port with one example file, until the test ends."""
    source = tmp_path / "examples"
    source.mkdir()
    shutil.copy(EXAMPLE, source)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIXIAO_", "DJANGO_")) and k != "DATABASE_URL"}
    code = "import sys; from jixiao.cli import main; sys.exit(main())"
    argv = ["demo", "--from", str(source), "--data-dir", str(tmp_path / "var"), "--addr", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        [sys.executable, "-c", code, *argv],
        cwd=tmp_path,
        env=env | {"PYTHONUNBUFFERED": "1", "COLUMNS": "200"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    demo = Demo(f"http://127.0.0.1:{port}", process)
    assert process.stdout is not None
    # the logins come first, then the line saying how to stop the server (read line by line until then)
    for line in process.stdout:
        demo.printed += line
        if "Ctrl+C" in line:
            break
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    else:
        demo.stop()
        pytest.fail(f"the demo did not start:\n{demo.printed}{demo.output}")
    yield demo
    demo.stop()


def _get(opener: urllib.request.OpenerDirector, url: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Status, content type and body of a request, errors included."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, body, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode()


def test_the_demo_serves_like_production(demo: Demo) -> None:
    """404 is the Chinese page (no URL map), static files are served, a 403 logs one line and no traceback."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    status, _, body = _get(opener, demo.base + "/no-such-page/")
    assert status == 404
    assert "没有找到该页面" in body
    assert "URLconf" not in body and "Page not found" not in body and "DEBUG = True" not in body

    status, kind, css = _get(opener, demo.base + "/static/jixiao/site.css")
    assert status == 200 and kind.startswith("text/css") and "table.sheet" in css

    # sign in as the system administrator (the demo printed the password) and open the 汇总表: 403
    status, _, page = _get(opener, demo.base + "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert status == 200 and token is not None
    status, _, _ = _get(
        opener,
        demo.base + "/accounts/login/",
        {"csrfmiddlewaretoken": token.group(1), "username": "sysadmin", "password": demo.login("sysadmin")},
    )
    assert status == 200  # redirected to the administrator's own page
    status, _, page = _get(opener, demo.base + "/work/summary/")
    assert status == 403 and "无权执行该操作" in page

    output = demo.stop()
    assert "Traceback" not in output, output
    assert "PermissionDenied" not in output
    requests = [line for line in output.splitlines() if '"GET /work/summary/ HTTP/1.1" 403' in line]
    assert len(requests) == 1, output
    # one line per request: nothing else mentions the refused page
    assert [line for line in output.splitlines() if "/work/summary/" in line] == requests
    assert len([line for line in output.splitlines() if "/no-such-page/" in line]) == 1, output
