"""Every error of the API as JSON: ``{"code": "...", "message": "...", "details": ...}``.

``code`` is a stable English word a program can branch on; ``message`` is
Chinese, for the person reading it. Nothing under ``/api/`` answers with an
HTML page: refusals of the access helpers, the services' validation and
conflicts, the loader, ninja's own parameter checks, wrong methods, unknown
paths and, should one happen, a server error all come out here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from jixiao.web.api.problems import chinese
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record

logger = logging.getLogger(__name__)

NOT_FOUND = "没有找到该记录，或您无权查看。"
CODES = {
    400: ("bad_request", "请求格式不正确，请求正文应为 JSON。"),
    401: ("unauthenticated", "请提供有效的访问令牌（Authorization: Bearer <令牌>），或先登录。"),
    403: ("forbidden", "您无权执行该操作。"),
    404: ("not_found", NOT_FOUND),
    405: ("method_not_allowed", "该地址不支持这种请求方法。"),
    409: ("conflict", "记录已被他人修改，或已经存在。"),
    413: ("too_large", "请求正文过大。"),
    422: ("invalid", "请求内容不符合要求。"),
    429: ("throttled", "请求过于频繁，请稍后再试。"),
    500: ("server_error", "服务器内部错误，请稍后重试；如果问题持续，请把请求编号告诉管理员。"),
}


class ApiError(Exception):
    """An answer the API gives on purpose: its status, code, Chinese message and details."""

    def __init__(
        self, status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}


def body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    """The JSON object of an error."""
    return {"code": code, "message": message, "details": details}


def json_error(status: int, code: str | None = None, message: str | None = None, details: Any = None) -> HttpResponse:
    """An error response outside ninja (unknown paths, wrong methods), in the same shape."""
    from jixiao.web.api.rendering import encode

    default_code, default_message = CODES.get(status, CODES[500])
    payload = body(code or default_code, message or default_message, details)
    return HttpResponse(encode(payload), status=status, content_type="application/json; charset=utf-8")


def install(api: NinjaAPI) -> None:
    """Replace ninja's error answers with ours, one handler per kind of refusal."""

    def answer(request: HttpRequest, status: int, code: str, message: str, details: Any = None) -> HttpResponse:
        response = api.create_response(request, body(code, message, details), status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="jixiao"'
        return response

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        if exc.status == 403:
            _audit_denied(request, exc.message)
        response = answer(request, exc.status, exc.code, exc.message, exc.details)
        for name, value in exc.headers.items():
            response[name] = value
        return response

    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or CODES[403][1]
        _audit_denied(request, message)
        return answer(request, 403, "forbidden", message)

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        # one message for "does not exist" and "not yours", so that ids are not confirmed
        return answer(request, 404, "not_found", NOT_FOUND)

    def on_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        problems = list(exc.messages)
        return answer(request, 422, "invalid", problems[0] if len(problems) == 1 else CODES[422][1], problems)

    def on_parameters(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        # each problem in Chinese, naming its place (problems.py); loc and type stay for programs
        details = [{"loc": list(e.get("loc", ())), "type": e.get("type"), "message": chinese(e)} for e in exc.errors]
        return answer(request, 422, "invalid", "请求参数不符合要求，见 details。", details)

    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return answer(request, 401, *CODES[401])

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code, message = CODES.get(exc.status_code, CODES[400])
        return answer(request, exc.status_code, code, message)

    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return answer(request, 413, *CODES[413])

    def on_anything(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return answer(request, 500, *CODES[500], {"request_id": getattr(request, "request_id", None)})

    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (ApiError, on_api_error),
        (PermissionDenied, on_denied),
        (Http404, on_not_found),
        (DjangoValidationError, on_invalid),
        (NinjaValidationError, on_parameters),
        (AuthenticationError, on_unauthenticated),
        (HttpError, on_http_error),
        (RequestDataTooBig, on_too_big),
        (Exception, on_anything),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)


def _audit_denied(request: HttpRequest, message: str) -> None:
    # as the pages' 403 handler does: a refused action is an audit event
    record(
        Context.of(request),
        AuditEvent.Type.DENIED,
        success=False,
        detail={"path": request.path, "method": request.method, "reason": message},
    )


def json_errors(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Wrap a ninja view so that its plain-text 405 becomes a JSON error (the Allow header kept)."""

    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allowed = response.get("Allow", "")
            response = json_error(405, details={"allowed": sorted(m.strip() for m in allowed.split(",") if m)})
            response["Allow"] = allowed
        return response

    return csrf_exempt(wrapper)  # ninja checks CSRF itself for session writes


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any other path under /api/: a JSON 404."""
    return json_error(404, message="接口中没有这个地址。")
