"""Driving Debian's chromium with Playwright: the launch arguments, a signed-in person, full-page screenshots.

The ``browser`` and ``shots`` fixtures live in ``tests/web/conftest.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


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
