"""The summary table (汇总表) and its downloads, on the demo data: scope, filters, sorting, totals to the fen."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from jixiao.core.workflow import State
from jixiao.web.cycle.models import Declaration, SelfEvaluation, StoredFinding
from jixiao.web.orgs.models import Organization

pytestmark = pytest.mark.django_db
YEAR = 2024  # the demo's self-evaluation year: money, scores and grades


@pytest.fixture
def demo(capsys: pytest.CaptureFixture[str]) -> dict[str, Client]:
    """The demo data set, and a signed-in client per business role."""
    call_command("demo", no_serve=True)
    capsys.readouterr()
    clients = {}
    for name in ("unit", "dept", "finance", "sysadmin", "auditor"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=name))
        clients[name] = client
    return clients


def csv_rows(client: Client, query: str = "") -> list[dict[str, str]]:
    """The CSV download as dicts, checking the BOM Excel needs."""
    response = client.get(f"/work/summary/download.csv?{query}")
    assert response.status_code == 200 and response.content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def in_yuan(amount: Decimal | None, unit: str) -> Decimal:
    """An amount in 元, computed apart from the query under test."""
    return (amount or Decimal(0)) * (10000 if unit == "万元" else 1)


def visible_evaluations(reviewer: bool) -> list[SelfEvaluation]:
    """The demo year's self-evaluations a reviewer (no drafts) or anyone else sees."""
    qs = SelfEvaluation.objects.filter(declaration__year=YEAR)
    return list(qs.exclude(state=State.DRAFT.value) if reviewer else qs)


def test_each_role_sees_its_own_scope(demo: dict[str, Client]) -> None:
    """The bureau sees every department, a department its own units, a unit itself; administrators nothing."""
    every = {r["主管部门"] for r in csv_rows(demo["finance"], f"year={YEAR}")[:-1]}
    assert len(every) >= 3
    dept = Organization.objects.get(name="上海市医疗保障局")
    assert {r["主管部门"] for r in csv_rows(demo["dept"], f"year={YEAR}")[:-1]} == {dept.name}
    assert {r["实施单位"] for r in csv_rows(demo["unit"], f"year={YEAR}")[:-1]} == {"上海市医疗保险事业管理中心"}
    for admin in ("sysadmin", "auditor"):
        assert demo[admin].get("/work/summary/").status_code == 403
        assert demo[admin].get("/work/summary/download.csv").status_code == 403
        assert demo[admin].get("/work/summary/dashboard/").status_code == 403
    assert Client().get("/work/summary/").status_code == 302  # anonymous: to the login page


def test_totals_are_exact_sums_in_yuan_and_reviewers_do_not_see_draft_figures(demo: dict[str, Client]) -> None:
    """The totals row adds every visible project in 元 (万元 converted) to the fen; reviewers' totals skip drafts."""
    rows = csv_rows(demo["finance"], f"year={YEAR}")
    *projects, total = rows
    evaluations = visible_evaluations(reviewer=True)
    expected_budget = sum((in_yuan(e.adjusted_total, e.money_unit) for e in evaluations), Decimal(0))
    expected_executed = sum((in_yuan(e.executed_total, e.money_unit) for e in evaluations), Decimal(0))
    assert Decimal(total["全年预算数（元）"]) == expected_budget
    assert Decimal(total["全年执行数（元）"]) == expected_executed
    assert Decimal(total["执行率（%）"]) == (expected_executed / expected_budget * 100).quantize(Decimal("0.01"))
    assert total["项目名称"] == f"合计（{len(projects)} 个项目，其中 {len(evaluations)} 个已自评）"
    assert len(projects) == Declaration.objects.filter(year=YEAR).exclude(state=State.DRAFT.value).count()
    # a draft self-evaluation is the unit's own business: its unit sees its figures, reviewers do not
    draft = SelfEvaluation.objects.filter(
        declaration__year=YEAR, state=State.DRAFT.value, declaration__project__unit__name="上海市医疗保险事业管理中心"
    ).first()
    assert draft is not None  # the demo gives the demo unit a draft self-evaluation
    name = draft.declaration.project.name
    finance_row = next(r for r in projects if r["项目名称"] == name)
    assert finance_row["全年执行数（元）"] == "" and finance_row["自评状态"] == ""
    mine = next(r for r in csv_rows(demo["unit"], f"year={YEAR}") if r["项目名称"] == name)
    assert mine["自评状态"] == "草稿" and mine["全年执行数（元）"] != ""
    # every amount has exactly two places
    assert all(
        r[k] == "" or r[k].split(".")[1].__len__() == 2 for r in rows for k in ("全年预算数（元）", "全年执行数（元）")
    )


def test_filters_narrow_the_rows_and_the_totals_alike(demo: dict[str, Client]) -> None:
    """Grade, unit, state and finding code each narrow both the rows and the totals row."""
    client = demo["finance"]
    good = csv_rows(client, f"year={YEAR}&grade=良")
    *rows, total = good
    assert rows and {r["等级"] for r in rows} == {"良"}
    assert total["项目名称"].startswith(f"合计（{len(rows)} 个项目")
    expected = {e.declaration.project.name for e in visible_evaluations(reviewer=True) if e.summary_grade == "良"}
    assert {r["项目名称"] for r in rows} == expected
    unit = Organization.objects.get(name="上海市医疗保险事业管理中心")
    assert {r["实施单位"] for r in csv_rows(client, f"year={YEAR}&unit={unit.pk}")[:-1]} == {unit.name}
    returned = csv_rows(client, f"year={YEAR}&evaluation_state=returned")[:-1]
    assert returned and {r["自评状态"] for r in returned} == {"已退回"}
    finding = (
        StoredFinding.objects.filter(evaluation__declaration__year=YEAR).exclude(evaluation__state="draft").first()
    )
    assert finding is not None
    coded = csv_rows(client, f"year={YEAR}&code={finding.code}")[:-1]
    assert finding.evaluation.declaration.project.name in {r["项目名称"] for r in coded}
    with_code = set(
        StoredFinding.objects.filter(code=finding.code, evaluation__declaration__year=YEAR)
        .exclude(evaluation__state="draft")
        .values_list("evaluation__declaration__project__name", flat=True)
    ) | set(
        StoredFinding.objects.filter(code=finding.code, declaration__year=YEAR).values_list(
            "declaration__project__name", flat=True
        )
    )
    assert {r["项目名称"] for r in coded} <= with_code
    # nonsense filters are ignored, not errors
    assert demo["finance"].get("/work/summary/?grade=X&state=nope&code=NO&unit=abc&sort=zzz").status_code == 200


def test_sorting_by_a_column_puts_empty_values_last(demo: dict[str, Client]) -> None:
    """Sorting by execution rate, descending and ascending; projects without one come last both ways."""
    for sort, reverse in (("-rate", True), ("rate", False)):
        rows = csv_rows(demo["finance"], f"year={YEAR}&sort={sort}")[:-1]
        rates = [r["执行率（%）"] for r in rows]
        filled = [Decimal(r) for r in rates if r]
        assert filled == sorted(filled, reverse=reverse)
        assert rates[: len(filled)] == [str(x) for x in filled]  # the empty ones all follow
    page = demo["finance"].get(f"/work/summary/?year={YEAR}&sort=-rate").content.decode()
    assert 'aria-sort="descending"' in page


def test_the_page_and_both_downloads_show_the_same_table(demo: dict[str, Client]) -> None:
    """Rows, totals and order agree between the page, the CSV and the XLSX."""
    client = demo["dept"]
    query = f"year={YEAR}&sort=-score"
    rows = csv_rows(client, query)
    page = client.get(f"/work/summary/?{query}").content.decode()
    positions = [page.index(r["项目名称"]) for r in rows[:-1]]
    assert positions == sorted(positions)
    assert format(Decimal(rows[-1]["全年执行数（元）"]), ",.2f") in page  # the totals row, with separators
    response = client.get(f"/work/summary/download.xlsx?{query}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert "上海市医疗保障局" in values[0][0] and "汇总表" in values[0][0]
    header = values[1]
    assert header == list(rows[0].keys())
    body = values[2:]
    assert len(body) == len(rows)
    executed = header.index("全年执行数（元）")
    for csv_row, xlsx_row in zip(rows, body, strict=True):
        cell = xlsx_row[executed]
        assert (Decimal(str(cell)) if cell is not None else "") == (
            Decimal(csv_row["全年执行数（元）"]) if csv_row["全年执行数（元）"] else ""
        )


def test_a_write_shows_at_once_though_the_figures_are_cached(demo: dict[str, Client]) -> None:
    """The page caches its figures by data version: an approval made right after a view is on the next view."""
    from jixiao.core.workflow import Action
    from jixiao.web.audit.services import Context
    from jixiao.web.cycle import services

    waiting = SelfEvaluation.objects.filter(declaration__year=YEAR, state=State.DEPT_APPROVED.value).first()
    assert waiting is not None
    name = waiting.declaration.project.name
    client = demo["finance"]

    def state_shown() -> str:
        page = client.get(f"/work/summary/?year={YEAR}&q={name}").content.decode()
        row = page[page.index(f">{name}</a>") :]  # the row's link, not the search box
        return row[: row.index("</tr>")]

    assert "主管部门已审核" in state_shown()
    assert "主管部门已审核" in state_shown()  # the second view is served from the cache
    finance = get_user_model().objects.get(username="finance")
    services.act(Context(user=finance, ip="127.0.0.1"), waiting, Action.FINANCE_APPROVE)
    shown = state_shown()
    assert "财政已批复" in shown and "主管部门已审核" not in shown
