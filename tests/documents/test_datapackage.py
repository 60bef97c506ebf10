"""A CSV open-data package written by jixiao reads back into the same document; other packages are refused."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.core.errors import SourceError
from jixiao.core.model import FundRow, Funds, Indicator
from jixiao.core.serialize import dumps, loads
from jixiao.documents.importer import import_bytes, import_path
from jixiao.exporters import csv as csv_export
from jixiao.exporters.report import build_report
from tests.exporters.helpers import gold_document
from tests.shared import GOLD_FILES

pytestmark = pytest.mark.shared  # reads ../shared (seeds, gold, corpus): skipped, saying so, where absent

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = sorted((ROOT / "tests" / "documents" / "expected").rglob("*.json"))


def _package(document: object, folder: Path) -> Path:
    csv_export.write(build_report(document), folder)  # type: ignore[arg-type]
    return folder


@pytest.mark.parametrize("path", [*GOLD_FILES, *EXPECTED], ids=lambda p: p.stem)
def test_every_document_comes_back_from_its_csv_package(path: Path, tmp_path: Path) -> None:
    """Gold and example documents written as CSV and read back give the same JSON, digit for digit."""
    document = loads(path.read_text(encoding="utf-8"), source=path.name)
    folder = _package(document, tmp_path / "pkg")
    result = import_path(folder / "datapackage.json")
    assert dumps(result.document) == dumps(document)
    assert result.problems == ()


def test_money_in_two_units_goes_back_to_each_projects_unit(tmp_path: Path) -> None:
    """A document mixing 元 and 万元 is written in 元; reading it back gives each project its own unit again."""
    doc = gold_document("004")
    first, second = doc.projects[0], doc.projects[1]
    in_wan = replace(
        first,
        money_unit="万元",
        funds=Funds(total=FundRow(initial=Decimal("12.34"), adjusted=Decimal("12.5"), executed=Decimal("0.0105"))),
    )
    in_yuan = replace(second, money_unit="元")
    mixed = replace(doc, projects=(in_wan, in_yuan))
    folder = _package(mixed, tmp_path / "pkg")
    projects_csv = (folder / "projects.csv").read_text(encoding="utf-8-sig")
    assert "123400" in projects_csv  # written in 元, as docs/open-data.md says
    back = import_path(folder / "datapackage.json").document
    assert back == mixed
    total = back.projects[0].funds.total
    assert total is not None and (str(total.initial), str(total.adjusted), str(total.executed)) == (
        "12.34",
        "12.50",
        "0.0105",
    )


def test_text_that_looks_like_a_formula_comes_back_unchanged(tmp_path: Path) -> None:
    """The apostrophe that keeps 「=A1」 from running in a spreadsheet is removed on reading, and only it."""
    doc = gold_document("004")
    texts = ("=SUM(A1)", "'=已有撇号", "-5%", "'普通撇号", "+1")
    indicators = tuple(
        Indicator("产出指标", "数量指标", f"指标{n}", target=t, actual=t) for n, t in enumerate(texts, start=1)
    )
    project = replace(doc.projects[0], indicators=indicators)
    folder = _package(replace(doc, projects=(project,)), tmp_path / "pkg")
    lines = (folder / "indicators.csv").read_text(encoding="utf-8-sig")
    assert "'=SUM(A1)" in lines and "''=已有撇号" in lines
    back = import_path(folder / "datapackage.json").document.projects[0].indicators
    assert [i.target for i in back] == list(texts)


def test_a_descriptor_uploaded_alone_is_refused_in_chinese(tmp_path: Path) -> None:
    """Given only the bytes of datapackage.json (an upload), the reader asks for the folder."""
    folder = _package(gold_document("003"), tmp_path / "pkg")
    with pytest.raises(SourceError) as info:
        import_bytes((folder / "datapackage.json").read_bytes(), "datapackage.json")
    assert "整个文件夹" in info.value.message and "schema" not in info.value.message


def test_a_csv_named_alone_is_refused_in_chinese(tmp_path: Path) -> None:
    """projects.csv named on its own is part of a package: the message says to read the folder."""
    folder = _package(gold_document("003"), tmp_path / "pkg")
    with pytest.raises(SourceError, match="整个文件夹"):
        import_path(folder / "projects.csv")


def test_a_package_not_written_by_jixiao_is_refused(tmp_path: Path) -> None:
    """A data package without jixiao's description is refused, naming the file."""
    folder = _package(gold_document("003"), tmp_path / "pkg")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    del descriptor["x-jixiao"]
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(SourceError) as info:
        import_path(folder / "datapackage.json")
    assert "不是 jixiao 导出的" in info.value.message
    assert info.value.location.file == str(folder / "datapackage.json")


def test_a_bad_number_in_a_table_names_the_file_line_and_cell(tmp_path: Path) -> None:
    """A 分值 edited to text in indicators.csv is refused at its file, line and spreadsheet cell."""
    folder = _package(gold_document("004"), tmp_path / "pkg")
    path = folder / "indicators.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][8] == "weight"
    rows[3][8] = "五分"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)
    with pytest.raises(SourceError) as info:
        import_path(folder / "datapackage.json")
    where = info.value.location
    assert (where.file, where.line, where.cell) == (str(path), 4, "I4")
    assert "「分值」应为数字" in info.value.message


def test_a_descriptor_may_name_only_files_beside_it(tmp_path: Path) -> None:
    """A resource path leading out of the folder is refused, not followed."""
    folder = _package(gold_document("004"), tmp_path / "pkg")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = "../../etc/passwd.csv"
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(SourceError, match="路径"):
        import_path(folder / "datapackage.json")
