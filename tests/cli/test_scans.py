"""``jixiao import`` and ``jixiao show`` on scans: progress per page, uncertain values marked, a missing extra named."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest

from jixiao.cli import main
from jixiao.core.model import Document
from jixiao.exporters import pdf
from jixiao.exporters.report import build_report
from tests.documents.ocr import testset
from tests.exporters.helpers import gold_document

pytestmark = pytest.mark.ocr


def _one_project(executed: str | None = None) -> Document:
    """The first project of seed 002 alone; ``executed`` replaces its executed total (breaking its rate)."""
    gold = gold_document("002")
    project = gold.projects[0]
    if executed is not None:
        assert project.funds.total is not None
        project = replace(
            project, funds=replace(project.funds, total=replace(project.funds.total, executed=Decimal(executed)))
        )
    return replace(gold, projects=(project,))


def _png(doc: Document, path: Path) -> Path:
    page = testset.rasterise(pdf.render(build_report(doc), font="cid", summary=False), 300)[0]
    buffer = BytesIO()
    page.save(buffer, format="PNG", dpi=(300, 300))
    return testset.write(path, buffer.getvalue())


@pytest.mark.shared
def test_import_reads_a_folder_of_scans_with_one_bomb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A folder with a page image and a decompression bomb: the page is read (progress per page), the bomb listed."""
    from tests.documents.ocr.test_pages import _bomb_png

    folder = tmp_path / "scans"
    folder.mkdir()
    _png(_one_project(), folder / "page.png")
    (folder / "bomb.png").write_bytes(_bomb_png(60_000))
    code = main(["import", str(folder), "--out-dir", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == 2, captured.err
    assert "识别 page.png：第 1/1 页" in captured.err
    assert "bomb.png" in captured.err and "解压炸弹" in captured.err
    assert "共 2 个文件：1 个项目" in captured.out and "1 个文件无法读取" in captured.out
    written = json.loads((tmp_path / "out" / "page.json").read_text(encoding="utf-8"))
    gold = _one_project().projects[0]
    read = written["projects"][0]
    assert read["name"] == gold.name and len(read["indicators"]) == len(gold.indicators)
    assert Decimal(str(read["funds"]["total"]["executed"])) == gold.funds.total.executed  # type: ignore[union-attr]
    assert not (tmp_path / "out" / "bomb.json").exists()


@pytest.mark.shared
def test_show_marks_a_figure_that_breaks_the_forms_arithmetic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A scanned 执行数 that does not give the printed 执行率 is shown with 〔?〕 and listed with its page and cell."""
    scan = _png(_one_project(executed="10.30"), tmp_path / "form.png")
    code = main(["show", str(scan)])
    out = capsys.readouterr().out
    assert code in (0, 1)
    assert "10.30〔?〕" in out
    listed = [line for line in out.splitlines() if "funds.total.executed" in line]
    assert len(listed) == 1 and "第1页" in listed[0] and "单元格 表1!" in listed[0]
    # the figures that agree with each other are not marked
    assert "20.33〔?〕" in out and "80.17〔?〕" in out
    assert "0.00〔?〕" not in out
    assert out.count("〔?〕") <= 8


def test_a_scan_without_the_ocr_extra_names_the_install_command(tmp_path: Path) -> None:
    """Without the OCR extra, importing a scan fails (status 2) with the pip command that installs it."""
    from PIL import Image

    scan = tmp_path / "scan.png"
    Image.new("RGB", (200, 280), "white").save(scan)
    code = (
        "import sys; sys.modules['rapidocr'] = None; from jixiao.cli import main; "
        f"sys.exit(main(['import', {str(scan)!r}, '--out-dir', {str(tmp_path / 'out')!r}]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}
    )
    assert done.returncode == 2
    assert "pip install -e '.[ocr]'" in done.stderr and "scan.png" in done.stderr
