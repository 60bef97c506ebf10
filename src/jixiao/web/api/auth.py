"""Who is calling: a bearer token for programs, or the signed-in session for the application's own pages.

Either way ``request.user`` is the person, so the access helpers
(``visible_to``, ``get_for``, ``require``) and the audit context work
exactly as they do for the pages.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from jixiao.web.accounts import throttle
from jixiao.web.accounts.models import must_change_password
from jixiao.web.api.errors import ApiError
from jixiao.web.api.services import check_token, token_refused

PASSWORD_FIRST = "请先在页面上修改管理员设置的临时密码，再使用本系统。"


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``: a token made on the tokens page."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        """The token's person (also set as ``request.user``), or None; a failing address is refused first."""
        # before the token is even looked at: a throttled address learns nothing from its next guess
        wait = throttle.retry_after(request)
        if wait:
            raise ApiError(429, "throttled", throttle.message(), headers={"Retry-After": str(wait)})
        check = check_token(token.strip())
        if check.user is None:
            token_refused(request, check)
            return None
        request.user = check.user
        return check.user


class SignedInSession(SessionAuth):
    """The session cookie of a signed-in person; writes must carry the CSRF token, as on the pages."""

    def __call__(self, request: HttpRequest) -> Any:
        """The signed-in person, or None; a write without a valid CSRF token is refused."""
        # no session: answer None so the caller hears 401, not a CSRF complaint about a cookie it never had
        if not request.user.is_authenticated:
            return None
        if must_change_password(request.user):
            raise ApiError(403, "password_change_required", PASSWORD_FIRST)
        if check_csrf(request) is not None:
            raise ApiError(403, "csrf_failed", "CSRF 校验失败：请刷新页面后重试，程序请使用访问令牌。")
        return request.user
