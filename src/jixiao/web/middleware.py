"""Per-request middleware: the context the services need for their audit events, and the idle-session clock."""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY as USER_KEY
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.utils import timezone

SEEN = "_jixiao_seen"  # the session key holding when the session was last written (Unix seconds)


class RequestContextMiddleware:
    """Give every request an id (also sent back as ``X-Request-ID``) and its client address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        # attr-defined: the app's own request attributes, read with getattr (audit.services.Context.of)
        request.request_id = request_id  # type: ignore[attr-defined]
        request.client_ip = client_ip(request)  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
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


NUL_REFUSED = "请求中含有不可见的控制字符（NUL，\\0），无法处理。请删除后重试。"


class NulByteMiddleware:
    """Refuse a request whose path, query string or form fields hold a NUL byte: 400 (422 in the API), before any view.

    PostgreSQL cannot store or even compare a text value containing NUL: a search for one was a
    server error on every page that filters by words (the portal, the lists, the summaries, the
    audit log). One check here covers every page and every parameter, those to come too.

    Form fields are checked in ``process_view``, after ``CsrfViewMiddleware`` has read them: only
    for views that check CSRF, so a view that chooses its own upload handlers (it must be exempt
    from the middleware's CSRF check to do so) is never made to parse its body early. JSON bodies
    are the API's schemas' to check.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or _has_nul(request.GET):
            return _refuse(request)
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., HttpResponseBase],
        args: tuple[object, ...],
        kwargs: dict[str, object],
    ) -> HttpResponse | None:
        """A form posted to a view that checks CSRF: refused when a field holds a NUL."""
        if request.method != "POST" or getattr(view, "csrf_exempt", False):
            return None
        if request.content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return None
        return _refuse(request) if _has_nul(request.POST) else None


def _has_nul(query: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())


def _refuse(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        from jixiao.web.api.errors import json_error

        # the API's word for a parameter that is not as documented (every operation documents its 422)
        return json_error(422, "invalid", NUL_REFUSED)
    return HttpResponseBadRequest(render_to_string("errors/400.html", {"message": NUL_REFUSED}, request))


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
