"""Copying the database out and back: SQLite through its online backup API, PostgreSQL through pg_dump and pg_restore.

A copy is one consistent moment: SQLite's backup API copies every page
under one read lock; on PostgreSQL, a repeatable-read transaction exports
its snapshot and pg_dump dumps exactly that snapshot, while the same
transaction counts the rows and lists the uploaded files. So the files a
backup holds are exactly those its database names.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection, connections, models, transaction

from jixiao.web.backups.manifest import BackupError
from jixiao.web.private import private_sqlite

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
# Uploads whose content digest the database records: the backup checks each copied file against it.
RECORDED_DIGESTS = {
    ("cycle", "SourceFile"): ("stored", "sha256"),
    ("monitoring", "EvidenceFile"): ("stored", "sha256"),
    ("rectification", "RectificationFile"): ("stored", "sha256"),
}


@dataclass
class Snapshot:
    """What the copied database holds: rows per table, migrations, the uploads it names, the audit log's head."""

    tables: dict[str, int]
    migrations: dict[str, str]
    files: dict[str, str | None]  # stored name -> its recorded SHA-256, if the database records one
    audit_head: tuple[int, str] | None


def snapshot(folder: Path) -> tuple[Path, Snapshot]:
    """Copy the database into ``folder`` (0600) and describe the copy."""
    if connection.vendor == "sqlite":
        return _sqlite_snapshot(Path(connection.settings_dict["NAME"]), folder / SQLITE_FILE)
    if connection.vendor == "postgresql":
        return _postgres_snapshot(folder / POSTGRES_FILE)
    raise BackupError(f"不支持备份 {connection.vendor} 数据库：jixiao 只支持 SQLite 和 PostgreSQL。")


def _describe(cursor: Any, tables: list[str]) -> Snapshot:
    """Count, list and read the head from a cursor on the copy (SQLite) or in the dumped snapshot (PostgreSQL)."""
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = int(cursor.fetchone()[0])
    migrations: dict[str, str] = {}
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        migrations = {app: name for app, name in cursor.fetchall()}
    files: dict[str, str | None] = {}
    for model in apps.get_models():
        if model._meta.db_table not in counts:
            continue
        recorded = RECORDED_DIGESTS.get((model._meta.app_label, model.__name__))
        for f in model._meta.concrete_fields:
            if not isinstance(f, models.FileField):
                continue
            digest = f'"{recorded[1]}"' if recorded and recorded[0] == f.name else "NULL"
            cursor.execute(f'SELECT "{f.column}", {digest} FROM "{model._meta.db_table}" WHERE "{f.column}" <> \'\'')
            files.update({name: sha for name, sha in cursor.fetchall()})
    head = None
    if "audit_auditevent" in counts:
        cursor.execute("SELECT seq, digest FROM audit_auditevent WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1")
        row = cursor.fetchone()
        head = (int(row[0]), str(row[1])) if row else None
    return Snapshot(counts, migrations, files, head)


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [r[0] for r in rows]


def _sqlite_snapshot(source: Path, out: Path) -> tuple[Path, Snapshot]:
    if not source.is_file():
        raise BackupError(f"{source}：数据库文件不存在。请检查 JIXIAO_DATA_DIR 或 DATABASE_URL。")
    private_sqlite(out)
    src, dst = sqlite3.connect(source, timeout=20), sqlite3.connect(out)
    try:
        src.backup(dst)  # every page under one read lock: a consistent copy of a live database
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        dst.close()
        src.close()
    copy = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
    try:
        return out, _describe(copy.cursor(), _sqlite_tables(copy))
    finally:
        copy.close()


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"找不到 {name}：PostgreSQL 的备份和恢复需要它。请安装 PostgreSQL 客户端"
            f"（Debian/Ubuntu：apt install postgresql-client，主版本不低于数据库服务器），并确保它在 PATH 中。"
        )
    return found


def _pg_environment() -> dict[str, str]:
    """The connection settings as libpq's environment variables (the password never on a command line)."""
    s = connection.settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if s.get(key):
            env[var] = str(s[key])
    if s.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(s["OPTIONS"]["sslmode"])
    return env


def _run(args: list[str]) -> None:
    done = subprocess.run(args, env=_pg_environment(), capture_output=True, text=True)
    if done.returncode != 0:
        name = Path(args[0]).name
        raise BackupError(f"{name} 失败（退出状态 {done.returncode}）：{done.stderr.strip()[-2000:]}")


def _postgres_snapshot(out: Path) -> tuple[Path, Snapshot]:
    pg_dump = _tool("pg_dump")
    out.touch(mode=0o600)  # pg_dump writes into it and keeps its mode
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot_id,) = cursor.fetchone()
        # pg_dump reads the very snapshot this transaction sees, held open until it is done
        name = connection.settings_dict["NAME"]
        _run([pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot_id}", f"--file={out}", name])
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
        return out, _describe(cursor, [r[0] for r in cursor.fetchall()])


def table_names() -> list[str]:
    """The tables the configured database holds now (none for a new, empty one)."""
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        if not path.is_file():
            return []
        conn = sqlite3.connect(path, timeout=20)
        try:
            return _sqlite_tables(conn)
        finally:
            conn.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
        return [r[0] for r in cursor.fetchall()]


def counts(tables: list[str]) -> dict[str, int | None]:
    """Rows per table in the configured database now; None for a table it does not have."""
    present = set(table_names())
    out: dict[str, int | None] = {}
    with connection.cursor() as cursor:
        for table in tables:
            if table in present:
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                out[table] = int(cursor.fetchone()[0])
            else:
                out[table] = None
    return out


def put_back(vendor: str, copy: Path, replace: bool) -> None:
    """Replace the configured database's content with the copy: all of it, or (on failure) none of it."""
    connections.close_all()  # nothing of this process may hold the database while it is replaced
    if vendor == "sqlite":
        target = Path(connection.settings_dict["NAME"])
        private_sqlite(target)
        src, dst = sqlite3.connect(f"file:{copy}?mode=ro", uri=True), sqlite3.connect(target, timeout=20)
        try:
            src.backup(dst)  # one step: the target changes in one transaction
        finally:
            dst.close()
            src.close()
        return
    args = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if replace:
        args += ["--clean", "--if-exists"]
    _run([*args, "--no-password", f"--dbname={connection.settings_dict['NAME']}", str(copy)])
    connections.close_all()
