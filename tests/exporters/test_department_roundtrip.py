"""The department-wide forms the project writes (XLSX, PDF, DOCX, tab-separated text) read back as they were written.

Both official layouts, 部门整体支出绩效自评表 and 部门整体支出绩效目标申报表, through the exporters' registry
(build_report and each renderer); two departments in one file, money by source and by nature to the fen
(0.00 rows kept), three numbered goals each. Each file is read back through the importer and compared
exactly, and with the shared scorer ``compare_gold.py`` at 99.9% or better.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest

from jixiao.core.model import Document, Goal, Kind
from jixiao.core.serialize import dumps
from jixiao.documents.importer import import_bytes
from jixiao.exporters import docx, fonts, pdf, xlsx
from jixiao.exporters.formats import RENDERERS
from jixiao.exporters.model import Style
from jixiao.exporters.report import build_report
from tests.exporters.helpers import department_document, grid_text
from tests.shared import load_compare_gold

BAR = 0.999
PDF_FONTS = ["pdf-cid"] + (["pdf-truetype"] if fonts.find_truetype() else [])
FORMATS = ["xlsx", *PDF_FONTS, "docx", "txt"]
KINDS = [Kind.DEPARTMENT_SELF_EVALUATION, Kind.DEPARTMENT_DECLARATION]


def two_departments(kind: Kind) -> Document:
    """The helper's department and a second one in 元 with other figures and goals."""
    doc = department_document(kind)
    first = doc.projects[0]
    split = first.department_funds
    assert split is not None
    second = replace(
        first,
        department="某区水利局",
        money_unit="元",
        goals=(
            Goal(
                "目标1：完成河道整治12公里", None if kind.is_department and first.execution is None else "完成12.5公里"
            ),
        ),
        department_funds=replace(split, government_fund=split.general_budget, general_budget=split.government_fund),
    )
    return replace(doc, projects=(first, second))


def render(fmt: str, document: Document) -> tuple[bytes, str]:
    """The document written in one format, and the file name it is read back under."""
    report = build_report(document)
    if fmt == "xlsx":
        return xlsx.render(report), "department.xlsx"
    if fmt == "docx":
        return docx.render(report), "department.docx"
    if fmt == "txt":
        return grid_text(report).encode("utf-8"), "department.txt"
    return pdf.render(report, font="cid" if fmt == "pdf-cid" else "auto"), "department.pdf"


def test_the_report_uses_the_department_layouts() -> None:
    """build_report picks the department layouts by kind; each form is titled with the official name."""
    for kind, style in zip(KINDS, (Style.DEPARTMENT, Style.DEPARTMENT_DECLARATION), strict=True):
        report = build_report(two_departments(kind))
        assert report.style is style
        assert [f.title for f in report.forms] == [kind.label, kind.label]
        assert [f.sheet for f in report.forms] == ["1.某区林业局", "2.某区水利局"]
    assert {"xlsx", "pdf", "docx"} <= set(RENDERERS)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
@pytest.mark.parametrize("fmt", FORMATS)
def test_department_form_reads_back_exactly(fmt: str, kind: Kind) -> None:
    """Every value of both departments comes back: the splits to the fen, each goal, each indicator."""
    document = two_departments(kind)
    data, name = render(fmt, document)
    result = import_bytes(data, name)
    assert result.document.kind is kind
    assert result.document == document, _first_difference(
        json.loads(dumps(result.document)), json.loads(dumps(document))
    )
    assert result.problems == ()


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
@pytest.mark.parametrize("fmt", FORMATS)
def test_department_round_trip_scores_999_with_compare_gold(fmt: str, kind: Kind) -> None:
    """The shared scorer, on the document as written against the document read back: 99.9% or better."""
    compare = load_compare_gold()
    document = two_departments(kind)
    data, name = render(fmt, document)
    gold = json.loads(dumps(document))
    predicted = json.loads(dumps(import_bytes(data, name).document))
    tally = compare.compare_documents(gold, predicted)
    assert tally.counted > 70  # both departments: identity, money rows, goals aside, every indicator field
    assert tally.correct / tally.counted >= BAR, tally.diffs[:10]


def test_a_damaged_figure_is_what_the_round_trip_catches() -> None:
    """The comparison can fail: a figure changed after writing is a difference, not a pass."""
    document = two_departments(Kind.DEPARTMENT_SELF_EVALUATION)
    data, name = render("txt", document)
    text = data.decode("utf-8").replace("3,873.66", "3,873.67", 1)
    read = import_bytes(text.encode("utf-8"), name).document
    assert read != document
    assert read.projects[0].department_funds.general_budget.initial == Decimal("3873.67")  # type: ignore[union-attr]


def _first_difference(a: object, b: object, path: str = "$") -> str:
    """Where two JSON trees first differ, for the assertion message."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                return _first_difference(a.get(key), b.get(key), f"{path}.{key}")
    if isinstance(a, list) and isinstance(b, list):
        for n, (x, y) in enumerate(zip(a, b, strict=False)):
            if x != y:
                return _first_difference(x, y, f"{path}[{n}]")
        return f"{path}: {len(a)} items read, {len(b)} written"
    return f"{path}: read {a!r}, written {b!r}"
