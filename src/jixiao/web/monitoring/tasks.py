"""Monitoring's background tasks (django-tasks): an execution import applied; inline unless a worker backend is set."""

from __future__ import annotations

from django_tasks import task

from jixiao.web.monitoring.services import execution_jobs


@task()
def apply_execution(import_id: int) -> None:
    """Apply a confirmed execution import (minutes for a province's payments file)."""
    execution_jobs.run(import_id)
