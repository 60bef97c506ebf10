"""The library refresh as a background task (django-tasks); inline unless a worker backend is configured."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils import timezone
from django_tasks import task

from jixiao.web.audit.services import Context
from jixiao.web.library.models import LibraryRefresh


@task()
def refresh(run_id: int, user_id: int | None, ip: str | None, request_id: str) -> None:
    """Mine every record into the library for the run ``run_id``; a failure is kept on the run, in Chinese."""
    from jixiao.web.library.refresh import refresh_library

    run = LibraryRefresh.objects.get(pk=run_id)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    try:
        refresh_library(Context(user=user, ip=ip, request_id=request_id), run)
    except Exception as exc:  # the page shows the run failed instead of it staying "running" forever
        LibraryRefresh.objects.filter(pk=run_id).update(
            status=LibraryRefresh.Status.FAILED, finished_at=timezone.now(), message=f"更新失败：{exc}"
        )
        raise
