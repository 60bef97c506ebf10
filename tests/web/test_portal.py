"""The disclosure portal on the demo data: filters, search over names and goals, official layout, downloads, privacy."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from jixiao.core.serialize import loads
from jixiao.web.accounts.models import Account
from jixiao.web.audit.services import Context
from jixiao.web.cycle import services
from jixiao.web.cycle.models import Declaration, Publication, StateChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(capsys: pytest.CaptureFixture[str]) -> None:
    """The demo data set, which publishes some records of each kind."""
    call_command("demo", no_serve=True)
    capsys.readouterr()
    assert Publication.objects.filter(kind="declaration").exists()
    assert Publication.objects.filter(kind="evaluation").exists()


def listed(query: str = "") -> str:
    """The portal's list page for a query string."""
    response = Client().get(f"/?{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_search_reads_names_and_goals_not_the_json(demo: None) -> None:
    """A word of a goal finds its form; a JSON key or a number of the stored document finds nothing."""
    publication = Publication.objects.filter(kind="declaration").first()
    assert publication is not None
    goal = loads(publication.document).projects[0].goal or ""
    word = next(w for w in (goal[i : i + 4] for i in range(0, len(goal), 4)) if w not in publication.project_name)
    assert publication.project_name in listed(f"q={word}")
    assert "没有找到公开的记录" in listed("q=indicators")  # a key of the document JSON, not text of the form
    assert "没有找到公开的记录" in listed("q=level1")
    both = listed(f"q={publication.project_name[:4]}+{word}")  # every word must match
    assert publication.project_name in both


def test_filters_by_year_department_and_kind(demo: None) -> None:
    """Each filter narrows the list to what it names."""
    departments = sorted(set(Publication.objects.values_list("department_name", flat=True)))
    one = departments[0]
    page = listed(f"department={one}")
    others = set(Publication.objects.exclude(department_name=one).values_list("project_name", flat=True)) - set(
        Publication.objects.filter(department_name=one).values_list("project_name", flat=True)
    )
    assert all(name not in page for name in others)
    assert all(
        name in page for name in Publication.objects.filter(department_name=one).values_list("project_name", flat=True)
    )
    evaluations = listed("kind=evaluation")
    assert "绩效目标</td>" not in evaluations and "绩效自评</td>" in evaluations
    year = Publication.objects.order_by("year").values_list("year", flat=True).first()
    assert all(f"<td>{y}</td>" not in listed(f"year={year}") for y in range(2000, 2100) if y != year)


def test_each_form_is_shown_in_the_official_layout_and_downloadable(demo: None) -> None:
    """The page carries the official title and cells; JSON, Excel, PDF and Word come from the frozen version."""
    client = Client()
    for publication in Publication.objects.all():
        page = client.get(f"/p/{publication.pk}/").content.decode()
        title = "财政项目支出绩效目标申报表" if publication.kind == "declaration" else "绩效自评表"
        assert title in page and publication.project_name in page and 'id="official-form"' in page
        document = client.get(f"/p/{publication.pk}.json")
        assert json.loads(document.content) == json.loads(publication.document)
        assert "filename*=UTF-8''" in document["Content-Disposition"]
    publication = Publication.objects.filter(kind="evaluation").first()
    assert publication is not None
    workbook = client.get(f"/p/{publication.pk}.xlsx")
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    cells = {str(c.value) for ws in load_workbook(io.BytesIO(workbook.content)) for row in ws.iter_rows() for c in row}
    assert any(publication.project_name in c for c in cells)
    assert client.get(f"/p/{publication.pk}.pdf").content.startswith(b"%PDF")
    assert client.get(f"/p/{publication.pk}.docx").content.startswith(b"PK")
    assert client.get(f"/p/{publication.pk}.exe").status_code == 404
    assert client.get("/p/999999.pdf").status_code == 404


def test_no_personal_data_reaches_the_portal(demo: None) -> None:
    """No user name, display name or review comment appears on any public page or download."""
    client = Client()
    names = set(get_user_model().objects.values_list("username", flat=True))
    names |= {n for n in Account.objects.values_list("display_name", flat=True) if n}
    published = Declaration.objects.filter(publications__isnull=False).first()
    assert published is not None
    # a reviewer's return comment in the history of a published record (as a returned-then-fixed record has)
    StateChange.objects.create(
        declaration=published,
        action="return",
        old_state="submitted",
        new_state="returned",
        comment="请补充满意度调查方法",
    )
    comments = {c for c in StateChange.objects.values_list("comment", flat=True) if c and not c.startswith("由文件")}
    assert names and comments
    pages = [listed()]
    values: set[str] = set()
    for publication in Publication.objects.all():
        pages.append(client.get(f"/p/{publication.pk}/").content.decode())
        values |= strings(json.loads(client.get(f"/p/{publication.pk}.json").content))
    for text in pages:
        leaked = [n for n in names if f">{n}<" in text]
        assert not leaked, leaked
        assert not any(c in text for c in comments)
    assert not any(n in v for n in names - {"unit"} for v in values)  # "unit" is also a field of the format
    assert not any(c in v for c in comments for v in values)


def strings(value: Any) -> set[str]:
    """Every string value inside a JSON document (not its keys)."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(strings(v) for v in value)) if value else set()
    return set()


def test_a_republished_record_keeps_its_old_url_which_points_to_the_new_one(demo: None) -> None:
    """Publishing again makes a new version; the list shows only it, the old page stays and links to it."""
    old = Publication.objects.filter(kind="declaration").first()
    assert old is not None
    decl = Declaration.objects.get(pk=old.declaration_id)
    reviewer = get_user_model().objects.get(username="dept")
    new = services.publish(Context(user=reviewer, ip="127.0.0.1"), decl)
    old.refresh_from_db()
    assert not old.current and new.current
    page = listed(f"q={old.project_name}")
    assert f"/p/{new.pk}/" in page and f"/p/{old.pk}/" not in page
    old_page = Client().get(f"/p/{old.pk}/").content.decode()
    assert "旧公开版本" in old_page and f"/p/{new.pk}/" in old_page
    assert "旧公开版本" not in Client().get(f"/p/{new.pk}/").content.decode()


def test_the_portal_answers_only_reads(demo: None, settings: Any) -> None:
    """Posting to the portal is refused; a page that does not exist is a 404 in Chinese."""
    client = Client(enforce_csrf_checks=False)
    assert client.post("/", {}).status_code == 405
    publication = Publication.objects.first()
    assert publication is not None
    assert client.post(f"/p/{publication.pk}/", {}).status_code == 405
    missing = client.get("/p/999999/")
    assert missing.status_code == 404
