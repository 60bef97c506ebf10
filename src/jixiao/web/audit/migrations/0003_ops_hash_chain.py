"""The audit log's hash chain, and a guard against emptying the log with TRUNCATE (docs/reliability.md: audit).

Three columns seal each event into a chain (``jixiao.web.audit.chain``). The
triggers now let exactly one update through: the sealing, which fills the
three chain columns of an unsealed event and changes nothing else. Every
other UPDATE and every DELETE is still refused.

PostgreSQL also gets a statement-level BEFORE TRUNCATE trigger, so that
``manage.py flush`` or ``sqlflush`` run by the table's owner cannot empty
the log either. Only a test database (named ``test_…`` by Django) may be
emptied, and only by a session that sets ``jixiao.audit_purge`` to ``on``
(tests/web/conftest.py does, before a transactional test's tables are
emptied). The owner can still drop a trigger: in production the application
connects as a role that owns nothing (docs/deployment.md, ``check_audit``).

Events already in the log are sealed here, in the order they were written.
"""

import datetime as dt
import hashlib
import json

from django.db import migrations, models

# The content columns; jixiao.web.audit.chain.CONTENT_FIELDS lists the same (tests keep them equal).
CONTENT = (
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
_UNCHANGED = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in CONTENT)
_CHAIN = ("seq", "prev_digest", "digest")

SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_no_update", "DROP TRIGGER IF EXISTS audit_no_delete"]
SQLITE = [
    "CREATE TABLE IF NOT EXISTS jixiao_audit_purge (allowed INTEGER NOT NULL)",
    f"""CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditevent
       WHEN NOT (OLD.seq IS NULL AND NEW.seq IS NOT NULL AND {_UNCHANGED})
       BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END""",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_auditevent
       WHEN NOT EXISTS (SELECT 1 FROM jixiao_audit_purge)
       BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除'); END""",
]
# as in 0002, before the chain
SQLITE_0002 = [
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END""",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_auditevent
       WHEN NOT EXISTS (SELECT 1 FROM jixiao_audit_purge)
       BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除'); END""",
]
_JSONB_CONTENT = " - ".join(["to_jsonb({row})", *(f"'{c}'" for c in _CHAIN)])
POSTGRES = [
    # to_jsonb of the whole row: a column added later is covered without touching this function
    f"""CREATE OR REPLACE FUNCTION jixiao_audit_append_only() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
            AND {_JSONB_CONTENT.format(row="NEW")} = {_JSONB_CONTENT.format(row="OLD")} THEN
           RETURN NEW;
         END IF;
         RAISE EXCEPTION '审计日志只能追加，不能修改或删除';
       END; $$ LANGUAGE plpgsql""",
    r"""CREATE OR REPLACE FUNCTION jixiao_audit_no_truncate() RETURNS trigger AS $$
       BEGIN
         IF current_database() LIKE 'test\_%' AND current_setting('jixiao.audit_purge', true) = 'on' THEN
           RETURN NULL;
         END IF;
         RAISE EXCEPTION '审计日志只能追加，不能清空';
       END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION jixiao_audit_no_truncate()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditevent",
    "DROP FUNCTION IF EXISTS jixiao_audit_no_truncate()",
    """CREATE OR REPLACE FUNCTION jixiao_audit_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION '审计日志只能追加，不能修改或删除'; END; $$ LANGUAGE plpgsql""",
]


def _run(schema_editor, sqlite, postgres):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    for sql in sqlite if vendor == "sqlite" else postgres if vendor == "postgresql" else []:
        schema_editor.execute(sql, params=None)


def drop_sqlite_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, SQLITE_DROP, [])


def restore_sqlite_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, SQLITE_DROP + SQLITE_0002, [])


def guard(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, SQLITE, POSTGRES)


def unguard(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, SQLITE_DROP, POSTGRES_REVERSE)


def _plain(value):  # type: ignore[no-untyped-def]
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if value is not None and not isinstance(value, (str, int, float, bool, dict, list)):
        return str(value)
    return value


def seal_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Chain the events written before this migration, in the order written (the chain module's format)."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    prev = "0" * 64
    rows = AuditEvent.objects.order_by("id").values(*CONTENT).iterator(chunk_size=500)
    for seq, row in enumerate(rows, start=1):
        content = {c: _plain(row[c]) for c in CONTENT} | {"seq": seq}
        text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.sha256(f"{prev}\n{text}".encode()).hexdigest()
        AuditEvent.objects.filter(pk=row["id"]).update(seq=seq, prev_digest=prev, digest=digest)
        prev = digest


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, restore_sqlite_triggers),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(blank=True, editable=False, null=True, verbose_name="链序号"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_digest",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True, verbose_name="前一条摘要"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="digest",
            field=models.CharField(
                blank=True, editable=False, max_length=64, null=True, verbose_name="摘要（SHA-256）"
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(condition=models.Q(("seq__isnull", True)), fields=["id"], name="audit_unsealed"),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                condition=models.Q(("seq__isnull", False)), fields=("seq",), name="audit_unique_seq"
            ),
        ),
        migrations.RunPython(guard, unguard),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
    ]
