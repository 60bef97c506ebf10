"""Template context: the signed-in person's role and organization on every page."""

from __future__ import annotations

from django.http import HttpRequest

from jixiao.web.access import account_of
from jixiao.web.accounts.models import Account


def account(request: HttpRequest) -> dict[str, Account | None]:
    """``account`` (or None) for the page header and the menus."""
    return {"account": account_of(getattr(request, "user", None))}
