"""Refreshing the stored library from every record jixiao holds (decision 0023).

Every declaration past its draft is read once: through its self-evaluation when that is past its
draft too (the targets and what was achieved), else as the declaration. The core miner
(:class:`jixiao.core.library.Miner`) clusters the rows, with the curated merges as aliases, so a
merged name's rows land on the surviving entry. Statistics are rewritten; the fields a person set
(``LibraryEntry.curated``) are kept; entries no record uses any more are dropped unless a person
curated them. Everything is written in one transaction: readers see the old library or the new.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Prefetch
from django.utils import timezone

from jixiao.core.library import Entry, Miner, cluster_key, quartiles
from jixiao.core.model import Document
from jixiao.core.scoring.assess import assess, read_value
from jixiao.core.targets import Compound, Quantity
from jixiao.core.workflow import State
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.cycle.documents import declaration_document, evaluation_document
from jixiao.web.cycle.models import Declaration, EvaluationIndicator, SelfEvaluation
from jixiao.web.library.models import CURATED_FIELDS, LibraryEntry, LibraryKey, LibraryRefresh, LibraryUse

CHUNK = 500  # records read per round trip; memory stays flat however many the database holds
_DRAFT = State.DRAFT.value


@dataclass
class _Gathered:
    """What the web keeps beside the miner: each row's record and the achieved numbers by key and unit."""

    uses: list[tuple[str, int, str, str, str, bool | None]] = field(default_factory=list)
    achieved: dict[str, dict[str, list[Decimal]]] = field(default_factory=dict)


def _records() -> Iterator[tuple[Declaration, Document]]:
    """Every declaration past its draft as a core document: its self-evaluation's when that is past its draft."""
    rows = Prefetch("evaluation__indicators", queryset=EvaluationIndicator.objects.select_related("indicator"))
    queryset = (
        Declaration.objects.exclude(state=_DRAFT)
        .select_related("project__unit", "project__department", "evaluation")
        .prefetch_related("indicators", rows, "evaluation__fund_management")
        .order_by("pk")
    )
    for decl in queryset.iterator(chunk_size=CHUNK):
        try:
            ev: SelfEvaluation | None = decl.evaluation
        except SelfEvaluation.DoesNotExist:
            ev = None
        if ev is not None and ev.state != _DRAFT:
            # the prefetched rows: every approved indicator has its row, so they give the targets too
            yield decl, evaluation_document(ev, list(ev.indicators.all()))
        else:
            yield decl, declaration_document(decl, list(decl.indicators.all()))


def _numbers(text: str | None) -> list[Quantity]:
    value = read_value(text)
    if isinstance(value, Quantity):
        return [value]
    if isinstance(value, Compound):
        return [p.quantity for p in value.parts]
    return []


def _gather(
    decl: Declaration, document: Document, aliases: dict[str, str], keys: dict[str, str], out: _Gathered
) -> None:
    """Note each row's entry key, record and numbers (the miner keeps only aggregates)."""
    judged = document.kind.value != "target_declaration"
    for project in document.projects:
        for row in project.indicators:
            key = keys.get(row.name)
            if key is None:
                key = keys[row.name] = cluster_key(row.name)
            if not key:
                continue
            key = aliases.get(key, key)
            met: bool | None = None
            if judged and row.actual and row.target:
                a = assess(row.target, row.actual)
                met = a.met if a.scorable else None
                for q in _numbers(row.actual):
                    out.achieved.setdefault(key, {}).setdefault(q.unit or "", []).append(q.number)
            out.uses.append((key, decl.pk, row.name[:300], (row.target or "")[:300], (row.actual or "")[:300], met))


def _ranges(numbers: dict[str, list[Decimal]]) -> list[dict[str, Any]]:
    """Quartiles per unit, most used unit first, as JSON values (Decimals as exact strings)."""
    out = []
    for unit, nums in sorted(numbers.items(), key=lambda kv: -len(kv[1])):
        low, q1, median, q3, high = quartiles(nums)
        out.append(
            {"unit": unit, "count": len(nums), "min": str(low), "q1": str(q1), "median": str(median), "q3": str(q3)}
            | {"max": str(high)}
        )
    return out


def _search_text(name: str, key: str, variants: dict[str, int]) -> str:
    return "\n".join(dict.fromkeys([name, key, *variants]))


def _mined(entry: Entry, achieved: dict[str, list[Decimal]]) -> dict[str, Any]:
    """The columns a refresh writes from a mined entry (curated ones are filtered out by the caller)."""
    return {
        "name": entry.name[:300],
        "level1": entry.level1[:60],
        "level2": entry.level2[:60],
        "unit": entry.unit[:40],
        "direction": entry.direction,
        "common": entry.common,
        "sectors": list(entry.sectors),
        "uses": entry.uses,
        "projects": entry.projects,
        "departments": entry.departments,
        "years": list(entry.years),
        "variants": entry.variants,
        "directions": entry.directions,
        "targets": entry.to_json()["targets"],
        "achieved": _ranges(achieved),
        "assessed": entry.assessed,
        "met": entry.met,
        "mined_sectors": entry.sectors,
    }


_STATISTICS = ("uses", "projects", "departments", "years", "variants", "directions", "targets", "achieved")
_UPDATED = (*CURATED_FIELDS[:5], "sectors", "common", *_STATISTICS, "assessed", "met", "mined_sectors")


def refresh_library(ctx: Context, run: LibraryRefresh | None = None) -> LibraryRefresh:
    """Mine every record again and write the library, keeping what people curated; audited as one event."""
    run = run or LibraryRefresh.objects.create(by=ctx.user)
    # a merged name's key points at the surviving entry: the miner gathers its rows there
    aliases = dict(LibraryKey.objects.exclude(entry__key=F("key")).values_list("key", "entry__key"))
    miner = Miner(aliases=aliases)
    gathered = _Gathered()
    names: dict[str, str] = {}
    for decl, document in _records():
        miner.add(document)
        _gather(decl, document, aliases, names, gathered)
    library = miner.library()
    now = timezone.now()
    with transaction.atomic():
        existing = {e.key: e for e in LibraryEntry.objects.select_for_update()}
        seen: set[str] = set()
        created: list[LibraryEntry] = []
        updated: list[LibraryEntry] = []
        for mined in library.entries:
            seen.add(mined.key)
            values = _mined(mined, gathered.achieved.get(mined.key, {}))
            current = existing.get(mined.key)
            if current is None:
                created.append(LibraryEntry(code=mined.code, key=mined.key, refreshed_at=now, search_text="", **values))
                continue
            for name, value in values.items():
                # what a person set stays: the mined value only fills fields nobody curated
                if name not in current.curated:
                    setattr(current, name, value)
            current.refreshed_at = now
            updated.append(current)
        for entry in created:
            entry.search_text = _search_text(entry.name, entry.key, entry.variants)
        for entry in updated:
            entry.search_text = _search_text(entry.name, entry.key, entry.variants)
        LibraryEntry.objects.bulk_create(created, batch_size=500)
        LibraryEntry.objects.bulk_update(updated, [*_UPDATED, "search_text", "refreshed_at"], batch_size=500)
        # entries nobody uses any more: kept with empty statistics when curated or merged, else dropped
        gone = [e for key, e in existing.items() if key not in seen]
        keep = [e for e in gone if e.curated or e.merged_into_id is not None or e.merged.exists()]
        for entry in keep:
            entry.uses = entry.projects = entry.departments = entry.assessed = entry.met = 0
            entry.years, entry.targets, entry.achieved = [], [], []
            entry.variants, entry.directions = {}, {}
        LibraryEntry.objects.bulk_update(keep, [*_STATISTICS, "assessed", "met"], batch_size=500)
        kept = {e.pk for e in keep}
        LibraryEntry.objects.filter(pk__in=[e.pk for e in gone if e.pk not in kept]).delete()
        by_key = dict(LibraryEntry.objects.values_list("key", "pk"))
        known = set(LibraryKey.objects.values_list("key", flat=True))
        LibraryKey.objects.bulk_create(
            [LibraryKey(key=k, entry_id=pk) for k, pk in by_key.items() if k not in known], batch_size=500
        )
        LibraryUse.objects.all().delete()
        LibraryUse.objects.bulk_create(
            (
                LibraryUse(entry_id=by_key[key], declaration_id=decl, name=name, target=target, actual=actual, met=met)
                for key, decl, name, target, actual, met in gathered.uses
                if key in by_key
            ),
            batch_size=2000,
        )
        run.status = LibraryRefresh.Status.DONE
        run.finished_at = timezone.now()
        run.documents, run.indicators, run.entries = library.documents, library.indicators, len(by_key)
        run.message = (
            f"读取 {library.documents} 份表，{library.indicators} 行指标，得到 {len(library.entries)} 个条目。"
        )
        run.save()
        record(
            ctx,
            AuditEvent.Type.UPDATE,
            obj=run,
            detail={
                "what": "指标库更新",
                "documents": run.documents,
                "indicators": run.indicators,
                "entries": run.entries,
            },
        )
    return run
