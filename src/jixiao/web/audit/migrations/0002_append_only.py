"""The database refuses UPDATE and DELETE on the audit log (reliability.md: append-only).

On PostgreSQL a row trigger raises on UPDATE and DELETE. On SQLite the
same, except that DELETE is let through while the unmanaged table
``jixiao_audit_purge`` holds a row: only a test database ever writes one,
so that a test run can empty its tables between tests.
"""

from django.db import migrations

SQLITE = [
    "CREATE TABLE IF NOT EXISTS jixiao_audit_purge (allowed INTEGER NOT NULL)",
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END""",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_auditevent
       WHEN NOT EXISTS (SELECT 1 FROM jixiao_audit_purge)
       BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_no_update",
    "DROP TRIGGER IF EXISTS audit_no_delete",
    "DROP TABLE IF EXISTS jixiao_audit_purge",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION jixiao_audit_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION '审计日志只能追加，不能修改或删除'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION jixiao_audit_append_only()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_append_only ON audit_auditevent",
    "DROP FUNCTION IF EXISTS jixiao_audit_append_only()",
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = SQLITE if vendor == "sqlite" else POSTGRES if vendor == "postgresql" else []
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = SQLITE_REVERSE if vendor == "sqlite" else POSTGRES_REVERSE if vendor == "postgresql" else []
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
