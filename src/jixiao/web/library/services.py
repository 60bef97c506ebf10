"""Every write to the library: curation by the finance bureau (rename, edit, merge, retire, promote) and refreshes.

Each curation step locks its entry, checks the role once, records what changed in the entry's
history (``LibraryChange``) and in the audit log, in one transaction. A field a person set is
added to the entry's ``curated`` list, which the refresh keeps (decision 0023).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jixiao.core.workflow import Role
from jixiao.web.access import role_of
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.library.models import (
    CURATED_FIELDS,
    LibraryChange,
    LibraryEntry,
    LibraryKey,
    LibraryRefresh,
    LibraryUse,
)

Action = LibraryChange.Action


def may_curate(ctx_or_user: Any) -> bool:
    """True for the finance bureau, the one role that curates the library."""
    user = ctx_or_user.user if isinstance(ctx_or_user, Context) else ctx_or_user
    return role_of(user) is Role.FINANCE_REVIEWER


def _require(ctx: Context) -> None:
    if not may_curate(ctx):
        raise PermissionDenied("只有财政部门可以维护指标库。")


def _plain(value: Any) -> Any:
    """A field's value as the history and the audit log store it (an owner by its name)."""
    if hasattr(value, "pk"):
        return str(value)
    return value


def _write(ctx: Context, entry: LibraryEntry, action: str, changes: dict[str, Any], reason: str) -> LibraryChange:
    """The history row and the audit event of one step (inside the caller's transaction)."""
    change = LibraryChange.objects.create(entry=entry, action=action, changes=changes, reason=reason, by=ctx.user)
    record(
        ctx,
        AuditEvent.Type.UPDATE,
        obj=entry,
        # the fields before and after, as every other update's audit says them (named by the entry's model)
        detail={
            "what": "指标库",
            "action": action,
            "code": entry.code,
            "before": {name: pair[0] for name, pair in changes.items()},
            "after": {name: pair[1] for name, pair in changes.items()},
            "reason": reason,
        },
    )
    return change


def _locked(entry: LibraryEntry) -> LibraryEntry:
    return LibraryEntry.objects.select_for_update().get(pk=entry.pk)


def edit(ctx: Context, entry: LibraryEntry, values: dict[str, Any], reason: str = "") -> LibraryEntry:
    """Set curated fields of ``entry`` (only ``CURATED_FIELDS``); a rename when only the name changes."""
    _require(ctx)
    unknown = set(values) - set(CURATED_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改的栏目：{'、'.join(sorted(unknown))}")
    with transaction.atomic():
        entry = _locked(entry)
        changes = {}
        for name, value in values.items():
            old = getattr(entry, name)
            if old != value:
                changes[name] = [_plain(old), _plain(value)]
                setattr(entry, name, value)
        if not changes:
            return entry
        if entry.valid_from and entry.valid_to and entry.valid_from > entry.valid_to:
            raise ValidationError("有效截止年度不能早于起始年度。")
        entry.curated = sorted(set(entry.curated) | set(changes))
        if "name" in changes:
            entry.search_text = "\n".join(dict.fromkeys([entry.name, entry.key, *entry.variants]))
        entry.save()
        action = Action.RENAME if set(changes) == {"name"} else Action.EDIT
        _write(ctx, entry, action, changes, reason)
    return entry


def _flag(ctx: Context, entry: LibraryEntry, field: str, value: bool, action: str, reason: str) -> LibraryEntry:
    _require(ctx)
    with transaction.atomic():
        entry = _locked(entry)
        if entry.merged_into_id is not None:
            raise ValidationError("该条目已并入其他条目，请在合并后的条目上操作。")
        if getattr(entry, field) == value:
            return entry
        setattr(entry, field, value)
        entry.curated = sorted({*entry.curated, field})
        entry.save(update_fields=[field, "curated"])
        _write(ctx, entry, action, {field: [not value, value]}, reason)
    return entry


def retire(ctx: Context, entry: LibraryEntry, reason: str) -> LibraryEntry:
    """Stop suggesting ``entry`` (it stays, with its history and statistics); a reason is required."""
    if not reason.strip():
        raise ValidationError("停用指标须说明理由。")
    return _flag(ctx, entry, "retired", True, Action.RETIRE, reason)


def restore(ctx: Context, entry: LibraryEntry, reason: str = "") -> LibraryEntry:
    """Suggest a retired entry again."""
    return _flag(ctx, entry, "retired", False, Action.RESTORE, reason)


def promote(ctx: Context, entry: LibraryEntry, reason: str = "") -> LibraryEntry:
    """Make ``entry`` a common indicator (共性指标)."""
    return _flag(ctx, entry, "common", True, Action.PROMOTE, reason)


def demote(ctx: Context, entry: LibraryEntry, reason: str = "") -> LibraryEntry:
    """Make ``entry`` project-specific (个性指标) again."""
    return _flag(ctx, entry, "common", False, Action.DEMOTE, reason)


def merge(ctx: Context, entry: LibraryEntry, into: LibraryEntry, reason: str) -> LibraryEntry:
    """Merge ``entry`` into ``into``: its names (cluster keys) and uses move there; the next refresh sums them."""
    _require(ctx)
    if not reason.strip():
        raise ValidationError("合并指标须说明理由。")
    with transaction.atomic():
        # both rows locked, in id order, so two opposite merges cannot deadlock
        locked = {
            e.pk: e for e in LibraryEntry.objects.select_for_update().filter(pk__in=[entry.pk, into.pk]).order_by("pk")
        }
        entry, into = locked[entry.pk], locked[into.pk]
        if entry.pk == into.pk:
            raise ValidationError("不能把条目并入它自己。")
        if entry.merged_into_id is not None or into.merged_into_id is not None:
            raise ValidationError("已并入其他条目的条目不能再合并，也不能作为合并目标。")
        entry.merged_into = into
        entry.curated = sorted({*entry.curated, "merged_into"})
        entry.save(update_fields=["merged_into", "curated"])
        # entries merged into this one earlier follow it
        LibraryEntry.objects.filter(merged_into=entry).update(merged_into=into)
        LibraryKey.objects.filter(entry=entry).update(entry=into)
        LibraryUse.objects.filter(entry=entry).update(entry=into)
        into.variants = {**into.variants, **{k: v + into.variants.get(k, 0) for k, v in entry.variants.items()}}
        into.search_text = "\n".join(dict.fromkeys([into.name, into.key, *into.variants]))
        into.save(update_fields=["variants", "search_text"])
        changes = {"merged_into": [None, into.code]}
        _write(ctx, entry, Action.MERGE, changes, reason)
        _write(ctx, into, Action.MERGE, {"merged_from": [None, entry.code]}, reason)
    return into


def start_refresh(ctx: Context) -> LibraryRefresh:
    """Start a refresh by the finance bureau: a run row now, the mining in the background (inline without a worker)."""
    _require(ctx)
    from jixiao.web.library.tasks import refresh

    with transaction.atomic():
        if LibraryRefresh.objects.filter(status=LibraryRefresh.Status.RUNNING).exists():
            raise ValidationError("指标库正在更新，请稍后再试。")
        run = LibraryRefresh.objects.create(by=ctx.user)
    refresh.enqueue(run.pk, ctx.user.pk if ctx.user else None, ctx.ip, ctx.request_id)
    run.refresh_from_db()
    return run
