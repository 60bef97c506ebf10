"""The security baseline: lockout, sessions, passwords, CSRF, headers, audit of logins and denials, append-only log."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jixiao.web.audit.models import AuditEvent
from tests.web.conftest import PASSWORD, declare

pytestmark = pytest.mark.django_db


def _events(kind: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=kind))


def test_five_failures_lock_the_account(people: dict[str, Any]) -> None:
    """After 5 wrong passwords even the right one is refused, and the lockout is audited."""
    client = Client()
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "staff_a1", "password": "wrong"})
        assert response.status_code in (200, 429)
    locked = client.post("/accounts/login/", {"username": "staff_a1", "password": PASSWORD})
    assert locked.status_code == 429
    assert "账户已锁定" in locked.content.decode()
    assert len(_events(AuditEvent.Type.LOGIN_FAILED)) >= 5
    assert all(e.username == "staff_a1" and not e.success for e in _events(AuditEvent.Type.LOGIN_FAILED))
    assert _events(AuditEvent.Type.LOCKOUT)
    assert settings.AXES_COOLOFF_TIME == 0.25  # 15 minutes


def test_login_and_logout_are_audited_with_address(people: dict[str, Any]) -> None:
    """A login and a logout each leave an event with the user and the client address."""
    client = Client(REMOTE_ADDR="10.1.2.3")
    assert client.post("/accounts/login/", {"username": "dept_a", "password": PASSWORD}).status_code == 302
    client.post("/accounts/logout/")
    (login,) = _events(AuditEvent.Type.LOGIN)
    (logout,) = _events(AuditEvent.Type.LOGOUT)
    assert login.actor == people["dept_a"] and login.ip == "10.1.2.3"
    assert logout.username == "dept_a"
    assert "password" not in str(login.detail).lower()


class Clock:
    """Django's clock (``timezone.now``, which sessions read), moved by hand."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def _session_writes(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return sum(1 for q in captured.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"])


def test_sessions_end_after_thirty_idle_minutes(
    people: dict[str, Any], login: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A session lives 30 minutes from its last request: use keeps it, 30 idle minutes end it."""
    clock = Clock(monkeypatch)
    client = login(people["staff_a1"])
    for _ in range(6):  # an hour of work, a request every ten minutes
        clock.advance(minutes=10)
        assert client.get("/work/").status_code == 200
    clock.advance(minutes=29)
    assert client.get("/work/").status_code == 200
    clock.advance(minutes=30, seconds=1)
    page = client.get("/work/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/")
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_a_session_is_written_at_most_once_a_minute(
    people: dict[str, Any], login: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Page views within a minute of the last write do not write the session; the next one does."""
    clock = Clock(monkeypatch)
    client = login(people["staff_a1"])
    assert [_session_writes(client, "/work/") for _ in range(3)] == [0, 0, 0]
    clock.advance(seconds=61)
    assert _session_writes(client, "/work/") == 1
    assert _session_writes(client, "/work/") == 0
    # and ends 30 minutes after that write, though the requests after it did not move it
    clock.advance(minutes=30, seconds=1)
    assert client.get("/work/").status_code == 302


def test_a_signed_out_or_anonymous_request_starts_no_session(people: dict[str, Any], login: Any) -> None:
    """The idle clock never makes a session for a visitor who is not signed in, nor revives a flushed one."""
    from django.contrib.sessions.models import Session

    anonymous = Client()
    assert anonymous.get("/").status_code == 200
    assert "sessionid" not in anonymous.cookies
    client = login(people["staff_a1"])
    assert Session.objects.count() == 1
    client.post("/accounts/logout/")
    client.get("/")
    assert Session.objects.count() == 0


def test_a_request_reads_the_person_with_account_and_organization(people: dict[str, Any], login: Any) -> None:
    """One query brings the signed-in user, their account and organization; a deactivated user is signed out."""
    client = login(people["staff_a1"])
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/work/")
    assert page.status_code == 200 and people["staff_a1"].account.organization.name in page.content.decode()
    reads = [q["sql"] for q in captured.captured_queries if '"accounts_account"' in q["sql"]]
    assert len(reads) == 1 and '"auth_user"' in reads[0] and '"orgs_organization"' in reads[0], reads
    people["staff_a1"].is_active = False
    people["staff_a1"].save()
    assert client.get("/work/").status_code == 302


def test_logout_flushes_the_session(people: dict[str, Any], login: Any) -> None:
    """After logout the old session no longer reaches any work page."""
    client = login(people["staff_a1"])
    assert client.get("/work/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/work/").status_code == 302


@pytest.mark.parametrize(
    "password", ["short1A!", "password1234", "1234567890123", "alllowercaseletters", "Abcdefghijk"]
)
def test_weak_passwords_are_refused(password: str) -> None:
    """Length, common passwords, all-digit and fewer than three character classes are refused."""
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_strong_password_passes() -> None:
    """A long password mixing classes is accepted."""
    validate_password("Zhang-san-2025")


def test_csrf_is_enforced(people: dict[str, Any], tree: Any) -> None:
    """A state-changing POST without the CSRF token is refused and changes nothing."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["staff_a1"])
    response = client.post(f"/work/declarations/{decl.pk}/act/submit/")
    assert response.status_code == 403
    decl.refresh_from_db()
    assert decl.state == "draft"


def test_security_headers_on_every_page() -> None:
    """nosniff, frame denial, a referrer policy and a content security policy on public pages."""
    response = Client().get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "X-Request-ID" in response


def test_denials_are_audited(people: dict[str, Any], login: Any) -> None:
    """A refused page is logged with who, where and why."""
    login(people["staff_a1"]).get("/audit/")
    (denied,) = _events(AuditEvent.Type.DENIED)
    assert denied.actor == people["staff_a1"] and not denied.success
    assert denied.detail["path"] == "/audit/"


def test_audit_log_is_append_only(people: dict[str, Any], tree: Any) -> None:
    """The database refuses to change or delete an audit event."""
    declare(people["staff_a1"], tree.unit_a1)
    event = AuditEvent.objects.first()
    assert event is not None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM jixiao_audit_purge")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(username="someone else")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.username == "staff_a1"


def test_a_failing_audit_write_rolls_the_change_back(people: dict[str, Any], tree: Any, monkeypatch: Any) -> None:
    """If the audit event cannot be written, the change it records is not kept either."""
    from jixiao.core.workflow import Action
    from jixiao.web.audit.models import AuditEvent
    from jixiao.web.cycle import services
    from jixiao.web.cycle.models import Declaration

    decl = declare(people["staff_a1"], tree.unit_a1)

    def broken(*args: object, **kwargs: object) -> None:
        raise DatabaseError("audit table unavailable")

    # the table itself fails, whichever service module writes the event
    monkeypatch.setattr(AuditEvent.objects, "create", broken)
    from tests.web.conftest import ctx

    with pytest.raises(DatabaseError):
        services.act(ctx(people["staff_a1"]), decl, Action.SUBMIT)
    assert Declaration.objects.get(pk=decl.pk).state == "draft"


def test_deployment_check_passes_with_production_settings(tmp_path: Any) -> None:
    """manage.py check --deploy --fail-level WARNING is clean under JIXIAO_ENV=production."""
    env = dict(os.environ)
    env.update(
        JIXIAO_ENV="production",
        JIXIAO_SECRET_KEY=secrets.token_urlsafe(60),
        JIXIAO_ALLOWED_HOSTS="jixiao.example.gov.cn",
        JIXIAO_DATA_DIR=str(tmp_path),
    )
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-m", "jixiao.web.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Any) -> None:
    """Production settings without JIXIAO_SECRET_KEY fail at start, naming the variable."""
    env = dict(os.environ, JIXIAO_ENV="production", JIXIAO_DATA_DIR=str(tmp_path))
    env.pop("JIXIAO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "jixiao.web.manage", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "JIXIAO_SECRET_KEY" in result.stderr
