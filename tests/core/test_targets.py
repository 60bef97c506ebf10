"""The 指标值 grammar: a TOML corpus a domain expert extends, the gold values, and fuzzing."""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.targets import (
    Compound,
    Direction,
    Family,
    FreeText,
    Qualitative,
    Quantity,
    TargetValue,
    Tier,
    When,
    parse_target,
)
from tests.shared import GOLD

CORPUS_FILE = Path(__file__).with_name("targets_corpus.toml")
GOLD_DIR = GOLD
CASES: list[dict[str, Any]] = tomllib.loads(CORPUS_FILE.read_text(encoding="utf-8"))["case"]

# Gold values that really are free text, each with the reason a reviewer should see it flagged.
FREE_TEXT_ALLOWLIST = {
    # Seed 001, 医药集中招标采购: the indicator name (a goal sentence of 51 characters) is
    # printed again in the 指标值 column; it is narrative, not something a reviewer can check.
    "通过为药品集中采购工作提供数据支撑，间接实现满足群众用药需求，规范药品流通秩序，提高群众用药安全的目标",
}

_COMMON_KEYS = {"text", "kind", "source", "note"}
_QUANTITY_KEYS = {"operator", "number", "unit", "qualifier", "label", "direction"}
_KEYS_BY_KIND = {
    "quantity": _COMMON_KEYS | _QUANTITY_KEYS,
    "compound": _COMMON_KEYS | {"parts"},
    "qualitative": _COMMON_KEYS | {"family", "tier", "phrase", "when"},
    "free_text": _COMMON_KEYS | {"reason"},
}


def _gold_values() -> dict[str, list[str]]:
    """Every distinct target and actual of the gold files, with where each was seen."""
    if not GOLD_DIR.is_dir():
        pytest.fail(f"the hand-checked gold files are missing: expected them in {GOLD_DIR}")
    values: dict[str, list[str]] = {}
    for path in sorted(GOLD_DIR.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        for project in document["projects"]:
            for indicator in project["indicators"]:
                for column in ("target", "actual"):
                    value = indicator.get(column)
                    if value is not None:
                        values.setdefault(value, []).append(f"{path.name[:3]} {column} {indicator['name']}")
    if not values:
        pytest.fail(f"no target or actual value found in the gold files under {GOLD_DIR}")
    return values


def _case_id(case: dict[str, Any]) -> str:
    """A test id: the case's position in the corpus (pytest would escape the Chinese text)."""
    return f"case{CASES.index(case) + 1:03d}"


def _check_quantity(expected: dict[str, Any], actual: Quantity, where: str) -> None:
    """Compare the quantity fields of a case (or a compound part) with a parsed Quantity."""
    operator = actual.operator.value if actual.operator else ""
    assert operator == expected["operator"], f"{where}operator: got {actual!r}"
    assert str(actual.number) == expected["number"], f"{where}number: got {actual!r}"
    assert isinstance(actual.number, Decimal)
    for field in ("unit", "qualifier", "label"):
        assert (getattr(actual, field) or "") == expected.get(field, ""), f"{where}{field}: got {actual!r}"
    if "direction" in expected:
        assert actual.direction is Direction(expected["direction"]), f"{where}direction"


_WHEN_KEYS = {"none", "year", "month", "day", "by", "ambiguous"}


def _check_when(expected: dict[str, Any], when: When | None, where: str) -> None:
    """Compare a case's ``when`` table with the calendar point read from the phrase."""
    assert set(expected) <= _WHEN_KEYS, f"{where}unknown when fields {set(expected) - _WHEN_KEYS}"
    if expected.get("none"):
        assert when is None, f"{where}when: expected none, got {when!r}"
        return
    assert when is not None, f"{where}when: no date read"
    for key in ("year", "month", "day"):
        assert getattr(when, key) == expected.get(key), f"{where}when.{key}: got {when!r}"
    assert when.by is expected.get("by", False), f"{where}when.by: got {when!r}"
    assert when.ambiguous is expected.get("ambiguous", False), f"{where}when.ambiguous: got {when!r}"


def _check_case(case: dict[str, Any], value: TargetValue) -> None:
    """Compare every field a corpus case states with the parsed value."""
    where = f"{case['text']!r} [{case['source']}]: "
    assert value.kind == case["kind"], f"{where}kind: got {value!r}"
    if isinstance(value, Quantity):
        _check_quantity(case, value, where)
    elif isinstance(value, Compound):
        assert len(value.parts) == len(case["parts"]), f"{where}number of parts: got {value.parts!r}"
        for i, (want, got) in enumerate(zip(case["parts"], value.parts, strict=True)):
            assert got.label == want["label"], f"{where}part {i + 1} label"
            quantity = {key: field for key, field in want.items() if key != "label"}
            _check_quantity(quantity, got.quantity, f"{where}part {i + 1} ")
    elif isinstance(value, Qualitative):
        assert value.family is Family(case["family"]), f"{where}family: got {value.family}"
        assert value.tier == (Tier(case["tier"]) if case.get("tier") else None), f"{where}tier"
        assert value.is_vague == (value.family is Family.VAGUE)
        assert value.is_deadline == (value.family is Family.DEADLINE)
        if "phrase" in case:
            assert value.phrase == case["phrase"], f"{where}phrase"
        if "when" in case:
            _check_when(case["when"], value.when, where)
    else:
        assert case["reason"] in value.reason, f"{where}reason: got {value.reason!r}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_corpus_case(case: dict[str, Any]) -> None:
    """Each corpus cell parses to the kind and fields the case states, keeping the original text."""
    value = parse_target(case["text"])
    assert value.text == case["text"]
    _check_case(case, value)


def test_corpus_is_large_unique_and_well_formed() -> None:
    """The corpus has at least 300 cases, unique texts, a source each, and no misspelt field."""
    assert len(CASES) >= 300
    texts = [case["text"] for case in CASES]
    assert len(texts) == len(set(texts)), "a text appears twice in the corpus"
    for case in CASES:
        assert case.get("source"), f"{case['text']!r} has no source"
        unknown = set(case) - _KEYS_BY_KIND[case["kind"]]
        assert not unknown, f"{case['text']!r}: unknown fields {unknown}"
        for part in case.get("parts", []):
            assert set(part) <= _QUANTITY_KEYS | {"label"}, f"{case['text']!r}: unknown part fields"


@pytest.mark.shared
def test_corpus_covers_every_gold_value() -> None:
    """Every distinct target and actual value of the gold files is a corpus case."""
    missing = set(_gold_values()) - {case["text"] for case in CASES}
    assert not missing, f"gold values without a corpus case: {sorted(missing)}"


@pytest.mark.shared
def test_every_gold_value_is_readable() -> None:
    """Every gold target and actual parses to something other than FreeText, except the allowlist."""
    values = _gold_values()
    unreadable = {v: where for v, where in values.items() if isinstance(parse_target(v), FreeText)}
    unexpected = {v: where for v, where in unreadable.items() if v not in FREE_TEXT_ALLOWLIST}
    assert not unexpected, f"gold values read as free text: {unexpected}"
    # The allowlist must stay honest: every entry is in the gold and really is free text.
    assert set(FREE_TEXT_ALLOWLIST) <= set(values), "an allowlisted value is no longer in the gold"
    assert set(FREE_TEXT_ALLOWLIST) <= set(unreadable), "an allowlisted value now parses: remove it"


def test_none_reads_as_empty_free_text() -> None:
    """None is an empty cell: FreeText with text "" and a reason."""
    value = parse_target(None)
    assert isinstance(value, FreeText)
    assert value.text == ""
    assert "为空" in value.reason


def test_very_long_text_is_free_text() -> None:
    """A page of text in one cell is FreeText that says it is too long, without scanning it all."""
    text = "≥90%" + "建立健全管理制度" * 5000
    value = parse_target(text)
    assert isinstance(value, FreeText)
    assert value.text == text
    assert "过长" in value.reason


def test_values_are_frozen_and_comparable() -> None:
    """Parsed values are immutable and equal when parsed from the same text."""
    value = parse_target("≥1.00(次)")
    assert value == parse_target("≥1.00(次)")
    with pytest.raises(AttributeError):
        value.text = "x"  # type: ignore[misc]


_GRAMMAR_ALPHABET = list(
    "≥≤<>=＝≧≦═‹›0123456789.,，%％()（）-~/$\\ \t次人工作日年月内以上下医疗机构达成部分未和、定性<p>"
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.none(), st.text(), st.text(alphabet=_GRAMMAR_ALPHABET, max_size=40)))
def test_parse_target_never_raises(text: str | None) -> None:
    """Any string (or None) gives one of the four value types whose text is the input."""
    value = parse_target(text)
    assert isinstance(value, Quantity | Compound | Qualitative | FreeText)
    assert value.text == ("" if text is None else text)
    if isinstance(value, FreeText):
        assert value.reason
