"""Error pages: a refused action is audited; a missing page, a bad request or a server error says so in Chinese.

Every one of them is the site's own page, in production and in the demo alike (Django's debug pages,
which show the URL map and the settings, are never served outside development).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

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


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form without a valid CSRF token (an expired page, or a post from another site); audited."""
    record(
        Context.of(request),
        AuditEvent.Type.DENIED,
        success=False,
        detail={"path": request.path, "method": request.method, "reason": f"CSRF：{reason}"[:200]},
    )
    message = "页面已过期，或请求不是从本网站的页面提交的。请返回上一页，刷新后重新提交。"
    return render(request, "errors/403.html", {"message": message, "title": "无法提交"}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: nothing here, or nothing this user may see (never told apart)."""
    return render(request, "errors/404.html", status=404)


def _plain(template: str, status: int) -> HttpResponse:
    """An error page rendered without the request: no session, user or database is needed to draw it."""
    return HttpResponse(loader.get_template(template).render(), status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: a request the site cannot read (a wrong host name, a malformed form)."""
    return _plain("errors/400.html", 400)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: something failed on the server; the page promises nothing it cannot keep, and names no detail."""
    try:
        return _plain("errors/500.html", 500)
    except Exception:  # the page itself must never fail: fall back to a line of text
        return HttpResponseServerError(
            "<!doctype html><meta charset=utf-8><title>服务器出错</title><h1>服务器出错</h1><p>请稍后再试。</p>"
        )
