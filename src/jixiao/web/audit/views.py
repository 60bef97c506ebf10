"""The audit log, readable by the audit administrator only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jixiao.core.workflow import Role
from jixiao.web.access import role_of
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.sentences import describe, object_name


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """The audit events, newest first, filterable by event type and user."""
    if role_of(request.user) is not Role.AUDIT_ADMIN:
        raise PermissionDenied("审计日志仅审计管理员可以查看。")
    qs = AuditEvent.objects.select_related("organization")
    event = request.GET.get("event", "")
    # not "user": that name is the signed-in person in every template (the header's name and 退出)
    username = request.GET.get("user", "").strip()
    if event in AuditEvent.Type.values:
        qs = qs.filter(event=event)
    if username:
        qs = qs.filter(username__icontains=username)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    # each event with its object's Chinese name and its detail as sentences (the stored JSON is for the chain)
    rows = [(e, object_name(e), describe(e)) for e in page]
    return render(
        request,
        "audit/list.html",
        {"page": page, "rows": rows, "types": AuditEvent.Type.choices, "event": event, "username_filter": username},
    )
