"""The five published seed documents, read and scored against their hand-checked gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.core.serialize import document_to_dict, dumps
from jixiao.documents.importer import import_path
from tests.shared import SEED_FILES, gold_for, score

pytestmark = pytest.mark.shared  # reads ../shared (seeds, gold, corpus): skipped, saying so, where absent

PER_FILE = 0.99
OVERALL = 0.995


def _predicted(seed: Path) -> dict:  # type: ignore[type-arg]
    # through the JSON text, exactly as `jixiao import` writes it
    return json.loads(dumps(import_path(seed).document))


def test_there_are_five_seeds() -> None:
    """The shared corpus is present: five seeds, each with its gold."""
    assert len(SEED_FILES) == 5
    assert all(gold_for(s).is_file() for s in SEED_FILES)


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem[:3])
def test_seed_matches_gold(seed: Path) -> None:
    """Each seed scores at least 99.0% of gold fields with compare_gold.py, and every project is found."""
    gold = json.loads(gold_for(seed).read_text(encoding="utf-8"))
    pred = _predicted(seed)
    correct, counted, diffs = score(gold_for(seed), pred)
    assert correct / counted >= PER_FILE, "\n".join(diffs[:30])
    assert pred["kind"] == gold["kind"] and pred["year"] == gold["year"]
    assert [p["name"] for p in pred["projects"]] == [p["name"] for p in gold["projects"]]
    assert [len(p["indicators"]) for p in pred["projects"]] == [len(p["indicators"]) for p in gold["projects"]]


def test_all_seeds_together_reach_the_bar() -> None:
    """Over all five seeds together the reading is at least 99.5% right."""
    total_correct = total_counted = 0
    for seed in SEED_FILES:
        correct, counted, _ = score(gold_for(seed), _predicted(seed))
        total_correct += correct
        total_counted += counted
    assert total_correct / total_counted >= OVERALL


def test_document_dict_equals_written_json() -> None:
    """What the importer returns and what it writes are the same document."""
    result = import_path(SEED_FILES[2])
    assert json.loads(dumps(result.document)) == json.loads(
        json.dumps(document_to_dict(result.document), default=float)
    )
