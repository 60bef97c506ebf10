"""Gold -> XLSX / PDF / DOCX -> read back: every seed comes back at least 99.9% right (compare_gold)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from jixiao.core.model import Document
from jixiao.core.serialize import dumps, loads
from jixiao.documents.importer import import_bytes
from jixiao.exporters import docx, fonts, pdf, xlsx
from jixiao.exporters.report import build_report
from tests.exporters.helpers import STEMS, gold_document, gold_path, read_back
from tests.shared import GOLD_FILES, score

pytestmark = pytest.mark.shared  # reads ../shared (seeds, gold, corpus): skipped, saying so, where absent

BAR = 0.999
# The built-in CID font always; an installed TrueType font as well where the machine has one.
PDF_FONTS = ["cid"] + (["truetype"] if fonts.find_truetype() else [])


def _render(fmt: str, stem: str) -> bytes:
    report = build_report(gold_document(stem))
    if fmt == "xlsx":
        return xlsx.render(report)
    if fmt == "docx":
        return docx.render(report)
    return pdf.render(report, font="cid" if fmt == "pdf-cid" else "auto")


def _check(fmt: str, stem: str) -> None:
    suffix = "pdf" if fmt.startswith("pdf") else fmt
    result, predicted = read_back(_render(fmt, stem), f"{stem}.{suffix}")
    correct, counted, diffs = score(gold_path(stem), predicted)
    assert correct / counted >= BAR, "\n".join(diffs[:20])
    gold = gold_document(stem)
    assert [p.name for p in result.document.projects] == [p.name for p in gold.projects]
    assert [len(p.indicators) for p in result.document.projects] == [len(p.indicators) for p in gold.projects]
    assert result.problems == ()


@pytest.mark.parametrize("stem", STEMS)
def test_xlsx_round_trip(stem: str) -> None:
    """A seed written as XLSX in its official layout reads back at least 99.9% right, with no warning."""
    _check("xlsx", stem)


@pytest.mark.parametrize("stem", STEMS)
def test_docx_round_trip(stem: str) -> None:
    """A seed written as a Word report with its forms attached reads back at least 99.9% right."""
    _check("docx", stem)


@pytest.mark.parametrize("font", PDF_FONTS)
@pytest.mark.parametrize("stem", STEMS)
def test_pdf_round_trip(stem: str, font: str) -> None:
    """A seed written as PDF (built-in CID font, and TrueType where installed) reads back at least 99.9% right."""
    _check("pdf-cid" if font == "cid" else "pdf-auto", stem)


@pytest.mark.parametrize("fmt", ["xlsx", "pdf-cid", "docx"])
def test_every_value_read_back_has_its_cell(fmt: str) -> None:
    """Reading an exported form gives the place of every value: sheet and cell, page, or Word table cell."""
    suffix = "pdf" if fmt.startswith("pdf") else fmt
    result, predicted = read_back(_render(fmt, "002"), f"002.{suffix}")
    first = predicted["projects"][0]
    paths = [f"projects[0].{k}" for k in ("name", "department", "unit", "goal", "outcome", "total_score", "grade")]
    paths += [f"projects[0].funds.total.{k}" for k in ("initial", "adjusted", "executed", "rate_pct")]
    paths += [f"projects[0].execution.{k}" for k in ("weight", "rate_pct", "score")]
    for n, ind in enumerate(first["indicators"]):
        paths += [f"projects[0].indicators[{n}].{k}" for k, v in ind.items() if v is not None]
    missing = [p for p in paths if p not in result.locations]
    assert missing == []
    where = result.locations["projects[0].indicators[1].target"]
    if fmt == "xlsx":
        assert where.sheet and where.cell and where.cell.startswith("D")
    elif fmt == "pdf-cid":
        assert where.page is not None and where.cell and where.cell.startswith("表1!D")
    else:
        assert where.cell and where.cell.startswith("表1!D")


def test_xlsx_location_points_at_the_cell_that_holds_the_value() -> None:
    """The cell a value is located at holds that value in the workbook."""
    from io import BytesIO

    from openpyxl import load_workbook

    data = _render("xlsx", "004")
    result, _ = read_back(data, "004.xlsx")
    wb = load_workbook(BytesIO(data), read_only=False)
    doc = result.document
    for path, value in (
        ("projects[1].name", doc.projects[1].name),
        ("projects[1].indicators[5].actual", doc.projects[1].indicators[5].actual),
        (
            "projects[1].funds.total.executed",
            doc.projects[1].funds.total.executed if doc.projects[1].funds.total else None,
        ),
    ):
        where = result.locations[path]
        cell = wb[where.sheet][where.cell]
        assert str(cell.value) == str(value) or float(cell.value) == float(str(value))


EXPECTED = sorted((Path(__file__).resolve().parents[1] / "documents" / "expected").rglob("*.json"))


@pytest.mark.parametrize("path", [*GOLD_FILES, *EXPECTED], ids=lambda p: p.stem)
def test_pdf_reads_back_every_document_exactly(path: Path) -> None:
    """Every gold and example document, printed to PDF and read back, gives the same values (notes are not printed).

    Figures compare as numbers: the form prints 162.3 as 162.30, in its layout's decimals; and a
    fund row the layout always prints reads back empty where the document has none.
    """
    document = _without_empty_rows(loads(path.read_text(encoding="utf-8"), source=path.name))
    data = pdf.render(build_report(document), font="cid")
    back = _without_empty_rows(replace(import_bytes(data, f"{path.stem}.pdf").document, notes=document.notes))
    assert back == document, _first_difference(json.loads(dumps(back)), json.loads(dumps(document)))


def _without_empty_rows(document: Document) -> Document:
    """The document with every fund row that holds no figure left out (paper cannot tell them apart)."""
    projects = []
    for p in document.projects:
        rows = {key: None if row.is_empty() else row for key, row in p.funds.rows()}
        projects.append(replace(p, funds=replace(p.funds, **rows)))
    return replace(document, projects=tuple(projects))


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
