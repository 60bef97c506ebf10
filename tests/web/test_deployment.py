"""The guide's production settings pass `check --deploy --fail-level WARNING`; only the proxy's two may be silenced."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "deployment.md"
BASE = {
    "JIXIAO_ENV": "production",
    "JIXIAO_SECRET_KEY": secrets.token_urlsafe(60),
    "JIXIAO_ALLOWED_HOSTS": "jixiao.example.gov.cn",
}


def deploy_check(data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``manage.py check --deploy --fail-level WARNING`` under production settings plus ``env``."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_") and k != "DATABASE_URL"}
    environment |= BASE | {"JIXIAO_DATA_DIR": str(data_dir)} | env
    return subprocess.run(
        [sys.executable, "-m", "jixiao.web.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def guide_proxy_settings() -> dict[str, str]:
    """The variables the guide's block for a proxy that terminates HTTPS sets, as written there."""
    blocks = re.findall(r"```sh\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    (block,) = [b for b in blocks if "JIXIAO_HSTS_SECONDS=0" in b]
    return dict(re.findall(r"^(JIXIAO_\w+)=(\S+)$", block, flags=re.M))


def test_the_guides_settings_behind_a_tls_proxy_pass_the_deploy_check(tmp_path: Path) -> None:
    """With HSTS and the redirect left to the proxy exactly as the guide says, the deployment check is clean."""
    settings = guide_proxy_settings()
    assert settings["JIXIAO_HSTS_SECONDS"] == "0" and settings["JIXIAO_SSL_REDIRECT"] == "0"
    checked = deploy_check(tmp_path, **settings)
    assert checked.returncode == 0, checked.stderr + checked.stdout


def test_without_silencing_the_proxy_settings_warn(tmp_path: Path) -> None:
    """HSTS and the redirect turned off and nothing silenced: the check names both warnings (why the guide silences)."""
    checked = deploy_check(tmp_path, JIXIAO_HSTS_SECONDS="0", JIXIAO_SSL_REDIRECT="0")
    assert checked.returncode != 0
    assert "security.W004" in checked.stderr and "security.W008" in checked.stderr


def test_no_other_check_can_be_silenced(tmp_path: Path) -> None:
    """Silencing any other check (here: insecure session cookies) stops the application at start, in Chinese."""
    checked = deploy_check(tmp_path, JIXIAO_SILENCED_CHECKS="security.W004,security.W012")
    assert checked.returncode != 0
    assert "JIXIAO_SILENCED_CHECKS" in checked.stderr and "security.W012" in checked.stderr
    assert "只能" in checked.stderr
