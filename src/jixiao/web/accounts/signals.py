"""Login, logout, failures and lockouts go to the audit log."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record


def _context(request: HttpRequest | None, user: Any = None) -> Context:
    if request is None:
        return Context.system(user)
    base = Context.of(request)
    return Context(user=user if user is not None else base.user, ip=base.ip, request_id=base.request_id)


@receiver(user_logged_in)
def on_login(sender: object, request: HttpRequest | None, user: Any, **kwargs: object) -> None:
    """A successful login."""
    account = getattr(user, "account", None)
    record(_context(request, user), AuditEvent.Type.LOGIN, organization=getattr(account, "organization", None))


@receiver(user_logged_out)
def on_logout(sender: object, request: HttpRequest | None, user: Any, **kwargs: object) -> None:
    """A logout (the session is flushed by Django)."""
    if user is not None:
        record(_context(request, user), AuditEvent.Type.LOGOUT)


@receiver(user_login_failed)
def on_login_failed(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: object
) -> None:
    """A failed login, with the username tried (never the password)."""
    record(
        _context(request), AuditEvent.Type.LOGIN_FAILED, success=False, username=str(credentials.get("username", ""))
    )


@receiver(user_locked_out)
def on_lockout(
    sender: object, request: HttpRequest | None = None, username: str | None = None, **kwargs: object
) -> None:
    """An account locked after too many failures."""
    record(_context(request), AuditEvent.Type.LOCKOUT, success=False, username=username or "")
