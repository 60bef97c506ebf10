"""Dashboards: each chart's data equals its table, scope holds, ECharts is the pinned file, queries stay flat."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jixiao.core.workflow import State
from jixiao.documents.importer import import_path
from jixiao.web.audit.services import Context
from jixiao.web.cycle.models import Declaration, SelfEvaluation
from jixiao.web.cycle.services.loading import load_document
from jixiao.web.orgs.models import Organization

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "src" / "jixiao" / "web" / "static" / "vendor" / "echarts-6.1.0"
ECHARTS_SHA256 = "b66b25aeb4df84e33199dc21694014d336d222cbd9deb0e5a7c14bd6aa0d0fd0"
YEAR = 2024


@pytest.fixture
def demo(capsys: pytest.CaptureFixture[str]) -> dict[str, Client]:
    """The demo data set, and a signed-in client per reviewer role."""
    call_command("demo", no_serve=True)
    capsys.readouterr()
    clients = {}
    for name in ("unit", "dept", "finance"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=name))
        clients[name] = client
    return clients


def chart_data(html: str) -> dict[str, Any]:
    """The JSON the charts are drawn from, as the page carries it."""
    match = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the dashboard carries its chart data"
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def table_cells(html: str, table_id: str) -> list[list[str]]:
    """The body cells of one table of the page, as text."""
    match = re.search(rf'<table class="list" id="{table_id}".*?<tbody>(.*?)</tbody>', html, re.S)
    assert match, table_id
    rows = re.findall(r"<tr>(.*?)</tr>", match.group(1), re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)] for r in rows]


def test_the_vendored_echarts_is_the_pinned_release_with_its_licence() -> None:
    """The file is byte for byte echarts 6.1.0 from the registry, with its Apache licence and notice beside it."""
    assert hashlib.sha256((VENDOR / "echarts.min.js").read_bytes()).hexdigest() == ECHARTS_SHA256
    assert "Apache License" in (VENDOR / "LICENSE").read_text("utf-8")
    assert "Apache ECharts" in (VENDOR / "NOTICE").read_text("utf-8")
    assert ECHARTS_SHA256 in (VENDOR / "VENDORED.md").read_text("utf-8")


def test_every_chart_is_also_a_table_with_the_same_figures(demo: dict[str, Client]) -> None:
    """Grades, findings, progress and years: the table under each chart holds the chart's numbers."""
    html = demo["finance"].get(f"/work/summary/dashboard/?year={YEAR}").content.decode()
    data = chart_data(html)
    assert "vendor/echarts-6.1.0/echarts.min.js" in html
    assert [[g["grade"], str(g["count"])] for g in data["grades"]] == table_cells(html, "table-grades")
    expected = {
        g: SelfEvaluation.objects.filter(declaration__year=YEAR, summary_grade=g)
        .exclude(state=State.DRAFT.value)
        .count()
        for g in "优良中差"
    }
    assert {g["grade"]: g["count"] for g in data["grades"] if g["grade"] in expected} == expected
    assert [
        [f["project"], f["unit"], str(f["errors"]), str(f["warnings"]), str(f["infos"])] for f in data["findings"]
    ] == (table_cells(html, "table-findings"))
    progress = table_cells(html, "table-progress")
    assert [row[0] for row in progress] == [p["name"] for p in data["progress"]]  # by department for the bureau
    assert {row[0] for row in progress} <= set(
        Organization.objects.filter(kind=Organization.Kind.DEPARTMENT).values_list("name", flat=True)
    )
    assert [int(row[1]) for row in progress] == [p["projects"] for p in data["progress"]]
    years = table_cells(html, "table-years")
    assert [int(row[0]) for row in years] == [y["year"] for y in data["years"]]
    assert [y["year"] for y in data["years"]] == sorted(set(Declaration.objects.values_list("year", flat=True)))
    assert [row[4].replace(",", "") for row in years] == [y["executed"] or "" for y in data["years"]]
    # the scatter: every point ([id, rate, score, grade, project, unit]) a visible evaluation; the bands count all
    points = data["points"]
    visible = SelfEvaluation.objects.filter(
        declaration__year=YEAR, execution_rate__isnull=False, total_score__isnull=False
    )
    assert {p[0] for p in points} == set(visible.exclude(state=State.DRAFT.value).values_list("pk", flat=True))
    banded = sum(int(n) for row in table_cells(html, "table-bands") for n in row[1:])
    assert banded == sum(1 for p in points if p[3] in "优良中差")
    assert data["evaluation_url"].replace("{id}", str(points[0][0])) == (f"/work/evaluations/{points[0][0]}/")


def test_a_department_dashboard_shows_its_units_only(demo: dict[str, Client]) -> None:
    """The department's progress is by unit, all of them its own; the unit's dashboard has only its own points."""
    data = chart_data(demo["dept"].get(f"/work/summary/dashboard/?year={YEAR}").content.decode())
    dept = Organization.objects.get(name="上海市医疗保障局")
    own = set(Organization.objects.filter(department=dept).values_list("name", flat=True)) | {dept.name}
    assert data["progress"] and {p["name"] for p in data["progress"]} <= own
    unit_data = chart_data(demo["unit"].get(f"/work/summary/dashboard/?year={YEAR}").content.decode())
    ids = {p[0] for p in unit_data["points"]}
    assert ids and ids <= set(
        SelfEvaluation.objects.filter(declaration__project__unit__name="上海市医疗保险事业管理中心").values_list(
            "pk", flat=True
        )
    )


def _grow(times: int) -> None:
    """``times`` more copies of the demo's self-evaluations, approved, under new project names."""
    document = import_path(ROOT / "examples" / "demo" / "2024-self-evaluations-shanghai-medical-insurance.txt").document
    bureau = Organization.objects.get(kind=Organization.Kind.BUREAU)
    for n in range(times):
        projects = tuple(replace(p, name=f"{p.name}（第{n + 2}批）") for p in document.projects)
        load_document(
            Context.system(), replace(document, projects=projects), bureau=bureau, state_for=lambda i, p: State.APPROVED
        )


def _count(client: Client, url: str) -> int:
    """The page's queries: the session's own write (at most once a minute, in its transaction) is not the page's."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(1 for q in queries if not _session_write(q["sql"]))


def _session_write(sql: str) -> bool:
    # its transaction is BEGIN/COMMIT, or a savepoint inside a test's transaction
    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")
    return sql.startswith(control) or (sql.startswith(("UPDATE", "INSERT")) and "django_session" in sql)


@pytest.mark.parametrize(
    "url",
    [
        f"/work/summary/?year={YEAR}",
        f"/work/summary/?year={YEAR}&grade=良&sort=-rate",
        f"/work/summary/download.csv?year={YEAR}",
        f"/work/summary/download.xlsx?year={YEAR}",
        f"/work/summary/dashboard/?year={YEAR}",
    ],
)
def test_queries_do_not_grow_with_the_projects(demo: dict[str, Client], url: str) -> None:
    """Five times the projects, the same number of queries for the bureau's table, downloads and dashboard."""
    client = demo["finance"]
    before = _count(client, url)
    _grow(4)
    assert SelfEvaluation.objects.filter(declaration__year=YEAR).count() >= 5 * 8
    assert _count(client, url) == before
