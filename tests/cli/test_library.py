"""``jixiao library build`` and ``search`` as a user runs them: a folder with one bad file, JSON and CSV, a search."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from jixiao.cli import EXIT_OK, EXIT_UNUSABLE, main
from tests.shared import SEEDS, SHARED

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The examples' forms and one file that is not a form."""
    forms = tmp_path / "forms"
    forms.mkdir()
    for name in ("2023-declarations-tabbed.txt", "2024-self-evaluation-tabbed.txt", "2022-transfer-payment-report.md"):
        shutil.copy(EXAMPLES / name, forms / name)
    (forms / "坏文件.txt").write_text("这不是绩效表，只是一段说明文字。\n", encoding="utf-8")
    return forms


def test_build_skips_the_bad_file_names_it_and_writes_json_and_csv(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The bad file is named and skipped (status 2 as score and check); the library comes from the other three."""
    out, table = tmp_path / "lib.json", tmp_path / "lib.csv"
    code = main(["library", "build", str(folder), "--out", str(out), "--csv", str(table)])
    captured = capsys.readouterr()
    assert code == EXIT_UNUSABLE
    assert "坏文件.txt" in captured.err and "1 个文件无法读取，已跳过" in captured.err
    assert "读取 3 个文件" in captured.out and "已写出" in captured.out
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "jixiao.library/1" and data["documents"] == 3
    assert data["indicators"] == sum(e["uses"] for e in data["entries"])
    rows = list(csv.DictReader(table.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == len(data["entries"])
    assert {r["编码"] for r in rows} == {e["code"] for e in data["entries"]}


def test_build_twice_gives_the_same_library(folder: Path, tmp_path: Path) -> None:
    """Building again from the same files writes the same bytes: codes and order are stable."""
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    main(["library", "build", str(folder), "--out", str(first)])
    main(["library", "build", str(folder), "--out", str(second)])
    assert first.read_bytes() == second.read_bytes()


def test_build_of_clean_files_exits_0_and_search_lists_matches(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clean inputs exit 0; search prints a table with counts, variants, unit and target ranges."""
    monkeypatch.setenv("COLUMNS", "200")
    out = tmp_path / "lib.json"
    assert main(["library", "build", str(EXAMPLES / "2023-declarations-tabbed.txt"), "--out", str(out)]) == EXIT_OK
    capsys.readouterr()
    assert main(["library", "search", "满意", "--library", str(out)]) == EXIT_OK
    shown = capsys.readouterr().out
    assert "匹配的指标" in shown and "满意" in shown and "%" in shown and "四分位" in shown


def test_search_without_a_library_says_how_to_make_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing library file is named, with the command that builds it; status 2."""
    missing = tmp_path / "none.json"
    assert main(["library", "search", "满意度", "--library", str(missing)]) == EXIT_UNUSABLE
    err = capsys.readouterr().err
    assert "none.json" in err and "jixiao library build" in err


def test_search_of_a_file_that_is_not_a_library(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A JSON file of another kind is refused with what it should be."""
    other = tmp_path / "doc.json"
    other.write_text('{"schema": "jixiao.document/1"}', encoding="utf-8")
    assert main(["library", "search", "满意度", "--library", str(other)]) == EXIT_UNUSABLE
    assert "不是 jixiao 指标库文件" in capsys.readouterr().err


def test_build_of_nothing_readable_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """When no input can be read, no library file appears."""
    bad = tmp_path / "bad.txt"
    bad.write_text("没有表格\n", encoding="utf-8")
    out = tmp_path / "lib.json"
    assert main(["library", "build", str(bad), "--out", str(out)]) == EXIT_UNUSABLE
    assert not out.exists()
    assert "没有可读取的文件" in capsys.readouterr().err


@pytest.mark.shared
def test_must_show_build_seeds_and_corpus_then_search(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``library build ../shared/seeds ../shared/corpus/raw --out lib.json`` then ``library search 满意度``.

    The corpus's *.meta.json sidecars and its three unreadable excerpts are named and skipped (status 2);
    the satisfaction entries of different wordings come out clustered, with counts and target ranges.
    """
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    code = main(["library", "build", str(SEEDS), str(SHARED / "corpus" / "raw"), "--out", "lib.json"])
    captured = capsys.readouterr()
    assert code == EXIT_UNUSABLE and "已写出 lib.json" in captured.out
    assert "029.txt" in captured.err
    data = json.loads(Path("lib.json").read_text(encoding="utf-8"))
    service = next(e for e in data["entries"] if e["code"] == "GX-0101")
    assert {"群众满意率", "群众满意度", "服务对象满意"} <= set(service["variants"])
    managers = next(e for e in data["entries"] if e["name"] == "管理人员满意度")
    assert {"管理人员满意率", "管理人员满意度指标"} <= set(managers["variants"])
    capsys.readouterr()
    assert main(["library", "search", "满意度", "--library", "lib.json"]) == EXIT_OK
    shown = capsys.readouterr().out
    assert "管理人员满意度" in shown and "服务对象满意度" in shown and "80–99" in shown
