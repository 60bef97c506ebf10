"""Per-request context the services need for their audit events: where the request came from."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


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
    """The client's address; X-Forwarded-For only when deployment says a trusted proxy sets it."""
    if getattr(settings, "JIXIAO_TRUST_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None
