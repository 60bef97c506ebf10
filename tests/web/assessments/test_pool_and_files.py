"""The expert pool's page and an assessment's evidence files, posted as the pages render their forms."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.core.workflow import Role
from jixiao.web.assessments import services as assessing
from jixiao.web.assessments.models import AssessmentFile, Expert
from jixiao.web.audit.models import AuditEvent
from tests.web.assessments.conftest import new_declaration
from tests.web.conftest import Tree, ctx, make_user
from tests.web.posting import form_data


def test_the_finance_bureau_adds_an_expert_with_a_declared_conflict(
    tree: Tree, people: dict[str, Any], login: Callable[[Any], Client]
) -> None:
    account = make_user("new_expert", Role.EXPERT, None)
    finance = login(people["finance"])
    page = finance.get("/work/assessments/experts/").content.decode()
    data = form_data(
        page,
        "expert-form",
        name="刘审计师",
        fields_text="审计、财务",
        affiliation="某会计师事务所",
        department=str(tree.dept_b.pk),
        user=str(account.pk),
        conflict_note="曾为该单位提供审计服务",
    )
    data["conflicts"] = str(tree.unit_a1.pk)  # a multiple select: the option a person picks
    response = finance.post("/work/assessments/experts/", data)
    assert response.status_code == 302, response.content.decode()[:600]
    expert = Expert.objects.get(name="刘审计师")
    assert expert.user == account and expert.department == tree.dept_b
    assert list(expert.conflicts.all()) == [tree.unit_a1] and expert.field_list == ("审计", "财务")
    assert AuditEvent.objects.filter(object_type="assessments.expert", object_id=str(expert.pk)).count() == 1
    page = finance.get("/work/assessments/experts/").content.decode()
    assert "刘审计师" in page and "测试市医保中心" in page

    # a name left out is refused naming the field; the department's reviewer sees the pool but cannot add
    refused = finance.post("/work/assessments/experts/", form_data(page, "expert-form", affiliation="某大学"))
    assert refused.status_code == 200 and Expert.objects.count() == 1
    dept = login(people["dept_a"])
    assert "expert-form" not in dept.get("/work/assessments/experts/").content.decode()
    assert dept.post("/work/assessments/experts/", data).status_code == 403


def test_evidence_files_all_or_none_and_only_to_those_who_see_the_assessment(
    tree: Tree, people: dict[str, Any], pool: Any, login: Callable[[Any], Client], settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    decl = new_declaration(people, tree)
    assessment = assessing.create_assessment(ctx(people["finance"]), decl)
    finance = login(people["finance"])
    good = SimpleUploadedFile("实施方案.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    bad = SimpleUploadedFile("测算明细.pdf", b"not a pdf at all", "application/pdf")
    page = finance.post(f"/work/assessments/{assessment.pk}/files/", {"files": [good, bad]}, follow=True)
    assert "测算明细.pdf：文件内容与扩展名 .pdf 不符" in page.content.decode()
    assert not AssessmentFile.objects.exists()

    good.seek(0)
    finance.post(f"/work/assessments/{assessment.pk}/files/", {"files": [good]})
    kept = AssessmentFile.objects.get()
    url = f"/work/assessments/{assessment.pk}/files/{kept.pk}/"
    assert b"".join(finance.get(url).streaming_content) == b"%PDF-1.4\n%%EOF\n"  # type: ignore[attr-defined]
    assert login(people["staff_a1"]).get(url).status_code == 200
    assert login(people["staff_b1"]).get(url).status_code == 404
    upload = f"/work/assessments/{assessment.pk}/files/"
    good.seek(0)
    assert login(people["staff_a1"]).post(upload, {"files": [good]}).status_code == 403  # a unit only reads
    good.seek(0)
    login(people["dept_a"]).post(upload, {"files": [good]})
    assert AssessmentFile.objects.count() == 2  # the project's department organises too
