"""An execution import confirmed on the page and applied in the background, as the reviewer and an operator see it.

No worker runs in these tests (the dummy task backend keeps what is enqueued): the test plays the worker
by running the task's function, holds its lock as a live worker would, or leaves it free as a killed one.
"""

from __future__ import annotations

import os
import time
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from jixiao.core.workflow import Action
from jixiao.web.audit.models import AuditEvent
from jixiao.web.imports.running import JobLock, lock_folder
from jixiao.web.monitoring import execution_files, services
from jixiao.web.monitoring.models import ExecutionImport, MonitoringRecord, MonitoringRound
from jixiao.web.monitoring.services import execution_jobs
from jixiao.web.monitoring.services.execution import STALE
from tests.web.conftest import ctx
from tests.web.monitoring.conftest import fill, open_all, record_of
from tests.web.posting import form_entries

pytestmark = pytest.mark.django_db
HEADER = "主管部门,单位,项目名称,已支付金额（元）"
ROWS = ("测试市医疗保障局,测试市医保中心,业务培训经费,45000.00", "测试市教育局,测试市教师发展中心,业务培训经费,300.00")
DAY = 86400


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    """A fresh uploads folder; what is enqueued waits (no worker), as with a worker not yet at it."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _csv(*rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("执行数.csv", "\n".join([HEADER, *rows]).encode("utf-8"), content_type="text/csv")


def _upload(client: Client, round_: MonitoringRound) -> tuple[str, str]:
    """Upload as the page's form posts it; the preview page and its address."""
    response = client.post(f"/work/monitoring/rounds/{round_.pk}/execution/", {"files": [_csv(*ROWS)]})
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode(), response["Location"]


def _confirm(client: Client, page: str, address: str) -> Any:
    """Post the confirmation form as rendered, following where it leads."""
    response = client.post(f"{address}apply/", dict(form_entries(page, "execution-confirm-form")), follow=True)
    assert response.status_code == 200
    return response


def _figures(round_: MonitoringRound) -> dict[str, Decimal | None]:
    return {r.unit.name: r.executed_to_date for r in MonitoringRecord.objects.filter(round=round_)}


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_confirmed_it_waits_then_is_applied_and_a_second_confirmation_is_refused(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """The page shows it waiting (refreshing itself), then done; the same upload or the same file again is refused."""
    round_ = open_all(people)
    finance = login(people["finance"])
    page, address = _upload(finance, round_)
    waiting = _confirm(finance, page, address)
    job = ExecutionImport.objects.get()
    assert waiting.redirect_chain[-1][0] == f"/work/monitoring/rounds/{round_.pk}/execution/imports/{job.pk}/"
    shown = waiting.content.decode()
    assert "等待导入" in shown and 'http-equiv="refresh"' in shown and job.state == "queued"
    assert set(_figures(round_).values()) == {None}  # nothing written before the task runs
    again = _confirm(finance, page, address).content.decode()  # a double click, a second tab
    assert "请勿重复确认" in again and ExecutionImport.objects.count() == 1

    execution_jobs.run(job.pk)  # the worker
    job.refresh_from_db()
    assert (job.state, job.rows_read, job.figures_applied) == ("done", 2, 2) and job.finished_at is not None
    assert _figures(round_)["测试市医保中心"] == Decimal("45000.00")
    done = finance.get(f"/work/monitoring/rounds/{round_.pk}/execution/imports/{job.pk}/").content.decode()
    assert "已导入执行数：读取 2 行，写入 2 张监控表" in done and 'http-equiv="refresh"' not in done
    assert not any(execution_files.root().iterdir())  # the kept files are gone once applied
    listed = finance.get(f"/work/monitoring/rounds/{round_.pk}/execution/").content.decode()
    assert "已导入" in listed and f"/execution/imports/{job.pk}/" in listed

    page, address = _upload(finance, round_)  # the same export uploaded once more
    refused = _confirm(finance, page, address).content.decode()
    assert f"导入记录 {job.pk}，写入 2 张监控表" in refused and "不能重复导入" in refused
    assert ExecutionImport.objects.count() == 1
    execution_jobs.run(job.pk)  # a task run twice (a retried worker) finds nothing to do
    assert MonitoringRecord.objects.get(unit__name="测试市医保中心").version == 2
    # another reviewer may not look at someone else's import
    assert (
        login(people["dept_a"]).get(f"/work/monitoring/rounds/{round_.pk}/execution/imports/{job.pk}/").status_code
        == 404
    )


def test_a_run_that_finds_the_plan_changed_ends_failed_with_nothing_written_and_may_be_confirmed_again(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """A unit submits its form while the import waits: the run refuses the stale plan; a new confirmation works."""
    round_ = open_all(people)
    finance = login(people["finance"])
    page, address = _upload(finance, round_)
    _confirm(finance, page, address)
    job = ExecutionImport.objects.get()
    a1 = fill(record_of(round_, approved["a1"]), people["staff_a1"])
    services.act(ctx(people["staff_a1"]), a1, Action.SUBMIT)
    before = _figures(round_)
    execution_jobs.run(job.pk)
    job.refresh_from_db()
    assert job.state == "failed" and job.problems == [STALE] and _figures(round_) == before
    shown = finance.get(f"/work/monitoring/rounds/{round_.pk}/execution/imports/{job.pk}/").content.decode()
    assert "没有写入任何执行数" in shown and STALE in shown and "回到预览重新确认" in shown
    failed = AuditEvent.objects.filter(event=AuditEvent.Type.IMPORT, object_id=str(job.pk), success=False).get()
    assert failed.detail["problems"] == [STALE]
    page = finance.get(address).content.decode()  # the kept files are still there: a fresh preview
    _confirm(finance, page, address)
    second = ExecutionImport.objects.exclude(pk=job.pk).get()
    execution_jobs.run(second.pk)
    second.refresh_from_db()
    assert second.state == "done" and second.figures_applied == 1
    assert _figures(round_)["测试市教师发展中心"] == Decimal("300.00")


def test_progress_while_applying_and_an_interrupted_run_seen_at_the_next_look(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """A live worker (its lock held) is shown with its step; a killed one (lock free) ends failed, and may be redone."""
    round_ = open_all(people)
    finance = login(people["finance"])
    page, address = _upload(finance, round_)
    _confirm(finance, page, address)
    job = ExecutionImport.objects.get()
    ExecutionImport.objects.filter(pk=job.pk).update(state="applying")
    url = f"/work/monitoring/rounds/{round_.pk}/execution/imports/{job.pk}/"
    live = JobLock(job.pk, execution_jobs.LOCK)
    assert live.acquire(wait=False)
    live.tell("写入监控表 1/2")
    try:
        shown = finance.get(url).content.decode()
        assert "正在导入：写入监控表 1/2" in shown and 'http-equiv="refresh"' in shown
        assert ExecutionImport.objects.get(pk=job.pk).state == "applying"
    finally:
        live.release()  # the worker is killed
    shown = finance.get(url).content.decode()
    assert "导入中断" in shown and "没有写入任何执行数" in shown
    job.refresh_from_db()
    assert job.state == "failed" and set(_figures(round_).values()) == {None}
    page = finance.get(address).content.decode()  # the files stayed: confirmed again, applied
    _confirm(finance, page, address)
    execution_jobs.run(ExecutionImport.objects.get(state="queued").pk)
    assert _figures(round_)["测试市医保中心"] == Decimal("45000.00")


def test_sweep_imports_removes_expired_execution_uploads_and_ends_interrupted_imports(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """Folders past their day go, unless an import still waits for them; fresh ones stay; dead runs end failed."""
    round_ = open_all(people)
    finance = login(people["finance"])
    _, old_address = _upload(finance, round_)
    _, fresh_address = _upload(finance, round_)
    waited_page, waited_address = _upload(finance, round_)
    # the third upload confirmed and waiting (no worker yet); the fourth's import died while applying
    _confirm(finance, waited_page, waited_address)
    waiting = ExecutionImport.objects.get()
    folders = {a: execution_files.root() / a.rstrip("/").rsplit("/", 1)[1] for a in (old_address, fresh_address)}
    waited = execution_files.root() / waiting.token
    for folder in (folders[old_address], waited):
        for path in [folder, *folder.iterdir()]:
            _age(path, 2 * DAY)
    dead = ExecutionImport.objects.create(round=round_, uploaded_by=people["finance"], digest="x", state="applying")
    left = JobLock(dead.pk, execution_jobs.LOCK)
    assert left.acquire(wait=False)
    left.release()  # its process died: the lock file stays, nobody holds it
    out = StringIO()
    call_command("sweep_imports", stdout=out)
    said = out.getvalue()
    assert "中断的执行数导入 1 个已标记为未导入" in said and "清除超过保留期限的执行数上传 1 批" in said
    assert not folders[old_address].exists() and folders[fresh_address].is_dir() and waited.is_dir()
    dead.refresh_from_db()
    assert dead.state == "failed" and dead.problems == [execution_jobs.INTERRUPTED]
    assert not (lock_folder() / f"execution-{dead.pk}.lock").exists()  # ended: its lock file removed
    assert "没有找到这次上传的文件" in finance.get(old_address, follow=True).content.decode()
    execution_jobs.run(waiting.pk)  # the waiting import still finds its files
    waiting.refresh_from_db()
    assert waiting.state == "done"


def test_a_row_with_a_project_code_is_matched_by_it_first(
    tree: Any, people: dict[str, Any], approved: dict[str, Any], login: Any
) -> None:
    """The export names the project only by its code (and a name the budget system spells otherwise): matched."""
    from jixiao.web.cycle.services import set_project_code

    set_project_code(ctx(people["staff_b1"]), approved["b1"].project, "330100-2025-0007")
    round_ = open_all(people)
    finance = login(people["finance"])
    export = "项目编码,项目名称,已支付金额（元）\n330100-2025-0007,教师培训（二期）,1234.56\n"
    upload = SimpleUploadedFile("支付.csv", export.encode("utf-8"), content_type="text/csv")
    response = finance.post(f"/work/monitoring/rounds/{round_.pk}/execution/", {"files": [upload]})
    address = response["Location"]
    page = finance.get(address).content.decode()
    assert "将写入的执行数（1）" in page and "项目编码" in page
    _confirm(finance, page, address)
    execution_jobs.run(ExecutionImport.objects.get().pk)
    assert _figures(round_)["测试市教师发展中心"] == Decimal("1234.56")
