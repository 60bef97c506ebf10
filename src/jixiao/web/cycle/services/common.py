"""What every write of the cycle shares: the record types, the inputs, stale saves, locks and audit detail."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.db import transaction

from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.cycle.models import Declaration, SelfEvaluation
from jixiao.web.cycle.shapes import DECLARATION, SELF_EVALUATION
from jixiao.web.orgs.models import Organization

# the header fields a person sets, and the row fields, from the records' shapes (cycle.shapes)
DECLARATION_FIELDS = DECLARATION.header_names
EVALUATION_FIELDS = SELF_EVALUATION.header_names
INDICATOR_FIELDS = DECLARATION.row_names
EVALUATION_ROW_FIELDS = SELF_EVALUATION.row_names

Record = Declaration | SelfEvaluation
P = ParamSpec("P")
R = TypeVar("R")
# a service takes the context and the one record it writes, then its own arguments
RecordT = TypeVar("RecordT", bound=Record)


class ConflictError(Exception):
    """A save that did not start from the current version: both versions travel with it."""

    def __init__(self, record: Record, submitted: dict[str, Any], current: dict[str, Any]) -> None:
        super().__init__(f"记录已被他人修改（当前版本 {record.version}）")
        self.record = record
        self.submitted = submitted
        self.current = current


@dataclass(frozen=True)
class IndicatorInput:
    """One indicator row as the declaration form posts it."""

    level1: str
    level2: str
    name: str
    target: str
    weight: Decimal | None


@dataclass(frozen=True)
class EvaluationRowInput:
    """One self-evaluation row as the form posts it, by the approved indicator's id."""

    indicator_id: int
    actual: str
    score: Decimal | None
    deviation: str
    score_reason: str


def plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def snapshot(obj: Any, fields: Sequence[str]) -> dict[str, Any]:
    """The named fields of ``obj`` as JSON-safe values (for audit detail and conflict pages)."""
    return {f: plain(getattr(obj, f)) for f in fields}


def changes(before: dict[str, Any], after: dict[str, Any], rows: str | None = None) -> dict[str, Any]:
    """What an edit changed, for its audit event: the header fields that differ, and per row only its changed cells.

    ``rows`` names the key holding the record's rows (lists of dicts). They are compared row by row, as
    ``{"<row number>": {field: value}}`` on each side, so a one-cell change holds that cell only; a row
    added or removed is held whole on the side that has it.
    """
    keys = [k for k in after if k != rows and before.get(k) != after.get(k)]
    out = {"before": {k: before.get(k) for k in keys}, "after": {k: after[k] for k in keys}}
    if rows is None:
        return out
    old, new = before.get(rows) or [], after.get(rows) or []
    was: dict[str, Any] = {}
    now: dict[str, Any] = {}
    for n in range(max(len(old), len(new))):
        a = old[n] if n < len(old) else None
        b = new[n] if n < len(new) else None
        if a is None or b is None:
            was[str(n + 1)], now[str(n + 1)] = a, b
            continue
        fields = [f for f in b if a.get(f) != b.get(f)]
        if fields:
            was[str(n + 1)] = {f: a.get(f) for f in fields}
            now[str(n + 1)] = {f: b[f] for f in fields}
    if was:
        out["before"][rows], out["after"][rows] = was, now
    return out


def indicator_rows(decl: Declaration) -> list[dict[str, Any]]:
    """A declaration's indicator rows as plain values (for audit detail and conflict pages)."""
    return [snapshot(i, INDICATOR_FIELDS) for i in decl.indicators.all()]


def evaluation_rows(ev: SelfEvaluation) -> list[dict[str, Any]]:
    """A self-evaluation's rows as plain values, each with its approved indicator's id."""
    return [{"indicator": r.indicator_id} | snapshot(r, EVALUATION_ROW_FIELDS) for r in ev.indicators.all()]


def lock_unit_of(record_: Record) -> None:
    """Lock the record's unit before the record itself.

    A write refreshes the cross-document findings of every record of its unit (their counts are on the
    records' rows), so every write in a unit takes the unit's lock first, then its record's: two writes
    in one unit then wait for each other instead of each holding a record the other must update.
    """
    path = "projects__declarations" if isinstance(record_, Declaration) else "projects__declarations__evaluation"
    list(Organization.objects.select_for_update(of=("self",)).filter(**{path: record_.pk}).only("pk"))


def unit_of(record: Record) -> Organization:
    decl = record if isinstance(record, Declaration) else record.declaration
    return decl.project.unit


def audited_conflicts(
    update: Callable[Concatenate[Context, RecordT, P], R],
) -> Callable[Concatenate[Context, RecordT, P], R]:
    """Record a refused stale save in its own transaction: the refused change itself rolled back."""

    @functools.wraps(update)
    def wrapper(ctx: Context, record_: RecordT, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return update(ctx, record_, *args, **kwargs)
        except ConflictError as conflict:
            expected = kwargs["expected_version"] if "expected_version" in kwargs else (args[0] if args else None)
            with transaction.atomic():
                record(
                    ctx,
                    AuditEvent.Type.CONFLICT,
                    obj=conflict.record,
                    success=False,
                    organization=unit_of(conflict.record),
                    detail={"expected_version": expected, "current_version": conflict.record.version},
                )
            raise

    return wrapper
