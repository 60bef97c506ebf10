"""The address throttle: an address that keeps failing to authenticate is refused for a while.

django-axes locks an account after five wrong passwords (at the client's address, see settings).
This is the other half of reliability.md's "by username, plus an IP throttle": failed logins and
failed API tokens, under any names, from one client address are counted over the lockout's window
(15 minutes); at ``JIXIAO_ADDRESS_FAILURES`` that address is refused until the count falls below it
again. No account is locked by it, so the same people sign in from anywhere else.

The count is read from the audit log, which already holds every failure with its address and
time (append-only: neither a successful login nor 解除锁定 erases an address's history). Requests
refused by the throttle are not written one by one, so an address cannot flood the log; the
moment an address reaches the limit is written once, as a lockout of scope "address".
"""

from __future__ import annotations

from datetime import timedelta

from axes.helpers import get_cool_off
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.middleware import client_ip, client_ip_is_own


def _window() -> timedelta:
    return get_cool_off() or timedelta(minutes=15)


def _counted_address(request: HttpRequest) -> str | None:
    """The address failures are counted under, or None when it is not the client's own (or the throttle is off)."""
    if settings.JIXIAO_ADDRESS_FAILURES <= 0 or not client_ip_is_own(request):
        return None
    return client_ip(request)


def _recent(address: str) -> QuerySet[AuditEvent]:
    since = timezone.now() - _window()
    return AuditEvent.objects.filter(event=AuditEvent.Type.LOGIN_FAILED, ip=address, at__gte=since)


def retry_after(request: HttpRequest) -> int:
    """Seconds until the request's address may try again: 0 when it is not throttled."""
    address = _counted_address(request)
    if address is None:
        return 0
    limit = settings.JIXIAO_ADDRESS_FAILURES
    # the newest LIMIT failures: the throttle lifts when the oldest of them leaves the window
    times = list(_recent(address).order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return 0
    return max(1, int((times[-1] + _window() - timezone.now()).total_seconds()) + 1)


def after_failure(request: HttpRequest) -> None:
    """Call once a failure is in the audit log: the failure that reaches the limit records the throttle."""
    address = _counted_address(request)
    if address is None or _recent(address).count() != settings.JIXIAO_ADDRESS_FAILURES:
        return
    record(
        Context.of(request),
        AuditEvent.Type.LOCKOUT,
        success=False,
        username="",
        detail={"scope": "address", "failures": settings.JIXIAO_ADDRESS_FAILURES, "minutes": _minutes()},
    )


def _minutes() -> int:
    return int(_window().total_seconds() // 60)


def message() -> str:
    """What a throttled address is told."""
    return f"本地址登录或认证失败次数过多，请 {_minutes()} 分钟后再试。其他地址的登录不受影响。"
