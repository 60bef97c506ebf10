"""Imports by a department reviewer never tell whether another department's records or units exist."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.core.model import Document, FundRow, Funds, Indicator, Kind, Project
from jixiao.core.serialize import dumps
from jixiao.web.cycle.models import Declaration
from jixiao.web.imports.models import ImportJob
from tests.web.conftest import Tree, declare
from tests.web.test_api import call, token_for

pytestmark = pytest.mark.django_db
DRAFT = "业务培训经费"  # the name of the draft dept_a's unit has for 2025 (conftest.declare)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    """Uploaded files go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"


def project(department: str, unit: str, name: str) -> Project:
    """A complete one-project declaration as a file would carry it."""
    indicators = (
        Indicator("产出指标", "数量指标", "培训场次", "≥4(次)", weight=Decimal("50")),
        Indicator("效益指标", "社会效益指标", "业务能力提升情况", "有效提升", weight=Decimal("40")),
    )
    return Project(
        name=name,
        department=department,
        unit=unit,
        money_unit="元",
        funds=Funds(total=FundRow(requested=Decimal("100000.00"))),
        goal="全年组织业务培训4次。",
        indicators=indicators,
    )


def probes(tree: Tree) -> dict[str, Project]:
    """Projects of another department: a draft that exists, a name that does not, an unknown unit and department."""
    a, a1 = tree.dept_a.name, tree.unit_a1.name
    return {
        "existing draft": project(a, a1, DRAFT),
        "no such project": project(a, a1, "没有这个项目"),
        "no such unit": project(a, "没有这个单位", "某项目"),
        "no such department": project("没有这个部门", "某单位", "某项目"),
    }


def document(*projects: Project) -> str:
    """The document JSON of a 2025 declaration file."""
    return dumps(Document(kind=Kind.TARGET_DECLARATION, year=2025, projects=projects))


def test_the_api_answers_the_same_whether_another_departments_record_exists(tree: Tree, people: dict[str, Any]) -> None:
    """A department reviewer posting another department's projects hears one refusal, existing or not."""
    declare(people["staff_a1"], tree.unit_a1, name=DRAFT, year=2025)
    token = token_for(people["dept_b"])
    answers = {what: call("post", "/api/v1/documents", token, document(p)) for what, p in probes(tree).items()}
    assert {what: a.status_code for what, a in answers.items()} == dict.fromkeys(answers, 403)
    bodies = {what: a.json() for what, a in answers.items()}
    # the same department named: the very same answer, whether the draft exists or not
    assert bodies["existing draft"] == bodies["no such project"] == bodies["no such unit"]
    for body in bodies.values():
        assert body["code"] == "forbidden" and "不属于本部门" in body["message"]
        assert "已有" not in json.dumps(body, ensure_ascii=False) and "组织机构中" not in body["message"]
    assert Declaration.objects.count() == 1


def test_the_import_preview_shows_the_same_whether_another_departments_record_exists(
    tree: Tree, people: dict[str, Any], login: Any
) -> None:
    """The preview of a department's upload marks other departments' projects alike, whatever exists."""
    declare(people["staff_a1"], tree.unit_a1, name=DRAFT, year=2025)
    # the same file imported before by the bureau: that is not the department's to learn either
    finance = token_for(people["finance"])
    earlier = document(project(tree.dept_a.name, tree.unit_a2.name, "既往导入项目"))
    assert call("post", "/api/v1/documents", finance, earlier).status_code == 201
    client = login(people["dept_b"])
    files = [
        SimpleUploadedFile(f"{what}.json", document(p).encode(), content_type="application/json")
        for what, p in probes(tree).items()
    ] + [SimpleUploadedFile("earlier.json", earlier.encode(), content_type="application/json")]
    response = client.post("/work/imports/", {"files": files})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    page = client.get(f"/work/imports/{job.pk}/").content.decode()
    for marker in ("本年度已有记录", '<span class="state state-returned">未登记', "导入过", "尚未登记", "已有该项目"):
        assert marker not in page, marker
    rows = {item.source.original_name: item.projects[0] for item in job.files.select_related("source")}
    for what in probes(tree):
        row = rows[f"{what}.json"]
        assert row["outside"] is True and row["exists"] is None and row["unit_known"] is None, (what, row)
    assert "不属于本部门" in page
