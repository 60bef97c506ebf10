"""``jixiao score`` and ``jixiao check`` on the seeds: numbers, findings, JSON and exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.cli import EXIT_OK, EXIT_UNUSABLE, EXIT_WARNINGS, main
from tests.shared import SEEDS

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
    assert "target-missing" in capsys.readouterr().out


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
