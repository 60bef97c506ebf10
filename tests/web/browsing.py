"""Driving Debian's chromium with Playwright: the launch arguments, a signed-in person, full-page screenshots.

The ``browser`` and ``shots`` fixtures live in ``tests/web/conftest.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def cjk_fonts_installed() -> bool:
    """Whether fontconfig knows a Chinese font (Debian's fonts-noto-cjk): without one, pages screenshot as boxes."""
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    return bool(listed.strip())


def missing(chromium: str = CHROMIUM) -> str | None:
    """Why the browser tests cannot run here (no chromium, no CJK fonts), or None when they can."""
    if not Path(chromium).exists():
        return f"needs Debian's chromium ({chromium} not found): apt-get install chromium"
    if not cjk_fonts_installed():
        return "needs CJK fonts for the screenshots (fontconfig lists no Chinese font): apt-get install fonts-noto-cjk"
    return None


def require_browser(chromium: str = CHROMIUM) -> None:
    """Skip the calling test, with the reason, where the browser cannot run; fail instead under
    JIXIAO_REQUIRE_BROWSER=1 (set by .ci/run), so CI never skips them quietly."""
    reason = missing(chromium)
    if reason is None:
        return
    if os.environ.get("JIXIAO_REQUIRE_BROWSER"):
        pytest.fail(f"JIXIAO_REQUIRE_BROWSER is set: {reason}")
    pytest.skip(reason)


class Person:
    """One browser context per person, signed in through the login page."""

    def __init__(self, browser: Any, base: str, username: str) -> None:
        from tests.web.conftest import PASSWORD

        self.base = base
        self.context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        self.page = self.context.new_page()
        self.page.goto(f"{base}/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("main button[type=submit]")
        self.page.wait_for_url(f"{base}/work/")

    def open(self, path: str) -> Any:
        self.page.goto(self.base + path)
        return self.page

    def close(self) -> None:
        self.context.close()


def shot(page: Any, path: Path) -> None:
    """A full-page screenshot; the page is laid out again afterwards (sticky bars move during the capture)."""
    page.screenshot(path=str(path), full_page=True)
    # headless chromium keeps the capture's page size until the viewport really changes: change it twice
    page.set_viewport_size({"width": 1366, "height": 901})
    page.set_viewport_size({"width": 1366, "height": 900})
    page.wait_for_timeout(200)
