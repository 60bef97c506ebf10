"""A record's form as a file or on paper in the workspace, before publication: scoped, audited, readable back."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import pytest

from jixiao.core.workflow import State
from jixiao.documents.importer import import_bytes
from jixiao.web.audit.models import AuditEvent
from tests.web.conftest import INDICATORS, advance, declare, evaluate

pytestmark = pytest.mark.django_db
FORMATS = ("xlsx", "pdf", "docx")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_unit_downloads_its_draft_and_the_file_reads_back(fmt: str, tree: Any, people: Any, login: Any) -> None:
    """The draft's form comes as a file named for the record and its state, which jixiao reads back as the record."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    response = login(people["staff_a1"]).get(f"/work/declarations/{decl.pk}/download.{fmt}")
    assert response.status_code == 200
    disposition = unquote(response["Content-Disposition"])
    assert disposition.startswith("attachment;") and f"2025年度绩效目标申报表-业务培训经费（草稿）.{fmt}" in disposition
    read = import_bytes(response.content, f"form.{fmt}").document
    project = read.projects[0]
    assert read.year == 2025 and project.name == "业务培训经费"
    assert [(i.name, i.target) for i in project.indicators] == [(i.name, i.target) for i in INDICATORS]


def test_a_self_evaluation_downloads_with_its_scores(tree: Any, people: Any, login: Any) -> None:
    """A submitted self-evaluation, downloaded by its department's reviewer, carries the recorded scores."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    ev = advance(evaluate(decl, people["staff_a1"]), people, "staff_a1", "dept_a", State.SUBMITTED)  # type: ignore[arg-type]
    response = login(people["dept_a"]).get(f"/work/evaluations/{ev.pk}/download.xlsx")
    assert response.status_code == 200
    project = import_bytes(response.content, "form.xlsx").document.projects[0]
    assert [i.score for i in project.indicators] == [r.score for r in ev.indicators.order_by("indicator__position")]
    assert project.total_score == ev.total_score


def test_whoever_may_not_see_the_record_gets_404_and_nothing_is_recorded(tree: Any, people: Any, login: Any) -> None:
    """Another unit, a reviewer (drafts are the unit's), an administrator: 404 for the file and the print page."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    for who in ("staff_a2", "dept_a", "finance", "sysadmin"):
        client = login(people[who])
        assert client.get(f"/work/declarations/{decl.pk}/download.xlsx").status_code == 404, who
        assert client.get(f"/work/declarations/{decl.pk}/print/").status_code == 404, who
    assert login(people["staff_a1"]).get(f"/work/declarations/{decl.pk}/download.exe").status_code == 404
    assert not AuditEvent.objects.filter(event=AuditEvent.Type.EXPORT).exists()


@pytest.mark.parametrize("fmt", [*FORMATS, "print"])
def test_each_download_and_print_is_audited(fmt: str, tree: Any, people: Any, login: Any) -> None:
    """The export event names the record, its unit, the format, and the state and version handed out."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    url = f"/work/declarations/{decl.pk}/print/" if fmt == "print" else f"/work/declarations/{decl.pk}/download.{fmt}"
    assert login(people["staff_a1"]).get(url).status_code == 200
    event = AuditEvent.objects.get(event=AuditEvent.Type.EXPORT)
    assert (event.object_type, event.object_id) == ("cycle.declaration", str(decl.pk))
    assert event.actor == people["staff_a1"] and event.organization == tree.unit_a1
    assert event.detail == {"what": "绩效目标申报表", "format": fmt, "state": "draft", "version": decl.version}


def test_the_print_page_is_the_form_alone_and_says_it_is_not_final(tree: Any, people: Any, login: Any) -> None:
    """The print page has the official form without review notes, and marks a form not yet approved."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    page = login(people["staff_a1"]).get(f"/work/declarations/{decl.pk}/print/").content.decode()
    assert 'id="official-form"' in page and 'noprint">' not in page.split('id="official-form"')[1].split("</table>")[0]
    assert "本表状态：草稿" in page and "jixiao/print.js" in page
    approved = advance(
        declare(people["staff_a1"], tree.unit_a1, "第二个项目"), people, "staff_a1", "dept_a", State.APPROVED
    )
    page = login(people["finance"]).get(f"/work/declarations/{approved.pk}/print/").content.decode()
    assert "本表状态" not in page


def test_the_record_page_offers_the_downloads_and_print(tree: Any, people: Any, login: Any) -> None:
    """Both record pages link to the three files and the print page of that record."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    ev = evaluate(decl, people["staff_a1"])
    client = login(people["staff_a1"])
    for kind, pk in (("declarations", decl.pk), ("evaluations", ev.pk)):
        page = client.get(f"/work/{kind}/{pk}/").content.decode()
        for fmt in FORMATS:
            assert f'href="/work/{kind}/{pk}/download.{fmt}"' in page
        assert f'href="/work/{kind}/{pk}/print/"' in page


def test_the_source_file_download_is_audited(tree: Any, people: Any, login: Any, settings: Any, tmp_path: Any) -> None:
    """Taking away the file a record was imported from is an export too: the file's name and digest are kept."""
    from django.core.files.base import ContentFile

    from jixiao.web.cycle.models import SourceFile

    settings.MEDIA_ROOT = tmp_path
    decl = declare(people["staff_a1"], tree.unit_a1)
    kept = SourceFile(sha256="ab" * 32, original_name="申报表.txt", size=4, uploaded_by=people["finance"])
    kept.stored.save("申报表.txt", ContentFile(b"data"), save=False)
    kept.save()
    decl.source_file = kept
    decl.save()
    response = login(people["staff_a1"]).get(f"/work/declaration/{decl.pk}/source/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"data"
    event = AuditEvent.objects.get(event=AuditEvent.Type.EXPORT)
    assert event.object_id == str(decl.pk) and event.organization == tree.unit_a1
    assert event.detail == {"what": "来源文件", "format": "txt", "file": "申报表.txt", "sha256": "ab" * 32}
