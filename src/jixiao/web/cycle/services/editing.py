"""The one way a record's edit form is saved: locked, permitted, version-checked, audited by cell.

A declaration, a self-evaluation (and every record kind after them) is
edited the same way: its header fields set from the form, its rows
written by the kind's own function, its findings refreshed, and one audit
event holding only the cells that changed. Each kind says what differs:
which header fields, how its rows are read for the audit, and how the
posted rows are written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import transaction

from jixiao.core.workflow import Action
from jixiao.web.access import permit
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.cycle.models import Declaration, SelfEvaluation
from jixiao.web.cycle.services.common import ConflictError, changes, lock_unit_of, plain, snapshot, unit_of
from jixiao.web.cycle.services.findings import refresh_findings

R = TypeVar("R", Declaration, SelfEvaluation)  # the record kinds with an edit form


@dataclass(frozen=True)
class Edit(Generic[R]):
    """What one record kind's edit saves: its header fields, and its rows as the audit and the save see them.

    ``rows_key`` names the rows in the audit detail (``indicators``, ``rows``); ``read_rows`` gives the
    stored rows as plain values; ``posted_rows`` the submitted ones (kept with a conflict); ``write_rows``
    makes the stored rows the submitted ones; ``parent`` is the field ``full_clean`` leaves alone.
    """

    fields: Sequence[str]
    rows_key: str
    read_rows: Callable[[R], Any]
    posted_rows: Any
    write_rows: Callable[[R], None]
    parent: str


def save_edit(ctx: Context, model: type[R], stored: R, expected_version: int, data: dict[str, Any], edit: Edit[R]) -> R:
    """Save an edit of a draft or returned record; a stale version raises :class:`ConflictError` (nothing written)."""
    with transaction.atomic():
        lock_unit_of(stored)
        locked = model.objects.select_for_update().get(pk=stored.pk)
        permit(ctx.user, locked, Action.EDIT)
        before = snapshot(locked, edit.fields) | {edit.rows_key: edit.read_rows(locked)}
        if locked.version != expected_version:
            submitted = {k: plain(data.get(k)) for k in edit.fields if k in data}
            raise ConflictError(locked, submitted | {edit.rows_key: edit.posted_rows}, before)
        for key in edit.fields:
            if key in data:
                setattr(locked, key, data[key])
        locked.full_clean(exclude=[edit.parent])
        locked.version += 1
        locked.save()
        edit.write_rows(locked)
        refresh_findings(locked)
        after = snapshot(locked, edit.fields) | {edit.rows_key: edit.read_rows(locked)}
        detail = changes(before, after, edit.rows_key)
        record(ctx, AuditEvent.Type.UPDATE, obj=locked, organization=unit_of(locked), detail=detail)
        return locked
