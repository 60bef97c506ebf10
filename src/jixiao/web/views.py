"""Error pages: a refused action is audited; a missing page says so in plain words."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: the user may see the record but not do this; the denial is audited."""
    message = str(exception) if exception and str(exception) else "您无权执行该操作。"
    record(
        Context.of(request),
        AuditEvent.Type.DENIED,
        success=False,
        detail={"path": request.path, "method": request.method, "reason": message},
    )
    return render(request, "errors/403.html", {"message": message}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: nothing here, or nothing this user may see (never told apart)."""
    return render(request, "errors/404.html", status=404)
