"""Helpers every page of the cycle shares: findings by row, the review history, review actions, conflicts."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from jixiao.core.review import Finding
from jixiao.core.workflow import REVIEW_ACTIONS, Action, State, allowed
from jixiao.web.access import Person, permit, role_of
from jixiao.web.audit.services import Context
from jixiao.web.cycle import services
from jixiao.web.cycle.forms import CommentForm
from jixiao.web.cycle.models import Declaration, StateChange

logger = logging.getLogger(__name__)


PAGE_SIZE = 50


def findings_by_row(findings: list[Finding]) -> tuple[dict[int, list[Finding]], list[Finding]]:
    rows: dict[int, list[Finding]] = defaultdict(list)
    general: list[Finding] = []
    for f in findings:
        if f.indicator_index is None:
            general.append(f)
        else:
            rows[f.indicator_index].append(f)
    return rows, general


# what the review history (cycle/history_of.html) shows of any entry, and of a state change
WHEN_AND_WHO = ("at", "by__username", "by__account__display_name")
HISTORY_FIELDS = (*WHEN_AND_WHO, "action", "old_state", "new_state", "comment")


def history_of(changes: Any) -> Any:
    """State changes with only what the history shows (read through the model's manager, not the record's
    related one, which would read each change's deferred record id again to link it back)."""
    return changes.select_related("by__account").only(*HISTORY_FIELDS)


def source_corrections(corrections: Any) -> Any:
    """Values corrected before the record's file was loaded: the printed source and the correction (history)."""
    return corrections.select_related("by__account").only(
        *WHEN_AND_WHO, "label", "source_value", "value", "reason", "file_name"
    )


def latest_return(record: services.Record) -> StateChange | None:
    """The latest return (退回意见, who and when) of a record that stands returned, else None."""
    if record.state != State.RETURNED.value:
        return None
    owner = {"declaration": record} if isinstance(record, Declaration) else {"evaluation": record}
    return (
        StateChange.objects.filter(**owner, action=Action.RETURN.value)
        .select_related("by__account__organization")
        .only(*WHEN_AND_WHO, "comment", "by__account__organization__name")
        .order_by("-at", "-id")
        .first()
    )


def actions_for(user: Person, state: str) -> list[Action]:
    role = role_of(user)
    if role is None:
        return []
    return [a for a in allowed(role, State(state)) if a in REVIEW_ACTIONS]


def act_on(
    request: HttpRequest,
    record: Any,
    action: Action,
    comment: str,
    detail: str,
    act: Callable[[Context, Any, Action, str], Any] = services.act,
) -> HttpResponse:
    """Take a review step through the record kind's ``act`` service; back to the record's page with what happened."""
    try:
        act(Context.of(request), record, action, comment)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"已{action.label}。")
    return redirect(detail, pk=record.pk)


def review_action(name: str) -> Action:
    """The review step an ``act/<name>/`` address names; editing, adjusting and deleting have their own pages."""
    try:
        action = Action(name)
    except ValueError:
        raise Http404("没有这个操作。") from None
    if action not in REVIEW_ACTIONS:
        raise Http404("没有这个操作。")
    return action


def act_posted(
    request: HttpRequest,
    record: Any,
    action: str,
    detail: str,
    act: Callable[[Context, Any, Action, str], Any] = services.act,
) -> HttpResponse:
    """A review step posted from a record's page (``act/<action>/``), with the reviewer's comment if any."""
    step = review_action(action)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return act_on(request, record, step, comment, detail, act)


def conflict_page(request: HttpRequest, conflict: services.ConflictError, retry: str) -> HttpResponse:
    """409: the record changed since it was opened; show both versions, overwrite nothing."""
    keys = sorted(set(conflict.current) | set(conflict.submitted))
    rows = [
        (
            k,
            json.dumps(conflict.current.get(k), ensure_ascii=False),
            json.dumps(conflict.submitted.get(k), ensure_ascii=False),
        )
        for k in keys
        if conflict.current.get(k) != conflict.submitted.get(k)
    ]
    return render(
        request,
        "cycle/conflict.html",
        {"record": conflict.record, "rows": rows, "retry": retry, "version": conflict.record.version},
        status=409,
    )


def save_posted(
    request: HttpRequest,
    record: Any,
    forms: tuple[Any, Any],
    fields: Sequence[str],
    update: Callable[[Context, Any, int, dict[str, Any], list[Any]], Any],
    rows_of: Callable[[Any], list[Any]],
    urls: tuple[str, str],
) -> HttpResponse | None:
    """Save a posted edit form (header ``form`` and its rows' ``formset``) through the kind's service.

    A response when saved (or stale); None when the page is drawn again with what was typed, to whom
    may edit the record only: the service decides on the locked row, a refused form here.
    """
    form, formset = forms
    if form.is_valid() and formset.is_valid():
        data = {k: form.cleaned_data[k] for k in fields}
        rows, version = rows_of(formset), form.cleaned_data["version"]
        return saved(request, lambda: update(Context.of(request), record, version, data, rows), form, *urls)
    permit(request.user, record, Action.EDIT)  # a form sent back with its errors: only to whom may edit
    return None


def saved(
    request: HttpRequest,
    save: Callable[[], Any],
    form: Any,
    edit: str,
    detail: str,
    act: Callable[[Context, Any, Action, str], Any] = services.act,
) -> HttpResponse | None:
    """Run an editor's save: where to go next (the editor again, or the submission), or None.

    None when the save was refused for what was typed: the reason is on ``form`` and the page is drawn
    again; a stale save is the conflict page, which overwrites nothing.
    """
    try:
        record = save()
    except services.ConflictError as conflict:
        return conflict_page(request, conflict, reverse(edit, args=[conflict.record.pk]))
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    messages.success(request, "已保存。")
    if "submit" in request.POST:
        return act_on(request, record, Action.SUBMIT, "", detail, act)
    return redirect(edit, pk=record.pk)
