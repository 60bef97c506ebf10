"""The monitoring form through the CLI as an officer uses it: export a round's forms, import them back, show one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.cli import EXIT_OK, EXIT_UNUSABLE, EXIT_WARNINGS, main
from jixiao.core.model import Kind
from jixiao.core.serialize import dumps, loads
from jixiao.exporters.report import build_report
from tests.exporters.helpers import grid_text, monitoring_document
from tests.exporters.test_monitoring_roundtrip import without_empty_rows


def _write_round(folder: Path) -> Path:
    """The round's document as ``jixiao import`` writes it, in a folder of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "monitoring.json"
    path.write_text(dumps(monitoring_document()), encoding="utf-8")
    return path


def test_export_writes_the_monitoring_form_in_every_format_and_names_the_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder with one good monitoring document and one with a cause type no form has: the good one is written."""
    source = tmp_path / "in"
    _write_round(source)
    broken = json.loads(dumps(monitoring_document()))
    broken["projects"][0]["indicators"][0]["cause"] = ["资金不足"]
    (source / "broken.json").write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    for fmt in ("xlsx", "pdf", "docx", "csv"):
        code = main(["export", str(source), "--to", fmt, "--out-dir", str(tmp_path / fmt), "-q"])
        captured = capsys.readouterr()
        assert code == EXIT_UNUSABLE
        assert "broken.json" in captured.err and "cause" in captured.err and "资金不足" in captured.err
        assert not list((tmp_path / fmt).glob("broken*"))
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "xlsx" / "monitoring.xlsx").worksheets[1]
    printed = {c.value for row in sheet.iter_rows() for c in row if c.value}
    assert {"项目支出绩效目标执行监控表", "截至7月31日执行数", "全年预计执行数", "完成目标可能性"} <= printed
    assert "经费保障、人员保障" in printed
    assert (tmp_path / "pdf" / "monitoring.pdf").stat().st_size > 0
    assert (tmp_path / "docx" / "monitoring.docx").stat().st_size > 0
    assert (tmp_path / "csv" / "monitoring" / "datapackage.json").is_file()


def test_import_reads_every_format_back_and_warns_about_the_bad_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exported forms (XLSX, PDF, DOCX, text, CSV) read back as written; a 完成目标可能性 no form has is named."""
    round_file = _write_round(tmp_path / "round")
    source = tmp_path / "in"
    for fmt in ("xlsx", "pdf", "docx", "csv"):
        assert main(["export", str(round_file), "--to", fmt, "--out-dir", str(source), "-q"]) == EXIT_OK
    report = build_report(monitoring_document())
    (source / "typed.txt").write_text(grid_text(report), encoding="utf-8")
    # a unit typed its own answer into 完成目标可能性: the form offers three
    (source / "bad.txt").write_text(grid_text(report).replace("\t有可能\t增派人员", "\t基本能\t增派人员"), "utf-8")
    capsys.readouterr()
    code = main(["import", str(source), "--out-dir", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == EXIT_WARNINGS
    assert "bad.txt" in err and "完成目标可能性" in err and "基本能" in err
    expected = without_empty_rows(monitoring_document())
    # monitoring.xlsx, .pdf, .docx and the CSV package folder share a stem: four files, none overwritten
    readings = [*sorted((tmp_path / "out").glob("monitoring*.json")), tmp_path / "out" / "typed.json"]
    assert len(readings) == 5, [p.name for p in readings]
    for path in readings:
        assert without_empty_rows(loads(path.read_text(encoding="utf-8"))) == expected, path.name
    bad = loads((tmp_path / "out" / "bad.json").read_text(encoding="utf-8"))
    assert bad.kind is Kind.MONITORING and bad.projects[0].indicators[0].likelihood is None


def test_show_prints_the_monitoring_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``jixiao show`` on an exported form prints its as-of date, the forecast and each indicator's outlook."""
    monkeypatch.setenv("COLUMNS", "250")
    round_file = _write_round(tmp_path / "round")
    assert main(["export", str(round_file), "--to", "xlsx", "--out-dir", str(tmp_path), "-q"]) == EXIT_OK
    capsys.readouterr()
    assert main(["show", str(tmp_path / "monitoring.xlsx")]) == EXIT_OK
    out = capsys.readouterr().out
    assert "项目支出绩效目标执行监控表，2025年度，3 个项目，10 个指标" in out
    for text in ("监控截止日期", "2025-07-31", "全年预计执行数", "1200000.00", "完成目标可能性", "完全不可能"):
        assert text in out, text
    assert "经费保障、人员保障" in out and "申请调整绩效目标" in out
