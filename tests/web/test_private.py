"""The database, its folder and every uploaded file are readable by the application's user only (0600/0700)."""

from __future__ import annotations

import os
import secrets
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.web.cycle.models import SourceFile

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "2024-self-evaluation-tabbed.txt"


def mode(path: Path) -> int:
    """A file's permission bits."""
    return stat.S_IMODE(path.stat().st_mode)


def manage(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``python -m jixiao.web.manage ARGS`` on the embedded SQLite database in ``data_dir``, under a loose umask."""
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "JIXIAO_ENV")}
    environment |= {"JIXIAO_DATA_DIR": str(data_dir)} | env
    return subprocess.run(
        [sys.executable, "-m", "jixiao.web.manage", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        # the usual 022 of a shell or a service manager: what was created world-readable before
        preexec_fn=lambda: os.umask(0o022),
    )


def test_a_new_database_and_its_folder_are_private(tmp_path: Path) -> None:
    """The first migrate creates the data folder 0700 and the SQLite file (and its WAL files) 0600."""
    data_dir = tmp_path / "var"
    done = manage(data_dir, "migrate", "--no-input", "-v", "0")
    assert done.returncode == 0, done.stderr
    assert mode(data_dir) == 0o700
    database = data_dir / "jixiao.sqlite3"
    assert mode(database) == 0o600
    # while a connection writes, SQLite keeps the WAL files beside it: they take the database's mode
    old = os.umask(0o022)
    conn = sqlite3.connect(database)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        conn.execute("INSERT INTO django_migrations (app, name, applied) VALUES ('probe', 'probe', '2026-01-01')")
        conn.commit()
        for companion in (data_dir / "jixiao.sqlite3-wal", data_dir / "jixiao.sqlite3-shm"):
            assert mode(companion) == 0o600, companion
    finally:
        conn.close()
        os.umask(old)


@pytest.mark.django_db
def test_uploaded_files_are_private(settings: Any, tmp_path: Path, people: dict[str, Any], login: Any) -> None:
    """A file uploaded on the import page is stored 0600, in folders 0700 up to the uploads folder itself."""
    settings.MEDIA_ROOT = tmp_path / "media"
    old = os.umask(0o022)
    try:
        client: Client = login(people["finance"])
        upload = SimpleUploadedFile(EXAMPLE.name, EXAMPLE.read_bytes(), content_type="text/plain")
        assert client.post("/work/imports/", {"files": [upload]}).status_code == 302
    finally:
        os.umask(old)
    stored = Path(SourceFile.objects.get().stored.path)
    assert mode(stored) == 0o600
    folder = stored.parent
    while folder != tmp_path:
        assert mode(folder) == 0o700, folder
        folder = folder.parent


def test_the_deploy_check_warns_of_readable_data(tmp_path: Path) -> None:
    """A database file others can read (made by an older version, or copied) fails the deployment check, named."""
    data_dir = tmp_path / "var"
    assert manage(data_dir, "migrate", "--no-input", "-v", "0").returncode == 0
    database = data_dir / "jixiao.sqlite3"
    database.chmod(0o644)
    production = {
        "JIXIAO_ENV": "production",
        "JIXIAO_SECRET_KEY": secrets.token_urlsafe(60),
        "JIXIAO_ALLOWED_HOSTS": "jixiao.example.gov.cn",
    }
    checked = manage(data_dir, "check", "--deploy", "--fail-level", "WARNING", **production)
    assert checked.returncode != 0
    assert "jixiao.W201" in checked.stderr and str(database) in checked.stderr
    database.chmod(0o600)
    assert manage(data_dir, "check", "--deploy", "--fail-level", "WARNING", **production).returncode == 0


def test_the_demo_folder_is_private(tmp_path: Path) -> None:
    """``jixiao demo`` makes its data folder 0700 and its database 0600, like a real installation."""
    data_dir = tmp_path / "demo"
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "JIXIAO_ENV", "JIXIAO_DATA_DIR")}
    done = subprocess.run(
        [str(Path(sys.executable).parent / "jixiao"), "demo", "--no-serve", "--data-dir", str(data_dir)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=lambda: os.umask(0o022),
    )
    assert done.returncode == 0, done.stderr
    assert mode(data_dir) == 0o700
    assert mode(data_dir / "jixiao.sqlite3") == 0o600
