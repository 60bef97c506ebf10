"""Per-request middleware: the context the services need for their audit events, and the idle-session clock."""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY as USER_KEY
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

SEEN = "_jixiao_seen"  # the session key holding when the session was last written (Unix seconds)


class RequestContextMiddleware:
    """Give every request an id (also sent back as ``X-Request-ID``) and its client address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = uuid.uuid4().hex  # type: ignore[attr-defined]
        request.client_ip = client_ip(request)  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
        return response


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; X-Forwarded-For only when deployment says a trusted proxy sets it.

    The audit log, the login lockout (``AXES_CLIENT_IP_CALLABLE``) and the address throttle all read
    it. The last hop of X-Forwarded-For is the one our own proxy appended: whatever a client wrote
    before it is ignored. A value that is not an address is never used (it would be stored).
    """
    if getattr(settings, "JIXIAO_TRUST_PROXY", False):
        forwarded = _address(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1])
        if forwarded:
            return forwarded
    return _address(request.META.get("REMOTE_ADDR", ""))


def client_ip_is_own(request: HttpRequest) -> bool:
    """Whether ``client_ip`` is the client's own address rather than a proxy's, shared by every client.

    Behind a proxy that is not trusted (``JIXIAO_TRUST_PROXY`` off, the request forwarded), every
    request has the proxy's address: counting failures by it would shut everyone out at once.
    """
    return bool(getattr(settings, "JIXIAO_TRUST_PROXY", False)) or "HTTP_X_FORWARDED_FOR" not in request.META


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


class IdleSessionMiddleware:
    """End a session ``SESSION_COOKIE_AGE`` after its last request, writing it at most once a minute.

    Django's ``SESSION_SAVE_EVERY_REQUEST`` gives the same idle timeout by writing the session on
    every request: a transaction and a commit on every page view. Here a session that is not
    otherwise changed is written only when its last write is ``JIXIAO_SESSION_REFRESH`` seconds
    (60) old, so it ends between 29 and 30 idle minutes after the last request, never later.
    Placed after ``SessionMiddleware``, so that it runs before the session is saved.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # only a signed-in session: a flushed one (logout) or a stale cookie must not start a new one
        if session is None or USER_KEY not in session:
            return response
        now = int(timezone.now().timestamp())
        seen = session.get(SEEN)
        if session.modified or not isinstance(seen, int) or now - seen >= settings.JIXIAO_SESSION_REFRESH:
            session[SEEN] = now  # marks the session modified: SessionMiddleware saves it with a new expiry
        return response
