"""``jixiao score`` and ``jixiao check`` on the seeds: numbers, findings, JSON and exit status."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from jixiao.cli import EXIT_OK, EXIT_UNUSABLE, EXIT_WARNINGS, main
from jixiao.core.serialize import dumps
from jixiao.documents.importer import import_path
from tests.shared import SEEDS

pytestmark = pytest.mark.shared  # reads ../shared (seeds, gold, corpus): skipped, saying so, where absent

SEED_004 = SEEDS / "004_b2949c82b0b28d4f.txt"
ROOT = Path(__file__).resolve().parents[2]


def _json(capsys: pytest.CaptureFixture[str]) -> object:
    return json.loads(capsys.readouterr().out)


def test_score_json_recomputes_the_discretionary_score(capsys: pytest.CaptureFixture[str]) -> None:
    """score --format json gives 0.75 suggested against the recorded 1.00 for 聘用专业人员次数."""
    assert main(["score", str(SEED_004), "--format", "json"]) == EXIT_OK
    (doc,) = _json(capsys)  # type: ignore[misc]
    project = next(p for p in doc["projects"] if p["name"] == "医疗保险执行情况监督检查费")
    row = next(i for i in project["indicators"] if i["name"] == "聘用专业人员次数")
    assert (row["recorded"], row["suggested"], row["differs"]) == ("1.00", "0.75", True)
    assert project["execution"]["suggested"] == "2.61"
    assert project["total_printed"] == "86.61"


def test_score_text_shows_each_indicator(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """score prints the recorded and suggested score and the totals of each project."""
    monkeypatch.setenv("COLUMNS", "240")
    assert main(["score", str(SEED_004)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "聘用专业人员次数" in out and "0.75" in out
    assert "总分：表中 86.61" in out


def test_check_json_lists_findings_with_their_fields(capsys: pytest.CaptureFixture[str]) -> None:
    """check --format json gives objects with code, severity, project, indicator, field, message, expected, found."""
    code = main(["check", str(SEED_004), "--format", "json"])
    findings = _json(capsys)
    assert isinstance(findings, list) and findings
    keys = {"code", "severity", "project", "indicator", "field", "message", "expected", "found"}
    assert all(keys <= set(f) for f in findings)
    differs = [f for f in findings if f["code"] == "score-differs-from-formula"]
    assert [(f["indicator"], f["expected"], f["found"]) for f in differs] == [("聘用专业人员次数", "0.75", "1.00")]
    assert code == (EXIT_WARNINGS if any(f["severity"] == "error" for f in findings) else EXIT_OK)


def test_check_links_years_across_documents(capsys: pytest.CaptureFixture[str]) -> None:
    """Given the 2023 declarations and the 2024 self-evaluation, check reports what changed year over year."""
    main(["check", str(SEEDS / "001_cd18a4592b4a1564.txt"), str(SEED_004), "--format", "json"])
    findings = _json(capsys)
    changed = [f for f in findings if f["code"] == "yoy-target-changed" and f["indicator"] == "举报案件办结时效"]  # type: ignore[union-attr]
    assert len(changed) == 1
    assert "≤90(工作日)" in changed[0]["message"] and "≤90(天)" in changed[0]["message"]


def test_check_exits_1_on_an_error_finding(capsys: pytest.CaptureFixture[str]) -> None:
    """Seed 001 has one indicator without a target: an error, so check exits 1."""
    assert main(["check", str(SEEDS / "001_cd18a4592b4a1564.txt")]) == EXIT_WARNINGS
    out = capsys.readouterr().out
    # the check's Chinese title, never its code (the JSON output keeps codes for scripts)
    assert "错误 指标值未填写：" in out and "target-missing" not in out


def test_unknown_rule_pack_is_unusable(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown --rules name is refused with exit status 2 and names the pack."""
    assert main(["check", str(SEED_004), "--rules", "no-such-pack"]) == EXIT_UNUSABLE
    assert "no-such-pack" in capsys.readouterr().err


def test_rules_pack_changes_the_suggested_scores(capsys: pytest.CaptureFixture[str]) -> None:
    """With mof-2021-core, a 19% completion scores 0 (below the 60% pass line)."""
    main(["score", str(SEED_004), "--format", "json", "--rules", "mof-2021-core"])
    (doc,) = _json(capsys)  # type: ignore[misc]
    project = next(p for p in doc["projects"] if p["name"] == "医疗保险执行情况监督检查费")
    row = next(i for i in project["indicators"] if i["name"] == "聘用专业人员次数")
    assert row["suggested"] == "0.00"


def test_committed_seed_review_is_current(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/examples/seed-review.txt is what check prints on the five seeds today."""
    monkeypatch.setenv("COLUMNS", "220")
    monkeypatch.chdir(SEEDS)
    main(["check", *sorted(p.name for p in SEEDS.glob("*.txt"))])
    assert capsys.readouterr().out == (ROOT / "docs" / "examples" / "seed-review.txt").read_text(encoding="utf-8")


def _folder_with_one_bad_file(tmp_path: Path) -> Path:
    """Two seeds and a spreadsheet that is not one, in one folder."""
    folder = tmp_path / "batch"
    folder.mkdir()
    for seed in ("000_60882b1d6c49c94a.txt", "004_b2949c82b0b28d4f.txt"):
        (folder / seed).write_bytes((SEEDS / seed).read_bytes())
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    return folder


@pytest.mark.parametrize("verb", ["score", "check"])
def test_one_bad_file_does_not_hide_the_good_ones(
    verb: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder with one unreadable file: every good file is reported, the bad one listed with its place, exit 2."""
    monkeypatch.setenv("COLUMNS", "80")
    folder = _folder_with_one_bad_file(tmp_path)
    assert main([verb, str(folder)]) == EXIT_UNUSABLE
    captured = capsys.readouterr()
    assert "基金监管工作经费" in captured.out  # from seed 000
    assert "医疗保险执行情况监督检查费" in captured.out  # from seed 004
    assert f"{folder / 'broken.xlsx'}" in captured.err
    assert "1 个文件无法读取" in captured.out + captured.err


@pytest.mark.parametrize("verb", ["score", "check"])
def test_json_of_a_batch_with_a_bad_file_holds_the_good_files(
    verb: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--format json prints the good files' results as JSON on stdout; the bad file goes to stderr."""
    folder = _folder_with_one_bad_file(tmp_path)
    assert main([verb, str(folder), "--format", "json"]) == EXIT_UNUSABLE
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    sources = {d["source"] for d in data}
    assert sources == {str(folder / "000_60882b1d6c49c94a.txt"), str(folder / "004_b2949c82b0b28d4f.txt")}
    assert "broken.xlsx" in captured.err


def test_a_declaration_has_no_scores_in_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """score on a declaration says once that a declaration has no scores, not 「不能评分」 per indicator."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.chdir(SEEDS)
    assert main(["score", "001_cd18a4592b4a1564.txt"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "不能评分" not in out
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines[0] == "001_cd18a4592b4a1564.txt：申报表没有得分（34 个项目只有指标值，没有实际完成值）"
    assert lines[1:] == ["共 1 个文件：评分 0 个，1 个申报表没有得分"]


def test_scores_fit_80_columns_and_cite_the_rule_once_per_project(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 80 columns no line is wider than 80 and each project names its rule basis once, not on every row."""
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.chdir(SEEDS)
    assert main(["score", *sorted(p.name for p in SEEDS.glob("*.txt"))]) == EXIT_OK
    out = capsys.readouterr().out
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    projects = out.count("总分：")
    assert projects > 0
    assert "（依据：" not in out  # no citation inside a row's explanation
    assert out.count("评分依据：") == projects
    assert len(out.splitlines()) < 1500


def _as_year(tmp_path: Path, year: int) -> Path:
    """Seed 004 as a document JSON of another 年度 (what ``jixiao import`` writes, then edited)."""
    document = import_path(SEED_004).document
    path = tmp_path / f"seed-004-{year}.json"
    path.write_text(dumps(dataclasses.replace(document, year=year)), encoding="utf-8")
    return path


@pytest.mark.parametrize("verb", ["score", "check"])
def test_a_named_pack_outside_its_years_is_refused_for_that_file(
    verb: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--rules mof-2021-core (2021 on) refuses a 2020 form with a Chinese reason naming the file; 2024 is scored."""
    old, current = _as_year(tmp_path, 2020), _as_year(tmp_path, 2024)
    assert main([verb, str(old), str(current), "--rules", "mof-2021-core"]) == EXIT_UNUSABLE
    captured = capsys.readouterr()
    assert f"{old}" in captured.err and "适用于 2021–2099 年度，不能用于 2020 年度的表" in captured.err
    assert "未知位置" not in captured.err  # the file is the place
    assert f"{current}" not in captured.err and "医疗保险执行情况监督检查费" in captured.out
    assert "1 个文件无法读取" in captured.out + captured.err


def test_without_rules_each_form_takes_the_pack_of_its_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No --rules: the default pack covers 2020 on; a 2019 form has no pack and is refused, saying which exist."""
    assert main(["score", str(_as_year(tmp_path, 2020)), "--format", "json"]) == EXIT_OK
    (doc,) = _json(capsys)  # type: ignore[misc]
    assert doc["pack"] == "mof-2020"
    assert main(["score", str(_as_year(tmp_path, 2019))]) == EXIT_UNUSABLE
    assert "没有适用于 2019 年度的评分规则包" in capsys.readouterr().err
