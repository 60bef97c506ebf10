"""The project's own example documents: one per layout the importer reads, each with its expected reading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.core.serialize import dumps, loads
from jixiao.documents.importer import import_path
from tests.shared import score

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p for p in (ROOT / "examples").rglob("*") if p.suffix in (".txt", ".md") and p.stem != "README")
EXPECTED = ROOT / "tests" / "documents" / "expected"


def _expected(example: Path) -> Path:
    """tests/documents/expected/<the example's path under examples/>.json"""
    return EXPECTED / example.relative_to(ROOT / "examples").with_suffix(".json")


def test_every_example_has_its_expected_reading() -> None:
    """Each example document comes with an expected JSON that is a valid document."""
    assert len(EXAMPLES) >= 13
    for example in EXAMPLES:
        expected = _expected(example)
        assert expected.is_file(), f"no expected reading for {example.name}"
        loads(expected.read_text(encoding="utf-8"), source=expected.name)


@pytest.mark.shared
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_reads_exactly_as_expected(example: Path) -> None:
    """Every field of every example is read as its expected JSON says, with no warning."""
    result = import_path(example)
    correct, counted, diffs = score(_expected(example), json.loads(dumps(result.document)))
    assert correct == counted, "\n".join(diffs[:30])
    assert result.problems == (), [str(w) for w in result.problems]
