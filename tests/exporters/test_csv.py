"""Open data: one CSV row per project and per indicator, a datapackage.json stating units, factor and budget phase."""

from __future__ import annotations

import csv as stdcsv
import io
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.exporters import csv
from jixiao.exporters.report import build_report
from tests.exporters.helpers import gold_document

pytestmark = pytest.mark.shared  # reads ../shared (seeds, gold, corpus): skipped, saying so, where absent


def _rows(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(stdcsv.DictReader(io.StringIO(files[name].decode("utf-8-sig"))))


def test_one_row_per_project_and_per_indicator() -> None:
    """projects.csv has a row per project, indicators.csv one per indicator, in printed order."""
    doc = gold_document("000")
    files = csv.render(build_report(doc))
    projects, indicators = _rows(files, "projects.csv"), _rows(files, "indicators.csv")
    assert [r["name"] for r in projects] == [p.name for p in doc.projects]
    assert len(indicators) == doc.indicator_count
    first = indicators[0]
    assert first["project_no"] == "1" and first["indicator_no"] == "1" and first["target"] == ">=1次"
    assert projects[0]["total_executed"] == "216212" and projects[0]["execution_score"] == "8.5"


def test_descriptor_states_unit_factor_and_phase_of_each_money_column() -> None:
    """Each money field names its unit (元/万元), how many 元 one unit is, and its budget phase."""
    descriptor = json.loads(csv.render(build_report(gold_document("004")))["datapackage.json"])
    assert descriptor["profile"] == "tabular-data-package"
    fields = {f["name"]: f for f in descriptor["resources"][0]["schema"]["fields"]}
    executed = fields["total_executed"]
    assert executed["unit"] == "万元" and executed["moneyFactor"] == 10000 and executed["budgetPhase"] == "executed"
    assert (
        fields["total_initial"]["budgetPhase"] == "initial"
        and fields["carryover_adjusted"]["fundSource"] == "carryover"
    )
    assert fields["total_rate_pct"]["unit"] == "%"
    assert [r["path"] for r in descriptor["resources"]] == ["projects.csv", "indicators.csv"]
    assert descriptor["resources"][1]["schema"]["foreignKeys"][0]["reference"]["resource"] == "projects"


def test_declaration_money_is_requested_and_transfer_has_its_fund_sources() -> None:
    """A declaration's money column is 年度资金申请总额; a transfer payment's are central, local and other."""
    decl = json.loads(csv.render(build_report(gold_document("001")))["datapackage.json"])
    phases = {f.get("budgetPhase") for f in decl["resources"][0]["schema"]["fields"]} - {None}
    assert phases == {"requested"}
    files = csv.render(build_report(gold_document("003")))
    names = [f["name"] for f in json.loads(files["datapackage.json"])["resources"][0]["schema"]["fields"]]
    assert {"central_adjusted", "local_executed", "other_rate_pct"} <= set(names)
    assert len(_rows(files, "fund_management.csv")) == 7


def test_mixed_units_are_converted_to_yuan_exactly() -> None:
    """Projects in 元 and 万元 together: the money columns are in 元, 万元 figures multiplied exactly."""
    a, b = gold_document("000"), gold_document("004")
    mixed = replace(a, projects=(a.projects[0], b.projects[0]))
    files = csv.render(build_report(mixed))
    rows = _rows(files, "projects.csv")
    assert rows[1]["money_unit"] == "万元" and Decimal(rows[1]["total_executed"]) == Decimal("1623000")
    field = json.loads(files["datapackage.json"])["resources"][0]["schema"]["fields"]
    assert next(f for f in field if f["name"] == "total_executed")["unit"] == "元"


def test_text_that_looks_like_a_formula_is_quoted() -> None:
    """Cells starting with = + - @ get a leading apostrophe; numbers stay plain."""
    doc = gold_document("002")
    p = replace(doc.projects[0], name='=HYPERLINK("x")', unit="-单位", department="@部门")
    rows = _rows(csv.render(build_report(replace(doc, projects=(p,)))), "projects.csv")
    assert rows[0]["name"] == '\'=HYPERLINK("x")' and rows[0]["unit"] == "'-单位" and rows[0]["department"] == "'@部门"
    assert rows[0]["total_adjusted"] == "20.33"


def test_write_puts_the_files_in_a_folder(tmp_path: Path) -> None:
    """write() creates the folder with the CSV files and the descriptor, UTF-8 with a byte order mark."""
    written = csv.write(build_report(gold_document("003")), tmp_path / "out")
    assert sorted(p.name for p in written) == [
        "datapackage.json",
        "fund_management.csv",
        "indicators.csv",
        "projects.csv",
    ]
    assert (tmp_path / "out" / "projects.csv").read_bytes().startswith(b"\xef\xbb\xbf")
