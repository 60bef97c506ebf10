"""The deployment check of the audit log's protection: ``manage.py check --deploy --database default``.

It reads the database's catalogue, so like Django's own database checks it
runs only when a database is named (``--database default``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.apps import AppConfig
from django.core.checks import Error, Tags, register


@register(Tags.security, Tags.database, deploy=True)
def audit_log_protection(
    app_configs: Sequence[AppConfig] | None = None, databases: Sequence[str] | None = None, **kwargs: object
) -> list[Error]:
    """Errors for every way the application's database role could change or empty the audit log."""
    if not databases or "default" not in databases:
        return []
    from jixiao.web.audit import protection

    return [
        Error(problem, hint="见 docs/deployment.md「数据库角色」。", id="jixiao.E101")
        for problem in protection.problems()
    ]
