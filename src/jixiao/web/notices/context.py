"""Template context: the signed-in person's count of unread notices, for the header's bell."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from jixiao.web.access import account_of
from jixiao.web.notices.models import Notice


def unread_notices(request: HttpRequest) -> dict[str, object]:
    """``unread_notices``: counted only when a page shows it (a business role's header), else never queried."""
    user = getattr(request, "user", None)

    def count() -> int:
        if account_of(user) is None or user is None:
            return 0
        return Notice.objects.filter(recipient=user, read_at__isnull=True).count()

    return {"unread_notices": SimpleLazyObject(count)}
