"""Long single files: progress on a terminal only, a JSON written whole or not at all, and read back by every verb."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.cli import EXIT_OK, EXIT_UNUSABLE, EXIT_WARNINGS, main
from jixiao.core.model import Document, Indicator, Kind, Project
from jixiao.core.serialize import dumps
from jixiao.documents import limits
from tests.shared import SEEDS

SEED_001 = SEEDS / "001_cd18a4592b4a1564.txt"
SEED_004 = SEEDS / "004_b2949c82b0b28d4f.txt"


def _long_text(tmp_path: Path) -> Path:
    """A published text over the 1 MB at which a file's stages are shown: seed 001 repeated."""
    text = SEED_001.read_text(encoding="utf-8")
    path = tmp_path / "全年申报表.txt"
    path.write_text("\n".join([text] * (limits.MB // len(text.encode()) + 2)), encoding="utf-8")
    assert path.stat().st_size > limits.MB
    return path


@pytest.mark.shared
@pytest.mark.parametrize("verb", ["import", "export"])
def test_a_long_file_shows_its_stages_on_a_terminal(
    verb: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal, reading a long file shows its name and stage on stderr; stdout keeps only the summary."""
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # rich then treats the captured stream as a terminal
    path = _long_text(tmp_path)
    argv = [verb, str(path), "--out-dir", str(tmp_path / "out"), "-q"] + (["--to", "xlsx"] if verb == "export" else [])
    assert main(argv) in (EXIT_OK, EXIT_WARNINGS)
    captured = capsys.readouterr()
    assert "全年申报表.txt：" in captured.err and "读取项目" in captured.err
    assert "读取项目" not in captured.out and captured.out.strip().startswith("共 1 个文件")


@pytest.mark.shared
def test_no_progress_when_stderr_is_not_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a pipe or a log file, no bar and no control codes: only the results and the summary."""
    monkeypatch.setenv("TTY_COMPATIBLE", "0")
    path = _long_text(tmp_path)
    assert main(["import", str(path), "--out-dir", str(tmp_path / "out"), "-q"]) in (EXIT_OK, EXIT_WARNINGS)
    captured = capsys.readouterr()
    assert "读取项目" not in captured.err and "\x1b[" not in captured.err + captured.out


@pytest.mark.shared
def test_import_refuses_a_json_it_could_not_read_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reading whose JSON would pass the JSON limit is not written (not even in part); the other file is."""
    monkeypatch.setattr(limits, "MAX_JSON_BYTES", 100 * 1024)  # seed 001's JSON is larger, seed 004's smaller
    out = tmp_path / "out"
    assert main(["import", str(SEED_001), str(SEED_004), "--out-dir", str(out), "-q"]) == EXIT_UNUSABLE
    err = capsys.readouterr().err
    assert "001_cd18a4592b4a1564.json" in err and "0.1 MB" in err and "分成几份" in err
    assert sorted(p.name for p in out.iterdir()) == ["004_b2949c82b0b28d4f.json"]
    assert main(["show", str(out / "004_b2949c82b0b28d4f.json")]) == EXIT_OK


def test_every_verb_reads_a_document_json_above_20_mb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A 21 MB document JSON (what import writes from a 9 MB form) is read by show, score and export."""
    indicator = Indicator("产出指标", "数量指标", "培训次数" * 50, "≥1次", "1")
    projects = tuple(Project(name=f"项目{n}", indicators=(indicator,) * 100) for n in range(260))
    path = tmp_path / "大文件.json"
    path.write_text(dumps(Document(kind=Kind.TARGET_DECLARATION, year=2024, projects=projects)), encoding="utf-8")
    assert path.stat().st_size > 20 * limits.MB
    assert main(["show", str(path), "--project", "项目259"]) == EXIT_OK
    assert main(["score", str(path)]) == EXIT_OK
    assert "过大" not in capsys.readouterr().err


@pytest.mark.shared
def test_export_refuses_a_pdf_past_the_readers_page_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document whose PDF would have more pages than jixiao reads is refused before rendering, nothing written."""
    from jixiao.documents import safety

    monkeypatch.setattr(safety, "MAX_PAGES", 5)  # seed 002: a 汇总表 and eight forms
    out = tmp_path / "out"
    assert main(["export", str(SEEDS / "002_54fc10801d776b03.txt"), "--to", "pdf", "--out-dir", str(out)]) == 2
    err = capsys.readouterr().err
    assert "至少有 9 页" in err and "5 页" in err and "分成几份" in err
    assert list(out.iterdir()) == []


@pytest.mark.shared
def test_export_removes_a_file_past_the_readers_size_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export larger than the files jixiao reads is removed and named in MB; a small one is kept."""
    monkeypatch.setattr(limits, "MAX_BYTES", 16 * 1024)
    out = tmp_path / "out"
    assert main(["export", str(SEED_004), "--to", "pdf", "--out-dir", str(out)]) == EXIT_UNUSABLE
    err = capsys.readouterr().err
    assert "004_b2949c82b0b28d4f.pdf 有" in err and "超过 jixiao 能读回的 0.1 MB" in err and "已删除" in err
    assert list(out.iterdir()) == []
