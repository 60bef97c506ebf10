"""The monitoring form the project writes (XLSX, PDF, DOCX, tab-separated text) reads back as it was written.

The document is built here: three projects, money to the fen (元 and 万元), every 偏差原因类型 and every
完成目标可能性, and cells left empty (no value to date yet, no forecast, no cause, an empty fund row).
Each format is read back through the importer and compared twice: exactly (the same document, fund rows
that print no figure aside) and with the shared scorer ``compare_gold.py`` at 99.9% or better, its
fields and the monitoring form's own (which the scorer predates) counted alike.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest

from jixiao.core.model import Document, Kind
from jixiao.core.serialize import dumps
from jixiao.documents.importer import import_bytes
from jixiao.documents.result import ImportResult
from jixiao.exporters import docx, fonts, pdf, xlsx
from jixiao.exporters.report import build_report
from tests.exporters.helpers import grid_text, monitoring_document
from tests.shared import load_compare_gold

BAR = 0.999
# The built-in CID font always; an installed TrueType font as well where the machine has one.
PDF_FONTS = ["pdf-cid"] + (["pdf-truetype"] if fonts.find_truetype() else [])
FORMATS = ["xlsx", *PDF_FONTS, "docx", "txt"]


def render(fmt: str, document: Document) -> tuple[bytes, str]:
    """The document written in one format, and the file name it is read back under."""
    report = build_report(document)
    if fmt == "xlsx":
        return xlsx.render(report), "monitoring.xlsx"
    if fmt == "docx":
        return docx.render(report), "monitoring.docx"
    if fmt == "txt":
        return grid_text(report).encode("utf-8"), "monitoring.txt"
    return pdf.render(report, font="cid" if fmt == "pdf-cid" else "auto"), "monitoring.pdf"


def without_empty_rows(document: Document) -> Document:
    """The document with every fund row that holds no figure left out (the form prints all four rows)."""
    projects = []
    for p in document.projects:
        rows = {key: None if row.is_empty() else row for key, row in p.funds.rows()}
        projects.append(replace(p, funds=replace(p.funds, **rows)))
    return replace(document, projects=tuple(projects))


def read(fmt: str, document: Document) -> ImportResult:
    data, name = render(fmt, document)
    return import_bytes(data, name)


@pytest.mark.parametrize("fmt", FORMATS)
def test_monitoring_form_reads_back_exactly(fmt: str) -> None:
    """Every value of every project comes back: figures to the fen, each cause and likelihood, empty cells empty."""
    document = monitoring_document()
    result = read(fmt, document)
    assert result.document.kind is Kind.MONITORING
    assert without_empty_rows(result.document) == without_empty_rows(document), _first_difference(
        json.loads(dumps(without_empty_rows(result.document))), json.loads(dumps(without_empty_rows(document)))
    )
    assert result.problems == ()


# The monitoring form's own fields, which compare_gold.py (written before the kind) does not count.
_PROJECT_MONITORED = ("as_of",)
_ROW_MONITORED = ("forecast",)
_INDICATOR_MONITORED = ("forecast", "cause", "likelihood", "remedy")


def _score(gold: dict, predicted: dict) -> tuple[int, int, list[str]]:  # type: ignore[type-arg]
    """compare_gold's tally of the two documents, with the monitoring fields counted by its own rule."""
    compare = load_compare_gold()
    tally = compare.compare_documents(gold, predicted)
    for g, p in compare.match_by_key(gold["projects"], predicted["projects"], compare.project_key):
        where = f"project[{(g or p)['name']}]"
        if g is None or p is None:
            tally.missing(where, g or p, _PROJECT_MONITORED, "gold" if g else "pred")
            continue
        compare.compare_fields(tally, where, g, p, _PROJECT_MONITORED)
        for row in sorted(set(g["funds"]) | set(p["funds"])):
            compare.compare_fields(
                tally, f"{where}.funds.{row}", g["funds"].get(row) or {}, p["funds"].get(row) or {}, _ROW_MONITORED
            )
        for a, b in compare.align_indicators(g["indicators"], p["indicators"]):
            label = f"{where}.indicator[{(a or b)['name']}]"
            if a is None or b is None:
                tally.missing(label, a or b, _INDICATOR_MONITORED, "gold" if a else "pred")
                continue
            # a list of causes compares as its printed text, in order
            a, b = (
                {**a, "cause": "、".join(a.get("cause") or []) or None},
                {**b, "cause": "、".join(b.get("cause") or []) or None},
            )
            compare.compare_fields(tally, label, a, b, _INDICATOR_MONITORED)
    return tally.correct, tally.counted, tally.diffs


@pytest.mark.shared
@pytest.mark.parametrize("fmt", FORMATS)
def test_monitoring_round_trip_scores_with_compare_gold(fmt: str) -> None:
    """The form read back scores at least 99.9% against the written document with compare_gold.py."""
    document = monitoring_document()
    gold = json.loads(dumps(document))
    predicted = json.loads(dumps(read(fmt, document).document))
    correct, counted, diffs = _score(gold, predicted)
    assert counted >= 120  # every field of three projects was counted (126), the monitoring ones too
    assert correct / counted >= BAR, "\n".join(diffs[:20])


@pytest.mark.shared
def test_the_scorer_counts_a_wrong_monitoring_field() -> None:
    """A forecast or a likelihood read wrong lowers the score: the extended tally is not blind to them."""
    document = monitoring_document()
    gold = json.loads(dumps(document))
    wrong = json.loads(dumps(document))
    wrong["projects"][0]["indicators"][0]["likelihood"] = "确定能"
    wrong["projects"][1]["funds"]["total"]["forecast"] = 86.04
    wrong["projects"][2]["indicators"][1]["cause"] = ["制度保障"]
    correct, counted, diffs = _score(gold, wrong)
    assert counted - correct == 3, diffs


def _first_difference(a: object, b: object, where: str = "$") -> str:
    """The JSON path and the two values where two documents first differ (for the failure message)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in a.keys() | b.keys():
            if a.get(key) != b.get(key):
                return _first_difference(a.get(key), b.get(key), f"{where}.{key}")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for n, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _first_difference(x, y, f"{where}[{n}]")
    return f"{where}: {a!r} != {b!r}"


def test_every_monitoring_value_read_from_a_workbook_has_its_cell() -> None:
    """The as-of date, a forecast, the causes, the likelihood and the remedy are located in the cells holding them."""
    from io import BytesIO

    from openpyxl import load_workbook

    data, name = render("xlsx", monitoring_document())
    result = import_bytes(data, name)
    workbook = load_workbook(BytesIO(data))
    for path, value in (
        ("projects[0].as_of", "2025-07-31"),
        ("projects[0].funds.total.forecast", "1200000.00"),
        ("projects[0].indicators[0].forecast", "10000份"),
        ("projects[0].indicators[0].cause", "经费保障、人员保障"),
        ("projects[0].indicators[3].likelihood", "完全不可能"),
        ("projects[0].indicators[3].remedy", "申请调整绩效目标"),
    ):
        where = result.locations[path]
        assert where.sheet is not None and where.cell is not None, path
        cell = workbook[where.sheet][where.cell].value
        assert str(cell) == value or Decimal(str(cell)) == Decimal(value), path


def test_a_form_running_over_several_pages_reads_back_exactly() -> None:
    """Forty indicators run the first form over a page break in the PDF: every row comes back once, in order."""
    document = monitoring_document()
    first = document.projects[0]
    many = tuple(replace(i, name=f"{i.name}{k}") for k in range(8) for i in first.indicators)
    document = replace(document, projects=(replace(first, indicators=many), *document.projects[1:]))
    data, pages = pdf.render_counted(build_report(document), font="cid")
    assert pages == 5  # the 汇总表, two pages of the first form, one of each other form
    result = import_bytes(data, "monitoring.pdf")
    assert without_empty_rows(result.document) == without_empty_rows(document)
    assert result.problems == ()
