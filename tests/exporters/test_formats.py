"""The one table of renderers (exporters/formats.py): every format writes what jixiao reads back, and the
CLI, the web's downloads and the summary table all draw through it."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook

from jixiao.cli import EXIT_OK, main
from jixiao.documents.importer import import_path
from jixiao.exporters.formats import DOWNLOADS, RENDERERS, renderer
from jixiao.exporters.model import Listing, ListingColumn
from jixiao.exporters.report import build_report

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "2024-self-evaluation-tabbed.txt"


@pytest.mark.parametrize("fmt", list(RENDERERS))
def test_each_renderer_writes_what_jixiao_reads_back(fmt: str, tmp_path: Path) -> None:
    """Written at its suffix (a folder for CSV), each export imports again to the same projects."""
    document = import_path(EXAMPLE).document
    entry = RENDERERS[fmt]
    written = entry.write(build_report(document), tmp_path / f"out{entry.suffix}")
    assert all(p.is_file() and p.stat().st_size > 0 for p in written.paths)
    assert (written.pages > 0) == (fmt == "pdf")
    back = import_path(tmp_path / "out" if fmt == "csv" else written.paths[0]).document
    assert [p.name for p in back.projects] == [p.name for p in document.projects]


def test_a_record_download_is_its_forms_without_the_summary_page(tmp_path: Path) -> None:
    """The web's PDF of one record leaves out the 汇总表 page the CLI's export starts with."""
    report = build_report(import_path(EXAMPLE).document)
    written = RENDERERS["pdf"].write(report, tmp_path / "all.pdf")
    download = DOWNLOADS["pdf"].download
    assert download is not None
    with pdfplumber.open(io.BytesIO(download(report))) as pdf:
        pages = len(pdf.pages)
        first = pdf.pages[0].extract_text()
    assert pages < written.pages
    assert report.forms[0].title in first and report.summary.title not in first
    assert list(DOWNLOADS) == ["xlsx", "pdf", "docx"]  # CSV is a folder of files: no single download


def test_a_listing_is_drawn_safely_by_both_listing_renderers() -> None:
    """The summary table's formats: a formula-like name stays text, an amount stays an exact number."""
    listing = Listing(
        title="2026年度汇总表",
        sheet="汇总表",
        columns=(ListingColumn("项目名称", "text", 40), ListingColumn("预算数（元）", "money", 16)),
        rows=(("=1+1", Decimal("1234567.89")), ("甲", None)),
        totals=("合计", Decimal("1234567.89")),
    )
    xlsx_listing, csv_listing = RENDERERS["xlsx"].listing, RENDERERS["csv"].listing
    assert xlsx_listing is not None and csv_listing is not None
    sheet = load_workbook(io.BytesIO(xlsx_listing(listing)))["汇总表"]
    assert sheet["A1"].value == "2026年度汇总表" and sheet.freeze_panes == "B3"
    assert sheet["A3"].value == "=1+1" and sheet["A3"].data_type == "s"
    assert Decimal(str(sheet["B3"].value)) == Decimal("1234567.89") and sheet["B3"].number_format == "#,##0.00"
    text = csv_listing(listing).decode("utf-8")
    assert text.startswith("\ufeff项目名称,预算数（元）\r\n")
    assert "'=1+1,1234567.89\r\n甲,\r\n合计,1234567.89\r\n" in text


def test_the_cli_offers_and_names_the_table_s_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--to`` takes exactly the table's formats and the summary line says the format's Chinese name."""
    assert main(["export", str(EXAMPLE), "--to", "docx", "--out-dir", str(tmp_path)]) == EXIT_OK
    assert f"导出 1 个 {RENDERERS['docx'].name}" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["export", str(EXAMPLE), "--to", "odt", "--out-dir", str(tmp_path)])
    with pytest.raises(ValueError, match="odt"):
        renderer("odt")
