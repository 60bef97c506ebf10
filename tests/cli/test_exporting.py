"""``jixiao export``: any input jixiao reads, out as XLSX, PDF, DOCX or CSV; hostile input refused, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.cli import EXIT_OK, EXIT_UNUSABLE, EXIT_WARNINGS, main
from jixiao.core.serialize import dumps, loads
from tests.shared import GOLD_FILES, SEEDS, score

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.shared
@pytest.mark.parametrize("fmt", ["xlsx", "pdf", "docx"])
def test_export_then_import_gives_the_document_back(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exporting a gold JSON and importing the file again gives the gold reading back."""
    gold = next(p for p in GOLD_FILES if p.name.startswith("004"))
    assert main(["export", str(gold), "--to", fmt, "--out-dir", str(tmp_path / "out")]) == EXIT_OK
    written = tmp_path / "out" / f"{gold.stem}.{fmt}"
    assert written.is_file()
    assert "导出 1 个" in capsys.readouterr().out
    assert main(["import", str(written), "--out-dir", str(tmp_path / "back")]) == EXIT_OK
    back = json.loads((tmp_path / "back" / f"{gold.stem}.json").read_text(encoding="utf-8"))
    correct, counted, _ = score(gold, back)
    assert correct == counted


@pytest.mark.shared
def test_export_reads_text_sources_and_folders(tmp_path: Path) -> None:
    """A folder of published text extractions exports one workbook per file."""
    assert main(["export", str(SEEDS), "--to", "xlsx", "--out-dir", str(tmp_path), "-q"]) == EXIT_OK
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == sorted(p.stem + ".xlsx" for p in SEEDS.glob("*.txt"))


@pytest.mark.shared
def test_export_to_csv_writes_a_data_package_folder(tmp_path: Path) -> None:
    """CSV export writes a folder per input with the tables and datapackage.json."""
    gold = next(p for p in GOLD_FILES if p.name.startswith("003"))
    assert main(["export", str(gold), "--to", "csv", "--out-dir", str(tmp_path)]) == EXIT_OK
    folder = tmp_path / gold.stem
    assert (folder / "datapackage.json").is_file() and (folder / "indicators.csv").is_file()


@pytest.mark.shared
def test_style_option_chooses_the_2024_layout(tmp_path: Path) -> None:
    """--style 2024 prints a 2022 self-evaluation in the 2024 layout (评分等级 row, 分数 column)."""
    from openpyxl import load_workbook

    gold = next(p for p in GOLD_FILES if p.name.startswith("000"))
    assert main(["export", str(gold), "--to", "xlsx", "--style", "2024", "--out-dir", str(tmp_path), "-q"]) == EXIT_OK
    ws = load_workbook(tmp_path / f"{gold.stem}.xlsx").worksheets[1]
    values = {c.value for row in ws.iter_rows() for c in row}
    assert "评分等级" in values and "分数" in values


@pytest.mark.shared
def test_an_export_never_overwrites_its_input(tmp_path: Path) -> None:
    """An XLSX exported to XLSX into its own folder is written beside it under another name."""
    gold = next(p for p in GOLD_FILES if p.name.startswith("002"))
    assert main(["export", str(gold), "--to", "xlsx", "--out-dir", str(tmp_path), "-q"]) == EXIT_OK
    source = tmp_path / f"{gold.stem}.xlsx"
    before = source.read_bytes()
    assert main(["export", str(source), "--to", "xlsx", "--out-dir", str(tmp_path), "-q"]) == EXIT_OK
    assert source.read_bytes() == before
    assert (tmp_path / f"{gold.stem}-导出.xlsx").is_file()


def test_hostile_input_is_refused_and_nothing_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file whose content does not match its extension is refused with exit 2, and no output file appears."""
    fake = tmp_path / "form.xlsx"
    fake.write_bytes(b"%PDF-1.4\n fake")
    out = tmp_path / "out"
    assert main(["export", str(fake), "--to", "pdf", "--out-dir", str(out)]) == EXIT_UNUSABLE
    assert "扩展名是 .xlsx" in capsys.readouterr().err
    assert list(out.iterdir()) == []
    assert main(["import", str(fake), "--out-dir", str(out)]) == EXIT_UNUSABLE
    assert list(out.iterdir()) == []


def test_warnings_of_the_input_give_exit_1(tmp_path: Path) -> None:
    """An input read with warnings is still exported, with exit status 1."""
    example = ROOT / "examples" / "2024-self-evaluation-tabbed.txt"
    text = example.read_text(encoding="utf-8").split("\n")
    text.insert(12, "这一行不属于表格的任何一栏\t\t\t\t\t\t")
    src = tmp_path / "odd.txt"
    src.write_text("\n".join(text), encoding="utf-8")
    assert main(["export", str(src), "--to", "docx", "--out-dir", str(tmp_path / "out"), "-q"]) == EXIT_WARNINGS
    assert (tmp_path / "out" / "odd.docx").is_file()


def test_unknown_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """--to must be one of xlsx, pdf, docx, csv."""
    with pytest.raises(SystemExit) as info:
        main(["export", "x.txt", "--to", "html"])
    assert info.value.code == EXIT_UNUSABLE


@pytest.mark.shared
def test_a_csv_export_imports_back_into_the_same_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """export --to csv, then import of the output folder, gives back the input's JSON digit for digit."""
    gold = next(p for p in GOLD_FILES if p.name.startswith("003"))
    assert main(["export", str(gold), "--to", "csv", "--out-dir", str(tmp_path / "csv"), "-q"]) == EXIT_OK
    assert main(["import", str(tmp_path / "csv"), "--out-dir", str(tmp_path / "back")]) == EXIT_OK
    captured = capsys.readouterr()
    assert "无法读取" not in captured.out + captured.err
    back = tmp_path / "back" / f"{gold.stem}.json"  # named after the package's folder
    text = back.read_text(encoding="utf-8")
    # the document as written, digit for digit, then the importer's own ``reading`` record after it
    assert text.startswith(dumps(loads(gold.read_text(encoding="utf-8"))).rstrip()[:-1].rstrip())
    assert dumps(loads(text)) == dumps(loads(gold.read_text(encoding="utf-8")))
