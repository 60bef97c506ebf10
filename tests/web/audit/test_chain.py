"""The audit log's hash chain: ``manage.py check_audit`` names the first event changed, removed or cut off.

The tampering here is what someone who can write the SQLite file, or who
owns the PostgreSQL table, can do: switch the triggers off and edit rows.
Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import importlib
import io
import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction

from jixiao.web.audit import chain
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from tests.web.conftest import declare

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("jixiao.web.audit.migrations.0003_ops_hash_chain")


@contextmanager
def triggers_off() -> Iterator[None]:
    """The append-only triggers switched off, as the file's writer or the table's owner could (undone with the test)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_no_update")
            cursor.execute("DROP TRIGGER audit_no_delete")
        else:
            # pending deferred foreign-key checks would forbid the ALTER TABLE
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
    yield


def check_audit(*args: str) -> str:
    """``manage.py check_audit --chain-only`` as an operator runs it; its output."""
    out = io.StringIO()
    call_command("check_audit", "--chain-only", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(*args: str) -> str:
    """The error ``check_audit`` stops with."""
    with pytest.raises(CommandError) as caught:
        check_audit(*args)
    return str(caught.value)


@pytest.fixture
def events(tree: Any, people: dict[str, Any]) -> list[AuditEvent]:
    """A few real events (two declarations and a login), sealed, in chain order."""
    declare(people["staff_a1"], tree.unit_a1)
    declare(people["staff_b1"], tree.unit_b1, name="教师培训经费")
    record(Context(user=people["dept_a"], ip="10.0.0.7"), AuditEvent.Type.LOGIN, organization=tree.dept_a)
    chain.seal_now()  # on PostgreSQL events are sealed after their commit, which a test's transaction never reaches
    return list(AuditEvent.objects.order_by("seq"))


def test_every_event_is_sealed_in_order_and_the_chain_verifies(events: list[AuditEvent]) -> None:
    """Each event gets the next place and the previous digest; check_audit says the log is whole and prints its head."""
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert [e.id for e in events] == sorted(e.id for e in events)
    assert events[0].prev_digest == chain.GENESIS
    assert all(b.prev_digest == a.digest for a, b in itertools.pairwise(events))
    output = check_audit()
    assert f"共 {len(events)} 条事件" in output
    assert f"{events[-1].seq}:{events[-1].digest}" in output


def test_a_changed_event_is_named(events: list[AuditEvent]) -> None:
    """An event edited behind the triggers' back is named by its place and id; the events before it are fine."""
    target = events[2]
    with triggers_off():
        AuditEvent.objects.filter(pk=target.pk).update(username="someone_else")
    problem = refused()
    assert f"第 3 条审计事件（编号 {target.pk}，" in problem and "被改动" in problem


def test_a_removed_event_is_named(events: list[AuditEvent]) -> None:
    """An event deleted from the middle of the log leaves a gap that check_audit names."""
    with triggers_off():
        AuditEvent.objects.filter(pk=events[1].pk).delete()
    problem = refused()
    assert "缺少第 2 条" in problem and f"编号 {events[2].pk}" in problem


def test_a_rewritten_tail_is_caught_by_the_anchor(events: list[AuditEvent]) -> None:
    """Rewriting the last events with recomputed digests keeps the chain consistent, but not the recorded head."""
    anchor = f"{events[-1].seq}:{events[-1].digest}"
    assert "完整" in check_audit("--anchor", anchor)
    forged = events[-2]
    with triggers_off():
        # the forger knows the algorithm: changes an event and reseals it and all after it
        AuditEvent.objects.filter(pk=forged.pk).update(username="forger")
        prev = events[-3].digest
        for event in events[-2:]:
            row = AuditEvent.objects.filter(pk=event.pk).values(*chain.CONTENT_FIELDS).get()
            digest = chain.digest_of(prev, event.seq, row)
            AuditEvent.objects.filter(pk=event.pk).update(prev_digest=prev, digest=digest)
            prev = digest
    assert "完整" in check_audit()  # without an anchor, a consistent forgery cannot be told from the truth
    problem = refused("--anchor", anchor)
    assert f"第 {events[-1].seq} 条审计事件" in problem and "重写" in problem


def test_a_cut_tail_is_found(events: list[AuditEvent]) -> None:
    """Deleting the newest events is found against the anchor, and on SQLite also by its id counter alone."""
    anchor = f"{events[-1].seq}:{events[-1].digest}"
    with triggers_off():
        AuditEvent.objects.filter(pk__in=[e.pk for e in events[-2:]]).delete()
    problem = refused("--anchor", anchor)
    assert f"第 {events[-1].seq} 条审计事件已不在日志中" in problem
    if connection.vendor == "sqlite":
        assert f"曾写到编号 {events[-1].pk}" in refused()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the purge permit table exists on SQLite only")
def test_a_log_emptied_through_the_purge_permit_is_found(events: list[AuditEvent]) -> None:
    """On SQLite anyone who can write the file can permit a purge and empty the log: check_audit says so."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO jixiao_audit_purge (allowed) VALUES (1)")
    AuditEvent.objects.all().delete()
    problem = refused()
    assert f"曾写到编号 {events[-1].pk}" in problem and "末尾的事件已被删除" in problem


def test_the_anchor_must_be_well_formed(events: list[AuditEvent]) -> None:
    """A mistyped anchor is refused in plain words, not taken for a broken log."""
    assert "序号:摘要" in refused("--anchor", "12:not-a-digest")


def test_only_the_sealing_may_change_an_event(events: list[AuditEvent], people: dict[str, Any]) -> None:
    """The database lets the chain columns be filled once; any other change to an event is refused."""
    sealed = events[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=sealed.pk).update(seq=999)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=sealed.pk).update(digest="0" * 64)
    # an event written without record() is not sealed yet: its content is still fixed
    loose = AuditEvent.objects.create(username="loose", event=AuditEvent.Type.LOGIN)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=loose.pk).update(seq=len(events) + 1, username="changed")
    assert chain.seal_now() == 1
    loose.refresh_from_db()
    assert loose.seq == len(events) + 1 and loose.username == "loose"
    assert "完整" in check_audit()


def test_the_sealed_columns_are_all_but_the_content() -> None:
    """Every column of an event is either sealed content or the chain itself (a new column must be sealed too)."""
    columns = {f.attname for f in AuditEvent._meta.concrete_fields}
    assert columns == set(chain.CONTENT_FIELDS) | set(chain.CHAIN_FIELDS)
    assert MIGRATION.CONTENT == chain.CONTENT_FIELDS


def test_events_sealed_by_the_migration_verify(tree: Any) -> None:
    """Events written before the chain existed are sealed by migration 0003 in a way check_audit accepts."""
    for n in range(5):
        AuditEvent.objects.create(username=f"old{n}", event=AuditEvent.Type.LOGIN, organization=tree.unit_a1)
    MIGRATION.seal_existing(apps, None)
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 0
    assert "共 5 条事件" in check_audit()


@pytest.mark.django_db(transaction=True)
def test_writers_at_once_make_one_chain(people: dict[str, Any]) -> None:
    """Eight writers appending at once (each in its own transaction) leave one unbroken chain, no place twice."""
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            barrier.wait()
            for k in range(10):
                with transaction.atomic():
                    record(Context(user=people["finance"]), AuditEvent.Type.EXPORT, detail={"writer": n, "k": k})
        except BaseException as exc:  # kept for the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 81))  # every event sealed after its commit, none left over, none twice
    assert "共 80 条事件" in check_audit()


def test_flush_cannot_empty_the_log(events: list[AuditEvent]) -> None:
    """manage.py flush (TRUNCATE on PostgreSQL, DELETE on SQLite) is refused and the log stays whole."""
    with connection.cursor() as cursor:
        # a session that has not asked for the test-database purge (conftest sets it for transactional tests)
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM jixiao_audit_purge")
        else:
            cursor.execute("RESET jixiao.audit_purge")
    with pytest.raises(CommandError):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == len(events)
    assert "完整" in check_audit()
