"""Writing the audit log: every service records its event in the same transaction as its change."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpRequest

from jixiao.web.audit import chain
from jixiao.web.audit.models import AuditEvent
from jixiao.web.orgs.models import Organization

_SECRET_WORDS = ("password", "passwd", "token", "secret", "密码")


@dataclass(frozen=True)
class Context:
    """Who acts and from where: what every service receives and every audit event records."""

    user: User | None  # None for command-line work and anonymous readers
    ip: str | None = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    @classmethod
    def of(cls, request: HttpRequest) -> Context:
        """The context of a web request."""
        current = getattr(request, "user", None)  # absent before the authentication middleware has run
        user = current if isinstance(current, User) and current.is_authenticated else None
        return cls(
            user=user,
            ip=getattr(request, "client_ip", None) or request.META.get("REMOTE_ADDR"),
            request_id=getattr(request, "request_id", uuid.uuid4().hex),
        )

    @classmethod
    def system(cls, user: User | None = None) -> Context:
        """A context for command-line work (the demo loader, imports run by an operator)."""
        return cls(user=user, ip=None)

    def person(self) -> User:
        """The acting person, for a write only a signed-in person may make (its permission check has run)."""
        if self.user is None:
            raise PermissionDenied("请先登录。")
        return self.user

    @property
    def username(self) -> str:
        """The acting user's login name, or 系统 for command-line work."""
        return self.user.get_username() if self.user is not None else "系统"


def clean_detail(detail: Mapping[str, object] | None) -> dict[str, object]:
    """The detail with anything that looks like a secret removed (never a password or token)."""
    if not detail:
        return {}
    out: dict[str, object] = {}
    for key, value in detail.items():
        if any(word in str(key).lower() for word in _SECRET_WORDS):
            continue
        out[str(key)] = clean_detail(value) if isinstance(value, dict) else value
    return out


def record(
    ctx: Context,
    event: str,
    *,
    obj: models.Model | None = None,
    success: bool = True,
    organization: Organization | None = None,
    detail: Mapping[str, object] | None = None,
    username: str | None = None,
) -> AuditEvent:
    """Append one audit event and seal it into the chain; call it inside the transaction of the change it records."""
    user = ctx.user if isinstance(ctx.user, User) else None  # never an anonymous reader, whoever built the context
    # the caller's transaction when there is one (no savepoint per event), else one for the event and its seal
    with transaction.atomic(savepoint=False):
        created = AuditEvent.objects.create(
            actor=user,
            username=username if username is not None else ctx.username,
            ip=ctx.ip,
            event=event,
            success=success,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            organization=organization,
            request_id=ctx.request_id,
            detail=clean_detail(detail),
        )
        chain.after_append()
    return created


def record_export(
    ctx: Context,
    what: str,
    fmt: str,
    *,
    obj: models.Model | None = None,
    organization: Organization | None = None,
    detail: Mapping[str, object] | None = None,
    username: str | None = None,
) -> AuditEvent:
    """Record that ``what`` (a form, the 汇总表) was downloaded or printed as ``fmt``, before it is served.

    Called by every view that hands out records as a file, so the audit log says who took which
    records away, from where, and when; written in its own transaction: a download that cannot be
    recorded is not served.
    """
    from django.db import transaction

    with transaction.atomic():
        return record(
            ctx,
            AuditEvent.Type.EXPORT,
            obj=obj,
            organization=organization,
            detail={"what": what, "format": fmt, **(detail or {})},
            username=username,
        )
