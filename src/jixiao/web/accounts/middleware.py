"""A person holding a password an administrator set reaches nothing but the page that changes it."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect

from jixiao.web.accounts.models import must_change_password

# what stays open: changing the password, signing out, and the public pages anyone may read
OPEN = {("accounts", "password_change"), ("accounts", "logout"), ("accounts", "login")}
PUBLIC_NAMESPACES = {"portal"}


class PasswordChangeRequiredMiddleware:
    """Send a person with a temporary password to the change-password page (the API answers 403 in JSON).

    三员分立: the system administrator who set the password could otherwise sign in and work as the
    account. The user is read with its temporary password in the same query (``AccountBackend``),
    so this costs no query on any request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., HttpResponseBase],
        args: tuple[object, ...],
        kwargs: dict[str, object],
    ) -> HttpResponseBase | None:
        """None to go on; a redirect (a JSON 403 under the API) while the password must be changed."""
        match = request.resolver_match
        if match is None or not must_change_password(getattr(request, "user", None)):
            return None
        if (match.app_name, match.url_name) in OPEN or match.app_name in PUBLIC_NAMESPACES:
            return None
        if match.namespace == "api:v1":
            from jixiao.web.api.auth import PASSWORD_FIRST
            from jixiao.web.api.errors import json_error

            return json_error(403, "password_change_required", PASSWORD_FIRST)
        messages.info(request, "请先修改管理员设置的临时密码。")
        return redirect("accounts:password_change")
