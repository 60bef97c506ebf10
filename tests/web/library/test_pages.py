"""The library's pages, suggestions and API: the projects shown by scope, curation through the forms, the finding."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any
from urllib.parse import quote

import pytest

from jixiao.core.library import cluster_key
from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle import services as cycle
from jixiao.web.cycle.models import Declaration, StoredFinding
from jixiao.web.library.models import LibraryChange, LibraryEntry
from jixiao.web.library.refresh import refresh_library
from tests.web.conftest import DECLARATION_DATA, INDICATORS, ctx
from tests.web.posting import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(records: dict[str, Declaration], people: dict[str, Any]) -> LibraryEntry:
    """The library mined from the records; the 培训场次 entry."""
    refresh_library(ctx(people["finance"]))
    return LibraryEntry.objects.get(keys__key=cluster_key("培训场次"))


def _projects(html: str) -> set[str]:
    names = {"医保业务培训", "医保稽核培训", "监督检查培训", "基金监管培训", "教师培训", "校长培训", "草稿项目"}
    return {n for n in names if f">{n}</a>" in html}


@pytest.mark.parametrize(
    ("who", "seen"),
    [
        ("staff_a1", {"医保业务培训", "医保稽核培训"}),
        ("dept_a", {"医保业务培训", "医保稽核培训", "监督检查培训", "基金监管培训"}),
        ("dept_b", {"教师培训", "校长培训"}),
        ("finance", {"医保业务培训", "医保稽核培训", "监督检查培训", "基金监管培训", "教师培训", "校长培训"}),
    ],
)
def test_entry_page_lists_only_projects_the_viewer_may_see(
    library: LibraryEntry, people: dict[str, Any], login: Any, who: str, seen: set[str]
) -> None:
    """Statistics are the library's (all six); the projects listed are the viewer's scope."""
    page = login(people[who]).get(f"/work/library/{library.code}/")
    html = page.content.decode()
    assert page.status_code == 200 and "使用 6 次，6 个项目" in html
    assert _projects(html) == seen
    assert f"您可查看的 {len(seen)} 条" in html


def test_administrators_see_no_library(library: LibraryEntry, people: dict[str, Any], login: Any) -> None:
    """An administrator gets 403 on the list and 404 on an entry, as for other business records."""
    client = login(people["sysadmin"])
    assert client.get("/work/library/").status_code == 403
    assert client.get(f"/work/library/{library.code}/").status_code == 404
    assert client.get("/api/v1/library/entries").json()["count"] == 0


def test_browse_and_search(library: LibraryEntry, people: dict[str, Any], login: Any) -> None:
    """The list filters by class and finds a wording through its cluster key."""
    client = login(people["staff_b1"])
    html = client.get("/work/library/?level1=满意度指标").content.decode()
    assert "参训人员满意度" in html and "培训场次" not in html
    html = client.get("/work/library/?q=" + quote("培训场次指标")).content.decode()
    assert library.code in html


def test_rename_through_the_rendered_form_is_audited(library: LibraryEntry, people: dict[str, Any], login: Any) -> None:
    """The finance bureau posts the edit form back as rendered, with a new name: saved, in history, audited."""
    client = login(people["finance"])
    html = client.get(f"/work/library/{library.code}/edit/").content.decode()
    data = form_data(html, "entry-form", name="培训开展次数", reason="统一写法")
    response = client.post(f"/work/library/{library.code}/edit/", data)
    assert response.status_code == 302
    library.refresh_from_db()
    assert library.name == "培训开展次数" and library.curated == ["name"]
    change = LibraryChange.objects.get(entry=library)
    assert (change.action, change.changes["name"], change.reason) == (
        "rename",
        ["培训场次", "培训开展次数"],
        "统一写法",
    )
    assert AuditEvent.objects.filter(object_id=str(library.pk), detail__action="rename").exists()
    # saved twice with nothing changed: no new history
    html = client.get(f"/work/library/{library.code}/edit/").content.decode()
    client.post(f"/work/library/{library.code}/edit/", form_data(html, "entry-form"))
    assert LibraryChange.objects.filter(entry=library).count() == 1


def test_bad_years_are_refused_in_chinese(library: LibraryEntry, people: dict[str, Any], login: Any) -> None:
    """A validity ending before it starts is refused at the field, nothing saved; fixed, it saves."""
    client = login(people["finance"])
    html = client.get(f"/work/library/{library.code}/edit/").content.decode()
    response = client.post(
        f"/work/library/{library.code}/edit/", form_data(html, "entry-form", valid_from="2026", valid_to="2024")
    )
    assert response.status_code == 200 and "有效截止年度 2024 早于起始年度 2026" in response.content.decode()
    library.refresh_from_db()
    assert library.valid_from is None
    fixed = form_data(response.content.decode(), "entry-form", valid_from="2024", valid_to="2026")
    assert client.post(f"/work/library/{library.code}/edit/", fixed).status_code == 302
    library.refresh_from_db()
    assert (library.valid_from, library.valid_to) == (2024, 2026)


def test_others_cannot_curate(library: LibraryEntry, people: dict[str, Any], login: Any) -> None:
    """A department's reviewer sees no curation and is refused on a post."""
    client = login(people["dept_a"])
    assert 'id="curation"' not in client.get(f"/work/library/{library.code}/").content.decode()
    assert client.post(f"/work/library/{library.code}/promote/", {"reason": "x"}).status_code == 403
    assert client.get(f"/work/library/{library.code}/edit/").status_code == 403
    assert client.post("/work/library/refresh/").status_code == 403


def test_refresh_button_and_merge(library: LibraryEntry, people: dict[str, Any], login: Any) -> None:
    """The finance bureau's refresh button runs (inline in tests); a merge by code lands on the surviving entry."""
    client = login(people["finance"])
    html = client.get("/work/library/").content.decode()
    assert 'id="library-refresh"' in html
    assert client.post("/work/library/refresh/", form_data(html, "library-refresh")).status_code == 302
    into = LibraryEntry.objects.get(keys__key=cluster_key("培训合格率"))
    page = client.get(f"/work/library/{library.code}/").content.decode()
    response = client.post(
        f"/work/library/{library.code}/merge/", form_data(page, "merge-form", into=into.code.lower(), reason="测试")
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/{into.code}/")
    library.refresh_from_db()
    assert library.merged_into == into


def test_suggestions(library: LibraryEntry, people: dict[str, Any], login: Any) -> None:
    """A typed name gets its entry first, with its unit and ranges; a class alone lists its entries."""
    client = login(people["staff_a1"])
    found = client.get("/work/library/suggest/", {"name": "培训场次"}).json()["entries"]
    first = found[0]
    assert first["code"] == library.code and first["unit"] == "次"
    assert first["targets"][0] | {} == {
        "unit": "次",
        "count": 6,
        "min": "2",
        "q1": "4.50",
        "median": "7.0",
        "q3": "9.50",
        "max": "12",
    }
    by_class = client.get("/work/library/suggest/", {"level1": "满意度指标"}).json()["entries"]
    # the framework's common indicator of the class comes first, then the used ones
    assert [e["name"] for e in by_class] == ["服务对象满意度", "参训人员满意度"]
    assert client.get("/work/library/suggest/").json() == {"entries": []}
    # a retired entry is not suggested
    LibraryEntry.objects.filter(pk=library.pk).update(retired=True)
    assert library.code not in json.dumps(client.get("/work/library/suggest/", {"name": "培训场次"}).json())


def test_editor_loads_the_suggestions_script(
    records: dict[str, Declaration], people: dict[str, Any], login: Any
) -> None:
    """The declaration editor has the separate script with the endpoint; the form itself is unchanged."""
    html = login(people["staff_b1"]).get(f"/work/declarations/{records['draft'].pk}/edit/").content.decode()
    assert "jixiao/library-suggest.js" in html and 'data-url="/work/library/suggest/"' in html


def test_far_target_is_a_finding_when_saved(library: LibraryEntry, people: dict[str, Any], tree: Any) -> None:
    """With the library's 培训场次 at 2-12 次 (Q3 9.5), 100 次 is a finding with the numbers; 95 次 is not."""
    for target, far in (("≥95(次)", False), ("≥100(次)", True)):
        rows = [replace(INDICATORS[0], target=target), *INDICATORS[1:]]
        decl = cycle.create_declaration(
            ctx(people["staff_a1"]), tree.unit_a1, f"新项目{target}", 2026, DECLARATION_DATA, rows
        )
        found = StoredFinding.objects.filter(declaration=decl, code="target-far-from-library")
        assert found.exists() is far
        if far:
            assert "100次" in found.get().message and "4.5–9.5次" in found.get().message


def test_api(library: LibraryEntry, people: dict[str, Any], login: Any) -> None:
    """Search, the entries and one entry with the uses the caller may see; an unknown code is a JSON 404."""
    client = login(people["staff_a1"])
    found = client.get("/api/v1/library/search", {"q": "满意度"}).json()
    # 满意度 alone is the generic 服务对象满意度 (names.toml), so the framework's entry comes first
    assert [e["name"] for e in found["items"]] == ["服务对象满意度", "参训人员满意度"]
    entries = client.get("/api/v1/library/entries", {"level1": "产出指标"}).json()
    # the two used here and the framework's common indicators of the class (101号, seeded into every library)
    assert {e["name"] for e in entries["items"]} == {"培训场次", "培训合格率", "完成及时率", "验收合格率"}
    detail = client.get(f"/api/v1/library/entries/{library.code}").json()
    assert detail["uses"] == 6 and detail["uses_visible"] == 2
    assert {u["project"] for u in detail["used_by"]} == {"医保业务培训", "医保稽核培训"}
    missing = client.get("/api/v1/library/entries/ZB-NOTHERE")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert client.get("/api/v1/library/search", {"q": "长" * 101}).status_code == 422


def test_far_target_is_said_while_typing(library: LibraryEntry, people: dict[str, Any], login: Any) -> None:
    """The editor's live check holds a typed target against the library too: 100 次 is far, 95 次 is not."""
    client = login(people["staff_a1"])

    def said(target: str) -> list[str]:
        answer = client.get("/work/targets/check/", {"name": "培训场次", "target": target, "level1": "产出指标"})
        assert answer.status_code == 200
        return [f["message"] for f in answer.json()["findings"] if "4.5–9.5次" in f["message"]]

    assert said("≥95次") == []
    assert len(said("≥100次")) == 1
