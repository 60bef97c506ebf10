"""The project's own example documents: one per layout the importer reads, each with its expected reading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.core.serialize import dumps, loads
from jixiao.documents.importer import import_path
from tests.shared import score

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in (".txt", ".md") and p.name != "README.md")
EXPECTED = ROOT / "tests" / "documents" / "expected"


def test_every_example_has_its_expected_reading() -> None:
    """Each example document comes with an expected JSON that is a valid document."""
    assert len(EXAMPLES) >= 11
    for example in EXAMPLES:
        expected = EXPECTED / (example.stem + ".json")
        assert expected.is_file(), f"no expected reading for {example.name}"
        loads(expected.read_text(encoding="utf-8"), source=expected.name)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_reads_exactly_as_expected(example: Path) -> None:
    """Every field of every example is read as its expected JSON says, with no warning."""
    result = import_path(example)
    correct, counted, diffs = score(EXPECTED / (example.stem + ".json"), json.loads(dumps(result.document)))
    assert correct == counted, "\n".join(diffs[:30])
    assert result.problems == (), [str(w) for w in result.problems]
