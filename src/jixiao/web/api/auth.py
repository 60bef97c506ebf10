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

from jixiao.web.api.errors import ApiError
from jixiao.web.api.services import user_for_token


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``: a token made on the tokens page."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        """The token's person (also set as ``request.user``), or None."""
        user = user_for_token(token.strip())
        if user is None:
            return None
        request.user = user
        return user


class SignedInSession(SessionAuth):
    """The session cookie of a signed-in person; writes must carry the CSRF token, as on the pages."""

    def __call__(self, request: HttpRequest) -> Any:
        """The signed-in person, or None; a write without a valid CSRF token is refused."""
        # no session: answer None so the caller hears 401, not a CSRF complaint about a cookie it never had
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise ApiError(403, "csrf_failed", "CSRF 校验失败：请刷新页面后重试，程序请使用访问令牌。")
        return request.user
