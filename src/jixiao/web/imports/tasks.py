"""The import steps as background tasks (django-tasks); inline unless a worker backend is configured."""

from __future__ import annotations

from django_tasks import task

from jixiao.web.imports import services


@task()
def read_files(job_id: int) -> None:
    """Read the files of an import job and prepare its preview."""
    services.read_job(job_id)


@task()
def load_files(job_id: int, user_id: int) -> None:
    """Load a confirmed import job."""
    services.load_job(job_id, user_id)
