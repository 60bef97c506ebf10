"""Whether the database really keeps the audit log append-only for the role the application connects as.

The triggers refuse UPDATE, DELETE and TRUNCATE, but a table's owner (or a
superuser, or the owner of its schema) can disable or drop them. So in
production the application connects as a role that owns nothing and holds
only the privileges :func:`grant_statements` gives it; migrations run as
another role, the owner (docs/deployment.md, "Database roles").
:func:`problems` says, in Chinese, each way the current connection falls
short; the deployment check and ``manage.py check_audit`` report them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection

from jixiao.web.audit.chain import CHAIN_FIELDS, CONTENT_FIELDS
from jixiao.web.audit.models import AuditEvent

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

TABLE = AuditEvent._meta.db_table
POSTGRES_TRIGGERS = ("audit_append_only", "audit_no_truncate")
SQLITE_TRIGGERS = ("audit_no_update", "audit_no_delete")
# what a privilege on the audit table would let the application do
PRIVILEGES = (
    ("TRUNCATE", "可以清空审计日志"),
    ("DELETE", "删除只被触发器挡住，触发器一旦失效即可删除审计事件"),
    ("UPDATE", "修改只被触发器挡住，应只授予封存所需的 seq、prev_digest、digest 三列"),
    ("TRIGGER", "可以在审计日志表上另建触发器"),
)


def problems() -> list[str]:
    """Every way the current database connection could change or empty the audit log; empty when none."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            return _postgres(cursor)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
            present = {row[0] for row in cursor.fetchall()}
        return [
            f"审计日志表缺少触发器 {name}：数据库不再拒绝修改或删除审计事件。"
            for name in SQLITE_TRIGGERS
            if name not in present
        ]
    return []


def _one(cursor: CursorWrapper, sql: str, params: list[str] | None = None) -> object:
    cursor.execute(sql, params or [])
    row = cursor.fetchone()
    return row[0] if row else None


def _postgres(cursor: CursorWrapper) -> list[str]:
    found: list[str] = []
    role = _one(cursor, "SELECT current_user")
    if _one(cursor, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"):
        return [f"应用以超级用户 {role} 连接数据库：超级用户不受任何权限和触发器限制，请改用只有读写权限的角色。"]
    # membership counts as ownership: a member of the owning role can act as it
    if _one(
        cursor, "SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class WHERE oid = %s::regclass", [TABLE]
    ):
        found.append(
            f"应用的数据库角色 {role} 是审计日志表的所有者（或其成员）：可以清空该表、停用或删除其触发器。"
            "请用另一个角色执行迁移，应用用只有读写权限的角色连接。"
        )
    schema = str(  # the table was found above, so it has a schema
        _one(
            cursor,
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = %s::regclass",
            [TABLE],
        )
    )
    if _one(
        cursor, "SELECT pg_has_role(current_user, nspowner, 'USAGE') FROM pg_namespace WHERE nspname = %s", [schema]
    ):
        found.append(
            f"应用的数据库角色 {role} 是模式 {schema} 的所有者（或其成员，如数据库的所有者）：可以删除其中任何表。"
        )
    owned = _one(
        cursor,
        """SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'S') AND pg_has_role(current_user, c.relowner, 'USAGE')""",
        [schema],
    )
    if owned:
        found.append(f"应用的数据库角色 {role} 拥有模式 {schema} 中的 {owned} 个表或序列：应用的角色不应拥有任何对象。")
    for privilege, what in PRIVILEGES:
        if _one(cursor, "SELECT has_table_privilege(%s, %s)", [TABLE, privilege]):
            found.append(f"应用的数据库角色 {role} 对审计日志表有 {privilege} 权限：{what}。")
    if not _one(cursor, "SELECT has_table_privilege(%s, 'UPDATE')", [TABLE]):
        changeable = [
            c for c in CONTENT_FIELDS if _one(cursor, "SELECT has_column_privilege(%s, %s, 'UPDATE')", [TABLE, c])
        ]
        if changeable:
            found.append(f"应用的数据库角色 {role} 可以修改审计日志的 {'、'.join(changeable)} 列。")
    missing = [c for c in CHAIN_FIELDS if not _one(cursor, "SELECT has_column_privilege(%s, %s, 'UPDATE')", [TABLE, c])]
    if missing or not _one(cursor, "SELECT has_table_privilege(%s, 'INSERT')", [TABLE]):
        found.append(
            f"应用的数据库角色 {role} 不能写入或封存审计事件：请以迁移所用的角色执行 manage.py grant_app_role {role}。"
        )
    cursor.execute(
        "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [TABLE]
    )
    triggers = dict(cursor.fetchall())
    for name in POSTGRES_TRIGGERS:
        if name not in triggers:
            found.append(f"审计日志表缺少触发器 {name}：请以迁移所用的角色执行 manage.py migrate。")
        elif triggers[name] == "D":
            found.append(
                f"审计日志表的触发器 {name} 已被停用：请以表的所有者执行 ALTER TABLE {TABLE} ENABLE TRIGGER {name}。"
            )
    return found


def grant_statements(app_role: str, schema: str = "public") -> list[str]:
    """The statements, run by the owner, that let ``app_role`` use every table but only append to the audit log."""
    role = connection.ops.quote_name(app_role)
    db = connection.ops.quote_name(connection.settings_dict["NAME"])
    ns = connection.ops.quote_name(schema)
    table = connection.ops.quote_name(TABLE)
    chain = ", ".join(CHAIN_FIELDS)
    return [
        f"GRANT CONNECT ON DATABASE {db} TO {role}",
        f"GRANT USAGE ON SCHEMA {ns} TO {role}",
        # start from nothing, so that running this again after a migration leaves exactly these privileges
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {ns} FROM {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {ns} TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {ns} TO {role}",
        # the audit log: read and append; of updates only the sealing, which the trigger checks too
        f"REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON {table} FROM {role}",
        f"GRANT UPDATE ({chain}) ON {table} TO {role}",
        # tables a later migration creates get the same read-write privileges
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {ns} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {ns} GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]
