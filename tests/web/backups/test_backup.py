"""``jixiao backup`` and ``jixiao restore`` as an operator runs them: a round trip that gives back every row and file.

Each test works on installations of its own (a data folder, and on
PostgreSQL a database of its own), made and driven through the installed
``jixiao`` command and ``manage.py`` in subprocesses, on the database the
suite runs on (SQLite, or PostgreSQL in CI).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = [ROOT / "examples" / "2024-self-evaluation-tabbed.txt", ROOT / "examples" / "2023-declarations-tabbed.txt"]
JIXIAO = str(Path(sys.executable).parent / "jixiao")
POSTGRES = connection.vendor == "postgresql"
# Upload as the finance bureau on the import page, the way a browser posts it.
UPLOAD = """
from pathlib import Path
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
client = Client()
client.force_login(get_user_model().objects.get(username="finance"))
files = [SimpleUploadedFile(p.name, p.read_bytes(), content_type="text/plain") for p in map(Path, {paths!r})]
response = client.post("/work/imports/", {{"files": files}})
assert response.status_code == 302, response.status_code
"""


def _admin_url(db: str = "postgres") -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{db}"


@dataclass
class Installation:
    """One jixiao installation: its data folder and, on PostgreSQL, its own database."""

    data_dir: Path
    database: str | None = None

    def env(self, **extra: str) -> dict[str, str]:
        """The environment the service would run with."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_") and k != "DATABASE_URL"}
        env["JIXIAO_DATA_DIR"] = str(self.data_dir)
        if self.database:
            env["DATABASE_URL"] = _admin_url(self.database)
        return env | extra

    def run(self, *argv: str, **extra: str) -> subprocess.CompletedProcess[str]:
        """A command (``jixiao …`` or ``python -m …``) in this installation's environment."""
        return subprocess.run(argv, env=self.env(**extra), capture_output=True, text=True, timeout=600)

    def manage(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``python -m jixiao.web.manage ARGS``."""
        return self.run(sys.executable, "-m", "jixiao.web.manage", *args)

    @property
    def uploads(self) -> Path:
        """The uploads folder."""
        return self.data_dir / "uploads"

    def rows(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every table's rows, sorted, read straight from the database (not through the application)."""
        if self.database:
            with psycopg.connect(_admin_url(self.database)) as conn:
                names = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
                return {t: sorted(map(tuple, conn.execute(f'SELECT * FROM "{t}"')), key=repr) for t in names}
        conn = sqlite3.connect(self.data_dir / "jixiao.sqlite3")
        try:
            names = [
                r[0]
                for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
            ]
            return {t: sorted(conn.execute(f'SELECT * FROM "{t}"'), key=repr) for t in names}
        finally:
            conn.close()

    def files(self) -> dict[str, str]:
        """Every uploaded file: its path under uploads/ and its SHA-256.

        The import jobs' lock files (``uploads/running/``, shared by the web and worker processes) are
        no uploads: a backup names only the files the database refers to, so they are left out here too.
        """
        return {
            p.relative_to(self.uploads).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in self.uploads.rglob("*")
            if p.is_file() and p.relative_to(self.uploads).parts[0] != "running"
        }

    def drop(self) -> None:
        """Remove the database (PostgreSQL) of this installation."""
        if self.database:
            with psycopg.connect(_admin_url(), autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)".encode())


def new_installation(folder: Path, template: Installation | None = None) -> Installation:
    """An empty installation, or a copy of ``template`` (its data folder and database)."""
    database = None
    if POSTGRES:
        database = f"jixiao_ops_bk_{secrets.token_hex(4)}"
        with psycopg.connect(_admin_url(), autocommit=True) as conn:
            source = f" TEMPLATE {template.database}" if template and template.database else ""
            conn.execute(f"CREATE DATABASE {database}{source}".encode())
    if template is not None:
        shutil.copytree(template.data_dir, folder)
    return Installation(folder, database)


@pytest.fixture(scope="module")
def populated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installation]:
    """An installation with the demo's people and records and two files uploaded on the import page."""
    site = new_installation(tmp_path_factory.mktemp("populated") / "var")
    try:
        demo = site.manage("demo", "--no-serve")
        assert demo.returncode == 0, demo.stderr
        kept = len(site.files())  # the demo's own evidence files (monitoring actions, 整改事项)
        uploaded = site.manage("shell", "-c", UPLOAD.format(paths=[str(p) for p in EXAMPLES]))
        assert uploaded.returncode == 0, uploaded.stderr
        assert len(site.files()) == kept + 2
        yield site
    finally:
        site.drop()


@pytest.fixture
def installations(populated: Installation, tmp_path: Path) -> Iterator[tuple[Installation, Installation]]:
    """A copy of the populated installation to back up, and an empty one to restore into."""
    source = new_installation(tmp_path / "source", template=populated)
    target = new_installation(tmp_path / "target")
    try:
        yield source, target
    finally:
        source.drop()
        target.drop()


def backup(site: Installation, folder: Path) -> Path:
    """``jixiao backup FOLDER``; the new backup's folder."""
    done = site.run(JIXIAO, "backup", str(folder))
    assert done.returncode == 0, done.stderr + done.stdout
    (made,) = folder.glob("jixiao-backup-*")
    return made


def test_a_restored_installation_has_every_row_and_file(installations: Any, tmp_path: Path) -> None:
    """Backup, restore into an empty installation: every table's rows and every upload are the same, checked apart."""
    source, target = installations
    before = source.rows()
    made = backup(source, tmp_path / "backups")
    manifest = json.loads((made / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"] == {t: len(rows) for t, rows in before.items()}
    assert {f["path"] for f in manifest["files"]} == {f"uploads/{name}" for name in source.files()}
    restored = target.run(JIXIAO, "restore", str(made))
    assert restored.returncode == 0, restored.stderr + restored.stdout
    assert "核对无误" in restored.stdout
    after = target.rows()
    head = manifest["audit_head"][0]
    for table, rows in before.items():
        if table == "audit_auditevent":  # the restore appends its own event after the backup's last
            seq = [c.name for c in _columns(target, table)].index("seq")
            assert [r for r in after[table] if r[seq] is not None and r[seq] <= head] == rows
            assert len(after[table]) == len(rows) + 1
        else:
            assert after[table] == rows, table
    assert target.files() == source.files()
    audited = target.manage("check_audit", "--chain-only", "--anchor", ":".join(map(str, manifest["audit_head"])))
    assert audited.returncode == 0, audited.stderr


def _columns(site: Installation, table: str) -> list[Any]:
    """The columns of ``table`` in the order SELECT * gives them."""
    if site.database:
        with psycopg.connect(_admin_url(site.database)) as conn:
            return list(conn.execute(f'SELECT * FROM "{table}" LIMIT 0').description or [])
    conn = sqlite3.connect(site.data_dir / "jixiao.sqlite3")
    try:
        return [type("C", (), {"name": d[0]}) for d in conn.execute(f'SELECT * FROM "{table}" LIMIT 0').description]
    finally:
        conn.close()


def test_a_backup_is_private_and_audited(installations: Any, tmp_path: Path) -> None:
    """Backup folders are 0700 and files 0600; the backup is an audit event of the installation."""
    source, _ = installations
    made = backup(source, tmp_path / "backups")
    for path in [made, *made.rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
    rows = source.rows()["audit_auditevent"]
    assert any('"step": "backup"' in str(r) or "'step': 'backup'" in str(r) for r in rows)


def test_a_damaged_backup_is_refused_and_nothing_changes(installations: Any, tmp_path: Path) -> None:
    """One changed byte in a backed-up upload: restore names that file and leaves the target as it was."""
    source, target = installations
    made = backup(source, tmp_path / "backups")
    victim = next(p for p in (made / "uploads").rglob("*") if p.is_file())
    data = bytearray(victim.read_bytes())
    data[0] ^= 1
    victim.write_bytes(bytes(data))
    refused = target.run(JIXIAO, "restore", str(made))
    assert refused.returncode == 1
    assert str(victim) in refused.stderr and "备份已损坏，没有恢复任何内容" in refused.stderr
    assert target.rows() == {} and not target.uploads.exists()


def test_restore_never_overwrites_data_unless_told(installations: Any, tmp_path: Path) -> None:
    """Restoring over a working installation is refused; with --replace it is done and the old uploads kept aside."""
    source, _ = installations
    made = backup(source, tmp_path / "backups")
    extra = source.uploads / "sources" / "zz" / "later.txt"
    extra.parent.mkdir(parents=True)
    extra.write_text("上传于备份之后", encoding="utf-8")
    refused = source.run(JIXIAO, "restore", str(made))
    assert refused.returncode == 1 and "--replace" in refused.stderr
    assert extra.exists()
    replaced = source.run(JIXIAO, "restore", "--replace", str(made))
    assert replaced.returncode == 0, replaced.stderr + replaced.stdout
    assert "sources/zz/later.txt" not in source.files()
    (kept,) = source.data_dir.glob("uploads.before-restore-*")
    assert (kept / "sources" / "zz" / "later.txt").exists()


def test_a_lost_upload_is_reported_and_the_rest_is_backed_up(installations: Any, tmp_path: Path) -> None:
    """An upload already missing at backup time: the backup completes, exits 1 and names it; restore says so too."""
    source, target = installations
    lost = sorted(source.files())[0]
    (source.uploads / lost).unlink()
    done = source.run(JIXIAO, "backup", str(tmp_path / "backups"))
    assert done.returncode == 1 and lost in done.stderr and "缺失" in done.stderr
    (made,) = (tmp_path / "backups").glob("jixiao-backup-*")
    restored = target.run(JIXIAO, "restore", str(made))
    assert restored.returncode == 0, restored.stderr
    assert "1 个上传文件缺失" in restored.stdout
    assert set(target.files()) == set(source.files())


def test_a_folder_that_is_no_backup_is_refused_in_plain_words(tmp_path: Path) -> None:
    """Restoring from a folder without a manifest says what is wrong, and changes nothing."""
    target = new_installation(tmp_path / "target")
    try:
        (tmp_path / "not-a-backup").mkdir()
        refused = target.run(JIXIAO, "restore", str(tmp_path / "not-a-backup"))
        assert refused.returncode == 1 and "manifest.json" in refused.stderr and "不是 jixiao backup" in refused.stderr
    finally:
        target.drop()


@pytest.mark.skipif(not POSTGRES, reason="pg_dump is PostgreSQL's tool; SQLite uses its own backup API")
def test_without_pg_dump_the_error_says_what_to_install(installations: Any, tmp_path: Path) -> None:
    """With no pg_dump on PATH the backup stops with a clear Chinese error and leaves no partial backup."""
    source, _ = installations
    done = source.run(JIXIAO, "backup", str(tmp_path / "backups"), PATH=str(Path(sys.executable).parent))
    assert done.returncode == 1 and "找不到 pg_dump" in done.stderr and "postgresql-client" in done.stderr
    assert list((tmp_path / "backups").iterdir()) == []
