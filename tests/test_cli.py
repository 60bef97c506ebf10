"""The ``jixiao`` command: import and show, their output files, messages and exit status."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from jixiao.cli import EXIT_OK, EXIT_UNUSABLE, EXIT_WARNINGS, main
from jixiao.core.serialize import loads
from tests.shared import SEEDS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "2024-self-evaluation-tabbed.txt"


@pytest.mark.shared
def test_import_seed_folder_writes_one_json_per_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Importing the seed folder writes five documents and a summary with the totals."""
    code = main(["import", str(SEEDS), "--out-dir", str(tmp_path)])
    out = capsys.readouterr().out
    written = sorted(p.name for p in tmp_path.glob("*.json"))
    assert written == sorted(p.stem + ".json" for p in SEEDS.glob("*.txt"))
    assert "共 5 个文件：58 个项目，591 个指标，0 条警告" in out
    assert code == EXIT_OK
    doc = loads((tmp_path / "004_b2949c82b0b28d4f.json").read_text(encoding="utf-8"))
    assert [p.name for p in doc.projects] == ["信息化运维项目", "医疗保险执行情况监督检查费"]


def test_import_keeps_subfolders_apart(tmp_path: Path) -> None:
    """Two files with the same name in different subfolders get their own JSON files."""
    src = tmp_path / "in"
    (src / "a").mkdir(parents=True)
    (src / "b").mkdir()
    shutil.copy(EXAMPLE, src / "a" / "form.txt")
    shutil.copy(EXAMPLE, src / "b" / "form.txt")
    out = tmp_path / "out"
    assert main(["import", str(src), "--out-dir", str(out)]) == EXIT_OK
    assert (out / "a" / "form.json").is_file() and (out / "b" / "form.json").is_file()


def test_import_reads_published_excel_pdf_and_word_in_a_folder(tmp_path: Path) -> None:
    """A folder of published forms is read whatever their format, and a shared stem overwrites nothing."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(EXAMPLE, src / "form.txt")
    for fmt in ("xlsx", "pdf", "docx"):
        assert main(["export", str(EXAMPLE), "--to", fmt, "--out-dir", str(src)]) == EXIT_OK
    for made in src.glob(f"{EXAMPLE.stem}.*"):
        made.rename(src / f"form{made.suffix}")
    assert main(["import", str(src), "--out-dir", str(out)]) == EXIT_OK
    written = sorted(p.name for p in out.glob("*.json"))
    assert len(written) == 4, written
    names = {tuple(p.name for p in loads(f.read_text(encoding="utf-8")).projects) for f in out.glob("*.json")}
    assert len(names) == 1  # all four readings found the same projects


def test_same_stem_given_twice_is_not_overwritten(tmp_path: Path) -> None:
    """Two inputs with one stem named on the command line are written as form.json and form-2.json."""
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "x" / "form.txt")
    shutil.copy(EXAMPLE, tmp_path / "y" / "form.txt")
    out = tmp_path / "out"
    main(["import", str(tmp_path / "x" / "form.txt"), str(tmp_path / "y" / "form.txt"), "--out-dir", str(out)])
    assert sorted(p.name for p in out.iterdir()) == ["form-2.json", "form.json"]


def test_unplaced_lines_are_warnings_with_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A line the reader cannot place is reported with its file and line, and the exit status is 1."""
    text = EXAMPLE.read_text(encoding="utf-8").split("\n")
    text.insert(12, "这一行不属于表格的任何一栏\t\t\t\t\t\t")
    src = tmp_path / "odd.txt"
    src.write_text("\n".join(text), encoding="utf-8")
    code = main(["import", str(src), "--out-dir", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == EXIT_WARNINGS
    assert f"{src}, 第13行" in err
    assert "这一行不属于表格的任何一栏" in err


def test_unusable_file_exits_2_naming_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that is no form at all is refused with exit status 2 and its name, and the others are still read."""
    bad = tmp_path / "notes.txt"
    bad.write_text("会议纪要\n今天讨论了三件事。\n", encoding="utf-8")
    good = tmp_path / "good.txt"
    shutil.copy(EXAMPLE, good)
    code = main(["import", str(bad), str(good), "--out-dir", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == EXIT_UNUSABLE
    assert str(bad) in captured.err and "项目名称" in captured.err
    assert (tmp_path / "out" / "good.json").is_file()
    assert "1 个文件无法读取" in captured.out


def test_missing_path_and_bad_usage_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A path that does not exist, and a call without a command, both exit with status 2."""
    assert main(["import", str(tmp_path / "nowhere.txt")]) == EXIT_UNUSABLE
    assert "nowhere.txt" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == EXIT_UNUSABLE
    assert "用法错误" in capsys.readouterr().err


def test_wrong_extension_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file type the importer does not read is refused, naming the types it does read."""
    doc = tmp_path / "form.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0 binary")
    assert main(["import", str(doc), "--out-dir", str(tmp_path)]) == EXIT_UNUSABLE
    err = capsys.readouterr().err
    assert "form.doc" in err and ".txt" in err


@pytest.mark.shared
def test_show_prints_the_tables(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """show prints the form kind, each project, its money and every indicator."""
    monkeypatch.setenv("COLUMNS", "240")
    code = main(["show", str(SEEDS / "004_b2949c82b0b28d4f.txt")])
    out = capsys.readouterr().out
    assert code == EXIT_OK
    assert "财政项目支出绩效自评表，2024年度，2 个项目，44 个指标" in out
    assert "医疗保险执行情况监督检查费" in out
    assert "聘用专业人员次数" in out
    assert "评分等级 良" in out


def test_show_reads_document_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """show accepts the document JSON that import wrote, and --project picks one project."""
    monkeypatch.setenv("COLUMNS", "240")
    main(["import", str(EXAMPLE), "--out-dir", str(tmp_path)])
    capsys.readouterr()
    written = tmp_path / (EXAMPLE.stem + ".json")
    assert json.loads(written.read_text(encoding="utf-8"))["kind"] == "self_evaluation"
    assert main(["show", str(written), "--project", "养老机构"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "养老机构安全检查第三方服务费" in out
    assert "社区老年人助餐服务点运营补贴" not in out
