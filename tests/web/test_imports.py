"""Importing files in the web: upload, preview, confirm; the same records as ``jixiao import``; all or nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.cli import main as cli
from jixiao.core.model import Document, Kind
from jixiao.core.serialize import dumps, loads
from jixiao.documents.importer import import_path
from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle.documents import declaration_document, evaluation_document
from jixiao.web.cycle.models import Declaration, SelfEvaluation, SourceFile
from jixiao.web.imports.models import ImportJob
from jixiao.web.orgs.models import Organization
from tests.shared import SEED_FILES

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "2024-self-evaluation-tabbed.txt"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    """Uploaded files go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client: Client, paths: list[Path], names: list[str] | None = None) -> ImportJob:
    """Upload files on the import page and follow to the job; the immediate task backend reads them at once."""
    files = [
        SimpleUploadedFile(name, path.read_bytes(), content_type="text/plain")
        for path, name in zip(paths, names or [p.name for p in paths], strict=True)
    ]
    response = client.post("/work/imports/", {"files": files})
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def confirm(client: Client, job: ImportJob, state: str = "approved", create_units: bool = True) -> ImportJob:
    """Confirm a read job on its page."""
    data = {"target_state": state} | ({"create_units": "1"} if create_units else {})
    response = client.post(f"/work/imports/{job.pk}/confirm/", data)
    assert response.status_code == 302
    job.refresh_from_db()
    return job


def _stored(document: Document, n: int) -> tuple[Declaration, Document]:
    """The record the loader made of project ``n`` of ``document``, and that record as a document again."""
    project = document.projects[n]
    transfer = document.kind is Kind.TRANSFER_SELF_EVALUATION
    unit = project.department if transfer else (project.unit or project.department)
    decl = Declaration.objects.get(project__unit__name=unit, project__name=project.name, year=document.year)
    if document.kind is Kind.TARGET_DECLARATION:
        return decl, declaration_document(decl)
    return decl, evaluation_document(SelfEvaluation.objects.get(declaration=decl))


def loads_projects(path: Path) -> list[str]:
    """The project names ``jixiao import`` finds in a file."""
    return [p.name for p in import_path(path).document.projects]


@pytest.mark.shared
def test_the_five_seeds_through_the_web_give_what_jixiao_import_gives(
    people: dict[str, Any], login: Any, tmp_path: Path
) -> None:
    """Every project of every seed is stored exactly as ``jixiao import`` writes it, with its file, hash and line."""
    out = tmp_path / "cli"
    assert cli(["import", "--quiet", "--out-dir", str(out), *map(str, SEED_FILES)]) == 0
    client = login(people["finance"])
    job = upload(client, SEED_FILES)
    assert job.state == ImportJob.State.READ and job.done_files == len(SEED_FILES)
    page = client.get(f"/work/imports/{job.pk}/").content.decode()
    cli_documents = {p.name: loads((out / f"{p.stem}.json").read_text("utf-8")) for p in SEED_FILES}
    for name, document in cli_documents.items():
        assert name in page
        for project in document.projects:
            assert project.name in page  # the preview lists every project found
    assert "读取提示 1 条" in page and "已归回该指标" in page  # the importer's one note on seed 000
    # each project's review findings, by the check's Chinese title (never its code)
    assert "审核发现" in page and "<strong>指标值未填写</strong>：" in page and "target-missing" not in page
    job = confirm(client, job)
    assert job.state == ImportJob.State.DONE, job.problems
    total = sum(len(d.projects) for d in cli_documents.values())
    assert Declaration.objects.count() == total == 58
    assert job.result["declarations"] == total
    for seed in SEED_FILES:
        document = cli_documents[seed.name]
        digest = hashlib.sha256(seed.read_bytes()).hexdigest()
        for n, project in enumerate(document.projects):
            single = Document(kind=document.kind, year=document.year, projects=(project,))
            decl, stored = _stored(document, n)
            assert dumps(stored) == dumps(single), f"{seed.name} 第{n + 1}个项目「{project.name}」"
            assert decl.sha256 == digest and decl.file_name == seed.name and decl.source_file is not None
            assert decl.first_line is not None and decl.first_line >= 1
    kept = SourceFile.objects.get(original_name=SEED_FILES[0].name)
    assert kept.stored.read() == SEED_FILES[0].read_bytes() and kept.stored.name != SEED_FILES[0].name
    assert AuditEvent.objects.filter(event=AuditEvent.Type.IMPORT, detail__step="load").count() == 1


def test_a_file_with_broken_projects_imports_nothing_and_lists_every_problem(
    people: dict[str, Any], login: Any, tree: Any, tmp_path: Path
) -> None:
    """Two of three projects name organizations that are not registered: nothing loads, both are listed with line."""
    department = Organization.objects.create(
        name="上海市青浦区民政局", kind=Organization.Kind.DEPARTMENT, parent=tree.bureau
    )
    Organization.objects.create(name="上海市青浦区养老服务发展中心", kind=Organization.Kind.UNIT, parent=department)
    lines = EXAMPLE.read_text("utf-8").split("\n")
    lines[31] = lines[31].replace("上海市青浦区民政局", "上海市青浦区未登记局")  # the second project, line 32
    lines[54] = lines[54].replace("上海市青浦区养老服务发展中心", "上海市青浦区未登记中心")  # the third, line 55
    broken = tmp_path / "broken.txt"
    broken.write_text("\n".join(lines), "utf-8")
    client = login(people["finance"])
    job = upload(client, [broken])
    page = client.get(f"/work/imports/{job.pk}/").content.decode()
    new = page[page.index('id="new-orgs"') :]
    assert "主管部门：上海市青浦区未登记局" in new and "单位：上海市青浦区未登记中心" in new
    job = confirm(client, job, create_units=False)
    assert job.state == ImportJob.State.FAILED
    assert not Declaration.objects.exists() and not SelfEvaluation.objects.exists()
    assert len(job.problems) == 2, job.problems
    first, second = job.problems
    assert first.startswith("broken.txt（第") and "上海市青浦区未登记局" in first
    assert second.startswith("broken.txt（第") and "上海市青浦区未登记中心" in second
    page = client.get(f"/work/imports/{job.pk}/").content.decode()
    assert "没有写入任何记录" in page and first in page and second in page
    assert not Organization.objects.filter(name__contains="未登记").exists()
    failed = AuditEvent.objects.get(event=AuditEvent.Type.IMPORT, detail__step="load")
    assert failed.success is False and failed.detail["problems"] == job.problems


@pytest.mark.shared
def test_a_department_cannot_import_another_departments_projects(people: dict[str, Any], login: Any) -> None:
    """Every project of another department is listed as not the reviewer's; nothing is created."""
    client = login(people["dept_a"])
    job = confirm(client, upload(client, [SEED_FILES[1]]), state="dept_approved")
    assert job.state == ImportJob.State.FAILED
    names = loads_projects(SEED_FILES[1])
    assert len(job.problems) == len(names)
    assert all(name in problem for name, problem in zip(names, job.problems, strict=True))
    assert all("不属于本部门" in problem for problem in job.problems)
    assert not Declaration.objects.exists()


def test_reimporting_the_same_file_is_recognised(people: dict[str, Any], login: Any) -> None:
    """The second upload of the same bytes, under any name, says when it was imported and loads nothing."""
    client = login(people["finance"])
    first = confirm(client, upload(client, [EXAMPLE]))
    assert first.state == ImportJob.State.DONE
    count = Declaration.objects.count()
    again = upload(client, [EXAMPLE], names=["改了名字的同一文件.txt"])
    page = client.get(f"/work/imports/{again.pk}/").content.decode()
    assert "该文件已于" in page and "导入过" in page
    again = confirm(client, again)
    assert again.state == ImportJob.State.FAILED and "不再重复导入" in again.problems[0]
    assert Declaration.objects.count() == count
    assert SourceFile.objects.count() == 1  # the bytes are kept once


def test_unit_staff_and_administrators_cannot_import(people: dict[str, Any], login: Any) -> None:
    """Only department and finance reviewers see the import pages."""
    for who in ("staff_a1", "sysadmin", "auditor"):
        assert login(people[who]).get("/work/imports/").status_code == 403


def test_a_reviewer_sees_only_the_jobs_of_their_department(people: dict[str, Any], login: Any) -> None:
    """Another department's import job is a 404, its status too; only the uploader may confirm."""
    job = upload(login(people["dept_a"]), [EXAMPLE])
    other = login(people["dept_b"])
    assert other.get(f"/work/imports/{job.pk}/").status_code == 404
    assert other.get(f"/work/imports/{job.pk}/status/").status_code == 404
    assert login(people["finance"]).get(f"/work/imports/{job.pk}/").status_code == 200
    assert (
        login(people["finance"]).post(f"/work/imports/{job.pk}/confirm/", {"target_state": "approved"}).status_code
        == 403
    )


def test_unsupported_and_empty_uploads_are_refused_with_the_file_name(people: dict[str, Any], login: Any) -> None:
    """A wrong file type is named in the message and nothing is stored."""
    client = login(people["finance"])
    bad = SimpleUploadedFile("报表.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post("/work/imports/", {"files": [bad]}, follow=True)
    assert "报表.exe：不支持的文件类型" in response.content.decode()
    assert not ImportJob.objects.exists() and not SourceFile.objects.exists()


def test_an_unreadable_file_is_shown_with_its_error(people: dict[str, Any], login: Any, tmp_path: Path) -> None:
    """A file the importer cannot read keeps its error on the page and blocks the import."""
    empty = tmp_path / "空白.txt"
    empty.write_text("这不是绩效表。\n", "utf-8")
    client = login(people["finance"])
    job = upload(client, [empty])
    item = job.files.get()
    assert item.error and "空白.txt" in item.error
    assert item.error in client.get(f"/work/imports/{job.pk}/").content.decode()
    assert confirm(client, job).state == ImportJob.State.FAILED


@pytest.mark.shared
def test_a_department_imports_its_declarations_up_to_its_own_approval(
    people: dict[str, Any], login: Any, tree: Any
) -> None:
    """A department imports as 主管部门已审核: never the bureau's approval, never self-evaluations."""
    Organization.objects.filter(pk=tree.dept_a.pk).update(name="上海市医疗保障局")
    client = login(people["dept_a"])
    job = upload(client, [SEED_FILES[1]])  # 001: the department's 2023 declarations
    page = client.get(f"/work/imports/{job.pk}/").content.decode()
    assert '<option value="dept_approved"' in page and '<option value="approved"' not in page
    response = client.post(f"/work/imports/{job.pk}/confirm/", {"target_state": "approved"}, follow=True)
    assert "请选择您可以设定的导入后状态" in response.content.decode()
    job.refresh_from_db()
    assert job.state == ImportJob.State.READ and not Declaration.objects.exists()
    job = confirm(client, job, state="dept_approved")
    assert job.state == ImportJob.State.DONE, job.problems
    assert set(Declaration.objects.values_list("state", flat=True)) == {"dept_approved"}
    assert set(Declaration.objects.values_list("project__department__name", flat=True)) == {"上海市医疗保障局"}
    evaluations = confirm(client, upload(client, [SEED_FILES[4]]), state="dept_approved")  # 004: self-evaluations
    assert evaluations.state == ImportJob.State.FAILED
    assert all("须由财政审核人员导入" in p for p in evaluations.problems)
    assert not SelfEvaluation.objects.exists()


def test_a_file_the_records_cannot_hold_is_refused_with_the_place(
    people: dict[str, Any], login: Any, tmp_path: Path
) -> None:
    """A project name longer than its column is named with its JSON path; nothing is written, no server error."""
    long_name = "超长项目名称" * 40  # 240 characters; the column holds 200
    path = tmp_path / "long.txt"
    path.write_text(EXAMPLE.read_text("utf-8").replace("社区老年人助餐服务点运营补贴", long_name), "utf-8")
    client = login(people["finance"])
    job = upload(client, [path])
    item = job.files.get()
    assert "long.txt：$.projects[0].name：文字过长：最多 200 个字符，实为 240 个" in item.error
    assert confirm(client, job).state == ImportJob.State.FAILED
    assert not Declaration.objects.exists()
