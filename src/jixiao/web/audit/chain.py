"""The audit log's hash chain: each event sealed with the SHA-256 of its content and of the event before it.

The database triggers stop the application from changing or deleting an
event; they cannot stop someone who owns the PostgreSQL table or can write
the SQLite file. The chain makes such a change visible: :func:`verify`
recomputes every digest in order and names the first event that no longer
fits (changed, deleted in the middle, or the log cut short where a head
recorded earlier — an anchor, e.g. in a backup manifest — is gone).

Sealing gives an event its place (``seq``), the previous digest and its own
digest. It needs one writer at a time: on SQLite the transaction already
holds the database's write lock (``transaction_mode`` IMMEDIATE, settings.py),
so an event is sealed at once, in the transaction that writes it; on
PostgreSQL an advisory lock serialises sealers, and events are sealed right
after their transaction commits, so that a long import does not hold every
other writer's audit event behind its lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from django.db import connection, transaction
from django.utils.dateparse import parse_datetime

from jixiao.web.audit.models import AuditEvent

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

# An audit event's row as a cursor of either backend reads it (the column types differ between them).
Row: TypeAlias = dict[str, Any]

# What is sealed: every column but the chain's own. tests/web/audit keeps this equal to the model's fields,
# and migration 0003 lists the same columns in the SQLite trigger that allows sealing.
CONTENT_FIELDS = (
    "id",
    "at",
    "actor_id",
    "username",
    "ip",
    "event",
    "success",
    "object_type",
    "object_id",
    "organization_id",
    "request_id",
    "detail",
)
CHAIN_FIELDS = ("seq", "prev_digest", "digest")
GENESIS = "0" * 64
# any constant: the key of the PostgreSQL advisory lock that serialises sealers
_SEAL_LOCK = 0x6A69786961_0001


_TABLE = AuditEvent._meta.db_table
_COLUMNS = ", ".join(CONTENT_FIELDS)
_PAGE = 1000


def digest_of(prev_digest: str, seq: int, row: Row) -> str:
    """The SHA-256 of an event's content, its place in the chain and the digest before it."""
    content: dict[str, object] = {name: _plain(name, row[name]) for name in CONTENT_FIELDS}
    content["seq"] = seq
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_digest}\n{text}".encode()).hexdigest()


def _plain(name: str, value: object) -> object:
    """A column's value as JSON, the same whether the ORM or a plain cursor of either backend read it."""
    if value is None:
        return None
    if name == "at":
        when = value if isinstance(value, dt.datetime) else parse_datetime(str(value))
        if when is None:
            return str(value)  # not a time any more: hashed as it is, and so found changed
        if when.tzinfo is None:  # SQLite keeps UTC without a zone
            when = when.replace(tzinfo=dt.UTC)
        return when.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if name == "success":
        return bool(value)
    if name == "detail":
        return json.loads(value) if isinstance(value, (str, bytes)) else value
    if name == "ip":
        return str(value)  # psycopg may read an address as an ipaddress object
    return value


def _rows(cursor: CursorWrapper) -> list[Row]:
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def head() -> tuple[int, str] | None:
    """The last sealed event's place and digest, or None while nothing is sealed."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, digest FROM {_TABLE} WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1")
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else None


def seal_pending() -> int:
    """Seal every event not yet in the chain, in the order written; call it where no other sealer can run."""
    # plain statements: this runs for every event written, and the ORM's query building cost more than the queries
    last = head()
    seq, prev = last if last else (0, GENESIS)
    sealed, after = 0, 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT {_COLUMNS} FROM {_TABLE} WHERE seq IS NULL AND id > %s ORDER BY id LIMIT {_PAGE}", [after]
            )
            rows = _rows(cursor)
            for row in rows:
                seq += 1
                digest = digest_of(prev, seq, row)
                cursor.execute(
                    f"UPDATE {_TABLE} SET seq = %s, prev_digest = %s, digest = %s WHERE id = %s AND seq IS NULL",
                    [seq, prev, digest, row["id"]],
                )
                prev, after = digest, row["id"]
            sealed += len(rows)
            if len(rows) < _PAGE:
                return sealed


def seal_now() -> int:
    """Seal what is pending in a transaction of its own, holding the sealers' lock; the number sealed."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEAL_LOCK])
        return seal_pending()


def _seal_after_commit() -> None:
    seal_now()


def after_append() -> None:
    """Seal a just-written event: at once where the write lock is held (SQLite), else after the commit."""
    if connection.vendor == "sqlite":
        seal_pending()
        return
    # one sealing per transaction is enough: it seals every event the transaction wrote
    if not any(item[1] is _seal_after_commit for item in connection.run_on_commit):
        transaction.on_commit(_seal_after_commit, robust=True)


@dataclass(frozen=True)
class Verification:
    """What checking the chain found: how many events, the head, and the first break if any."""

    checked: int
    head: tuple[int, str] | None
    unsealed: int
    problem: str | None
    broken_id: int | None = None

    @property
    def ok(self) -> bool:
        """True when the chain is whole."""
        return self.problem is None


def _describe(row: Row) -> str:
    at = str(_plain("at", row["at"]))[:19].replace("T", " ")
    return f"编号 {row['id']}，{at} UTC，{row['username'] or '—'}，{row['event']}"


def _sealed_rows() -> Iterator[Row]:
    """The sealed events in chain order, a page at a time (a long log is never held in memory whole)."""
    after = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"SELECT {_COLUMNS}, seq, prev_digest, digest FROM {_TABLE}"
                f" WHERE seq IS NOT NULL AND seq > %s ORDER BY seq LIMIT {_PAGE}",
                [after],
            )
            rows = _rows(cursor)
            yield from rows
            if len(rows) < _PAGE:
                return
            after = rows[-1]["seq"]


def verify(anchor: tuple[int, str] | None = None) -> Verification:
    """Recompute the chain from its first event and name the first event that does not fit."""
    prev, expected, checked, last_id = GENESIS, 1, 0, None
    anchor_seen = anchor is None
    for row in _sealed_rows():
        seq = row["seq"]
        if seq != expected:
            missing = f"第 {expected} 条" if seq == expected + 1 else f"第 {expected}–{seq - 1} 条"
            return _broken(
                checked, f"审计日志缺少{missing}事件：第 {seq} 条（{_describe(row)}）之前的事件已被删除。", row
            )
        if row["prev_digest"] != prev:
            where = f"第 {seq - 1} 条" if seq > 1 else "链的开头"
            return _broken(
                checked, f"第 {seq} 条审计事件（{_describe(row)}）与{where}接不上：其前的事件被改动或替换。", row
            )
        if digest_of(prev, seq, row) != row["digest"]:
            return _broken(checked, f"第 {seq} 条审计事件（{_describe(row)}）的内容与其摘要不符：该事件被改动。", row)
        if anchor is not None and seq == anchor[0]:
            if row["digest"] != anchor[1]:
                return _broken(
                    checked, f"第 {seq} 条审计事件（{_describe(row)}）不是先前记下的那一条：日志在此处被重写。", row
                )
            anchor_seen = True
        prev, expected, checked, last_id = row["digest"], seq + 1, checked + 1, row["id"]
    current = (expected - 1, prev) if checked else None
    unsealed = _unsealed()
    if not anchor_seen:
        assert anchor is not None
        return Verification(
            checked, current, unsealed, f"先前记下的第 {anchor[0]} 条审计事件已不在日志中：日志末尾被删除。"
        )
    cut = _sqlite_cut(last_id)
    if cut:
        return Verification(checked, current, unsealed, cut)
    return Verification(checked, current, unsealed, None)


def _broken(checked: int, problem: str, row: Row) -> Verification:
    return Verification(checked, None, _unsealed(), problem, row["id"])


def _unsealed() -> int:
    return AuditEvent.objects.filter(seq__isnull=True).count()


def _sqlite_cut(last_id: int | None) -> str | None:
    """On SQLite, events written after the chain's last one and since removed (its id counter remembers them)."""
    if connection.vendor != "sqlite":
        return None  # PostgreSQL's sequences also move for rolled-back inserts: a gap there proves nothing
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [AuditEvent._meta.db_table])
        row = cursor.fetchone()
    written = int(row[0]) if row else 0
    newest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    if written > max(newest, last_id or 0):
        return f"审计日志曾写到编号 {written}，现在最后一条是编号 {newest or '（无）'}：末尾的事件已被删除。"
    return None
