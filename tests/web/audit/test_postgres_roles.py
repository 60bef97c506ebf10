"""PostgreSQL: the application's role cannot empty or unprotect the audit log; the owner's mistakes are caught.

A database of its own per test, with the two roles docs/deployment.md sets
up (the owner that runs migrations, the application's role that owns
nothing), driven through manage.py in subprocesses as an operator would.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.db import connection

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="database roles are PostgreSQL's; CI runs the suite on it too"
    ),
    pytest.mark.slow,
]


@dataclass
class Cluster:
    """A fresh database owned by ``owner``, and ``app``, a role that owns nothing."""

    db: str
    owner: str
    app: str
    data_dir: Path

    def url(self, role: str) -> str:
        """The DATABASE_URL of the database for ``role``."""
        s = connection.settings_dict
        return f"postgres://{role}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{self.db}"

    def manage(self, role: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        """``python -m jixiao.web.manage ARGS`` connected as ``role``."""
        environment = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_")}
        environment |= {"DATABASE_URL": self.url(role), "JIXIAO_DATA_DIR": str(self.data_dir)} | env
        return subprocess.run(
            [sys.executable, "-m", "jixiao.web.manage", *args],
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def sql(self, role: str, statement: str) -> list[tuple[object, ...]]:
        """Run one statement as ``role``; its rows."""
        with psycopg.connect(self.url(role), autocommit=True) as conn:
            cur = conn.execute(statement.encode())
            return cur.fetchall() if cur.description else []


def _admin_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/postgres"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Two new roles and a database migrated by the first (a template for each test's), all dropped afterwards."""
    suffix = secrets.token_hex(4)
    data_dir = tmp_path_factory.mktemp("roles")
    c = Cluster(f"jixiao_ops_roles_{suffix}", f"jixiao_ops_owner_{suffix}", f"jixiao_ops_app_{suffix}", data_dir)
    with psycopg.connect(_admin_url(), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {c.owner} LOGIN".encode())
        conn.execute(f"CREATE ROLE {c.app} LOGIN".encode())
        conn.execute(f"CREATE DATABASE {c.db} OWNER {c.owner}".encode())
    try:
        done = c.manage(c.owner, "migrate", "--no-input", "-v", "0")
        assert done.returncode == 0, done.stderr
        yield c
    finally:
        with psycopg.connect(_admin_url(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {c.db} WITH (FORCE)".encode())
            conn.execute(f"DROP ROLE IF EXISTS {c.app}".encode())
            conn.execute(f"DROP ROLE IF EXISTS {c.owner}".encode())


@pytest.fixture
def cluster(migrated: Cluster, tmp_path: Path) -> Iterator[Cluster]:
    """A fresh copy of the migrated database, owned by the owner role, for one test."""
    c = Cluster(f"{migrated.db}_{secrets.token_hex(2)}", migrated.owner, migrated.app, tmp_path)
    with psycopg.connect(_admin_url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {c.db} TEMPLATE {migrated.db} OWNER {c.owner}".encode())
    try:
        yield c
    finally:
        with psycopg.connect(_admin_url(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {c.db} WITH (FORCE)".encode())


PRODUCTION = {
    "JIXIAO_ENV": "production",
    "JIXIAO_SECRET_KEY": secrets.token_urlsafe(60),
    "JIXIAO_ALLOWED_HOSTS": "jixiao.example.gov.cn",
}
COUNT = "SELECT count(*) FROM audit_auditevent"


WRITE = (
    "from jixiao.web.audit.services import Context, record; "
    "[record(Context.system(), 'settings_change', detail={'n': n}) for n in range(5)]"
)


def _events(c: Cluster, role: str, demo: bool = False) -> int:
    """Audit events written as ``role``: five, or the whole demo load (its people and records)."""
    done = c.manage(role, "demo", "--no-serve") if demo else c.manage(role, "shell", "-c", WRITE)
    assert done.returncode == 0, done.stderr
    (count,) = c.sql(c.owner, COUNT)[0]
    assert isinstance(count, int) and count >= 5
    return count


def test_connected_as_the_owner_the_log_is_still_not_emptied_and_the_check_fails(cluster: Cluster) -> None:
    """The old guide's setup (the application owns its tables): flush and sqlflush are refused; the check says why."""
    c = cluster
    count = _events(c, c.owner)
    flushed = c.manage(c.owner, "flush", "--no-input")
    assert flushed.returncode != 0 and "couldn't be flushed" in flushed.stderr  # Django's words; the cause follows
    statements = c.manage(c.owner, "sqlflush").stdout
    assert "TRUNCATE" in statements
    with pytest.raises(psycopg.errors.RaiseException, match="不能清空"):
        c.sql(c.owner, statements)
    assert c.sql(c.owner, COUNT) == [(count,)]
    checked = c.manage(c.owner, "check", "--deploy", "--database", "default", **PRODUCTION)
    assert checked.returncode != 0
    assert f"应用的数据库角色 {c.owner} 是审计日志表的所有者" in checked.stderr
    assert "jixiao.E101" in checked.stderr


def test_the_application_role_can_work_but_not_empty_or_unprotect_the_log(cluster: Cluster) -> None:
    """With grant_app_role, the application writes everything it needs, and every way to erase the log is refused."""
    c = cluster
    granted = c.manage(c.owner, "grant_app_role", c.app)
    assert granted.returncode == 0, granted.stderr
    count = _events(c, c.app, demo=True)  # the whole demo load, as the application's role
    attempts = [
        "TRUNCATE audit_auditevent",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER USER",
        "DROP TRIGGER audit_append_only ON audit_auditevent",
        "DROP TRIGGER audit_no_truncate ON audit_auditevent",
        "DELETE FROM audit_auditevent",
        "UPDATE audit_auditevent SET username = 'x'",
        "UPDATE audit_auditevent SET seq = seq + 1000",
        "CREATE TRIGGER sneak BEFORE INSERT ON audit_auditevent"
        " FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()",
    ]
    for statement in attempts:
        with pytest.raises((psycopg.errors.InsufficientPrivilege, psycopg.errors.RaiseException)):
            c.sql(c.app, statement)
    flushed = c.manage(c.app, "flush", "--no-input")
    assert flushed.returncode != 0
    assert c.sql(c.owner, COUNT) == [(count,)]
    audited = c.manage(c.app, "check_audit")
    assert audited.returncode == 0, audited.stderr
    assert f"共 {count} 条事件" in audited.stdout
    checked = c.manage(c.app, "check", "--deploy", "--database", "default", "--fail-level", "ERROR", **PRODUCTION)
    assert checked.returncode == 0, checked.stderr
    backed_up = c.manage(c.app, "backup", str(c.data_dir / "backups"))  # the nightly backup needs no owner
    assert backed_up.returncode == 0, backed_up.stderr


def test_a_disabled_trigger_is_reported(cluster: Cluster) -> None:
    """If the owner switches a guard off, the application's check_audit says which, and fails."""
    c = cluster
    assert c.manage(c.owner, "grant_app_role", c.app).returncode == 0
    c.sql(c.owner, "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_no_truncate")
    audited = c.manage(c.app, "check_audit")
    assert audited.returncode != 0
    assert "触发器 audit_no_truncate 已被停用" in audited.stderr
