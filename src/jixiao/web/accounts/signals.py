"""Login, logout, failures and lockouts go to the audit log."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from jixiao.web.accounts import throttle
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record


def _context(request: HttpRequest | None, user: User | None = None) -> Context:
    if request is None:
        return Context.system(user)
    base = Context.of(request)
    return Context(user=user if user is not None else base.user, ip=base.ip, request_id=base.request_id)


@receiver(user_logged_in)
def on_login(sender: object, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    """A successful login."""
    account = getattr(user, "account", None)
    record(_context(request, user), AuditEvent.Type.LOGIN, organization=getattr(account, "organization", None))


@receiver(user_logged_out)
def on_logout(sender: object, request: HttpRequest | None, user: User | None, **kwargs: object) -> None:
    """A logout (the session is flushed by Django)."""
    if user is not None:
        record(_context(request, user), AuditEvent.Type.LOGOUT)


@receiver(user_login_failed)
def on_login_failed(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: object
) -> None:
    """A failed login, with the username tried (never the password); it counts towards the address throttle."""
    # axes' receiver ran first (its app is installed before ours): the request says whether a lock refused it
    locked = bool(getattr(request, "axes_locked_out", False))
    record(
        _context(request),
        AuditEvent.Type.LOGIN_FAILED,
        success=False,
        username=str(credentials.get("username", "")),
        detail={"via": "login", "locked": locked},
    )
    if request is not None:
        throttle.after_failure(request)


@receiver(user_locked_out)
def on_lockout(
    sender: object, request: HttpRequest | None = None, username: str | None = None, **kwargs: object
) -> None:
    """An account locked after too many failures (once: the attempts it then refuses are failed logins)."""
    # axes also signals each attempt it refuses during a lockout; only the one that counted the failures
    # (and set their number on the request) starts the lock
    if request is not None and getattr(request, "axes_failures_since_start", None) is None:
        return
    record(
        _context(request), AuditEvent.Type.LOCKOUT, success=False, username=username or "", detail={"scope": "account"}
    )
