"""The database connection: PostgreSQL plans a page's repeated statements once per connection."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from django.db import connection

from jixiao.core.workflow import State
from tests.web.conftest import advance, declare

pytestmark = pytest.mark.django_db


def _options(**env: str) -> dict[str, Any]:
    """The default database's OPTIONS as the settings make them for ``env`` (no server needed)."""
    code = "import json; from jixiao.web.settings import DATABASES as d; print(json.dumps(d['default'].get('OPTIONS')))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={k: v for k, v in os.environ.items() if k != "JIXIAO_PG_PREPARED"}
        | {"DJANGO_SETTINGS_MODULE": "jixiao.web.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout) or {}  # type: ignore[no-any-return]


def test_postgres_prepares_statements_unless_told_not_to(tmp_path: Any) -> None:
    """On PostgreSQL statements are bound and prepared by the server; JIXIAO_PG_PREPARED=0 (PgBouncer) turns it off."""
    url = "postgres://jixiao@db.invalid:5432/jixiao"
    assert _options(DATABASE_URL=url, JIXIAO_DATA_DIR=str(tmp_path)) == {
        "server_side_binding": True,
        "prepare_threshold": 5,
    }
    off = _options(DATABASE_URL=url, JIXIAO_DATA_DIR=str(tmp_path), JIXIAO_PG_PREPARED="0")
    assert "server_side_binding" not in off and "prepare_threshold" not in off


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's (CI runs it)")
def test_a_page_viewed_again_uses_prepared_statements(tree: Any, people: dict[str, Any], login: Any) -> None:
    """After a few views of a record page its statements are prepared on the connection, and the page is unchanged."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    client = login(people["finance"])
    pages = [client.get(f"/work/declarations/{decl.pk}/") for _ in range(7)]
    assert all(p.status_code == 200 for p in pages)
    assert pages[-1].content.count(b"<tr") == pages[0].content.count(b"<tr")
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"cycle_declaration"' in sql for sql in prepared), prepared
