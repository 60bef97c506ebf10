"""What the monitoring writes share: the row input, locks, stale saves, audit detail and the stored review."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.db import transaction

from jixiao.core.review import review_document
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.cycle.packs import pack_named
from jixiao.web.cycle.services.common import ConflictError, snapshot
from jixiao.web.cycle.shapes import MONITORING
from jixiao.web.monitoring.cache import bump
from jixiao.web.monitoring.documents import monitoring_document
from jixiao.web.monitoring.models import MonitoringFinding, MonitoringRecord, MonitoringRow
from jixiao.web.orgs.models import Organization

RECORD_FIELDS = MONITORING.header_names
ROW_FIELDS = tuple(f.name for f in MONITORING.editable)
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class MonitoringRowInput:
    """One monitoring row as the form posts it, by the approved indicator's id."""

    indicator_id: int
    actual: str = ""
    forecast: str = ""
    cause: tuple[str, ...] = ()
    deviation: str = ""
    likelihood: str = ""
    remedy: str = ""


def row_values(row: MonitoringRow | MonitoringRowInput) -> dict[str, Any]:
    """A row's fields as plain JSON values (the cause types as a list), for audit detail and comparisons."""
    values = snapshot(row, ROW_FIELDS)
    values["cause"] = list(values["cause"] or [])
    return values


def record_rows(rec: MonitoringRecord) -> list[dict[str, Any]]:
    """A record's rows as plain values, each with its approved indicator's id."""
    return [{"indicator": r.indicator_id} | row_values(r) for r in rec.rows.all()]


def lock(rec: MonitoringRecord) -> MonitoringRecord:
    """Lock the record's unit, then the record (the order every write in a unit takes), and return it as stored."""
    list(Organization.objects.select_for_update().filter(pk=rec.unit_id).only("pk"))
    return MonitoringRecord.objects.select_for_update().get(pk=rec.pk)


def audited_conflicts(update: F) -> F:
    """Record a refused stale save in its own transaction: the refused change itself rolled back."""

    @functools.wraps(update)
    def wrapper(ctx: Context, rec: MonitoringRecord, *args: Any, **kwargs: Any) -> Any:
        try:
            return update(ctx, rec, *args, **kwargs)
        except ConflictError as conflict:
            expected = kwargs.get("expected_version", args[0] if args else None)
            with transaction.atomic():
                record(
                    ctx,
                    AuditEvent.Type.CONFLICT,
                    obj=conflict.record,
                    success=False,
                    organization=rec.unit,
                    detail={"expected_version": expected, "current_version": conflict.record.version},
                )
            raise

    return wrapper  # type: ignore[return-value]


def reviewed(rec: MonitoringRecord, rows: Sequence[MonitoringRow] | None = None) -> list[MonitoringFinding]:
    """The review of the record as stored (the monitoring alerts among the findings), as unsaved rows to keep.

    Sets the record's counts (``errors``, ``warnings``, ``infos``) on the instance; the caller stores them.
    """
    findings = review_document(monitoring_document(rec, rows), pack_named(rec.rule_pack))
    counts = {s: sum(1 for f in findings if f.severity.value == s) for s in ("error", "warning", "info")}
    rec.errors, rec.warnings, rec.infos = counts["error"], counts["warning"], counts["info"]
    return [
        MonitoringFinding(
            record=rec,
            code=f.code[:60],
            severity=f.severity.value,
            indicator_index=f.indicator_index,
            indicator=(f.indicator or "")[:300],
            message=f.message,
        )
        for f in findings
    ]


COUNTS = ["errors", "warnings", "infos"]


def refresh_findings(rec: MonitoringRecord, rows: Sequence[MonitoringRow] | None = None) -> None:
    """Review the record as it is stored and keep what was found, with its counts (what lists and progress sum)."""
    found = reviewed(rec, rows)
    MonitoringFinding.objects.filter(record=rec).delete()
    MonitoringFinding.objects.bulk_create(found)
    MonitoringRecord.objects.filter(pk=rec.pk).update(errors=rec.errors, warnings=rec.warnings, infos=rec.infos)
    bump(rec.round_id)  # the round's page counts these alerts


def money_problems(budget: Decimal | None, executed: Decimal | None, forecast: Decimal | None) -> list[str]:
    """What the money of a monitoring form cannot be: negative, or a year's forecast below what is already paid."""
    problems = []
    for label, value in (("年度预算数", budget), ("截至监控日执行数", executed), ("全年预计执行数", forecast)):
        if value is not None and value < 0:
            problems.append(f"{label}不能为负数（填的是 {value}）。")
    if executed is not None and forecast is not None and 0 <= forecast < executed:
        problems.append(f"全年预计执行数 {forecast} 小于截至监控日执行数 {executed}：全年预计应包含已执行的部分。")
    return problems


def money_warnings(budget: Decimal | None, executed: Decimal | None, forecast: Decimal | None) -> list[str]:
    """What the money may be but should be explained: more paid or forecast than the year's budget."""
    warnings = []
    if budget is not None and executed is not None and executed > budget:
        warnings.append(f"截至监控日执行数 {executed} 超过年度预算数 {budget}，请核对或说明。")
    if budget is not None and forecast is not None and forecast > budget:
        warnings.append(f"全年预计执行数 {forecast} 超过年度预算数 {budget}，请核对或说明。")
    return warnings
