"""The browser tests' own gate (tests/web/browsing.py): skipped with the reason where chromium or the CJK
fonts are missing, a failure instead where CI requires them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web import browsing


def test_a_missing_chromium_is_named_as_the_reason(tmp_path: Path) -> None:
    """Without chromium the reason says which file is missing and what to install."""
    absent = str(tmp_path / "chromium")
    assert browsing.missing(absent) == f"needs Debian's chromium ({absent} not found): apt-get install chromium"


def test_missing_cjk_fonts_are_a_reason_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With chromium present but no Chinese font known to fontconfig, the fonts are the reason."""
    chromium = tmp_path / "chromium"
    chromium.write_text("")
    monkeypatch.setenv("FONTCONFIG_FILE", str(tmp_path / "fonts.conf"))  # a fontconfig that knows no fonts
    (tmp_path / "fonts.conf").write_text("<?xml version='1.0'?><fontconfig><dir>/nonexistent</dir></fontconfig>")
    reason = browsing.missing(str(chromium))
    assert reason is not None and "fonts-noto-cjk" in reason


def test_the_gate_skips_unless_required(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """require_browser skips with the reason; under JIXIAO_REQUIRE_BROWSER=1 it fails with it."""
    absent = str(tmp_path / "chromium")
    monkeypatch.delenv("JIXIAO_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="needs Debian's chromium"):
        browsing.require_browser(absent)
    monkeypatch.setenv("JIXIAO_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="JIXIAO_REQUIRE_BROWSER is set: needs Debian's chromium"):
        browsing.require_browser(absent)
