"""The check registry is data: unique stable codes, Chinese texts, and docs/rules.md lists them all."""

from __future__ import annotations

import re
from pathlib import Path

from jixiao.core.review import CHECKS, REGISTRY, SCOPES, Finding, Severity, has_errors
from jixiao.core.review.catalog import rules_markdown
from jixiao.core.scoring import available_packs

RULES_MD = Path(__file__).resolve().parents[3] / "docs" / "rules.md"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def test_codes_are_unique_kebab_case() -> None:
    """Every code is short kebab-case English and appears once."""
    codes = [c.code for c in CHECKS]
    assert len(codes) == len(set(codes)) == len(REGISTRY)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", c) and len(c) <= 40 for c in codes)


def test_every_check_is_described_in_chinese() -> None:
    """Title and description are Chinese sentences a finance officer reads; scope is a known one."""
    for check in CHECKS:
        assert _CJK.search(check.title) and _CJK.search(check.checks), check.code
        assert check.scope in SCOPES and check.basis


def test_finding_to_dict_has_the_json_keys() -> None:
    """The JSON object carries at least code, severity, project, indicator, field, message, expected, found."""
    finding = Finding(
        "total-mismatch",
        Severity.ERROR,
        "项目",
        "单位",
        None,
        None,
        "total_score",
        "总分不符。",
        "95",
        "96",
        "a.json",
        2024,
    )
    data = finding.to_dict()
    for key in ("code", "severity", "project", "indicator", "field", "message", "expected", "found", "source", "year"):
        assert key in data
    assert data["severity"] == "error" and data["indicator"] is None
    assert has_errors([finding]) and not has_errors([])


def test_rules_md_lists_every_check_and_pack() -> None:
    """docs/rules.md names every registered code and every shipped pack."""
    text = RULES_MD.read_text(encoding="utf-8")
    for check in CHECKS:
        assert f"`{check.code}`" in text, check.code
    for pack in available_packs():
        assert f"`{pack}`" in text, pack


def test_rules_md_is_the_generated_catalog() -> None:
    """docs/rules.md is exactly what rules_markdown() builds (regenerate it after editing packs or checks)."""
    assert RULES_MD.read_text(encoding="utf-8") == rules_markdown()
