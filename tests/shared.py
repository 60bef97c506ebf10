"""Where the read-only seeds and gold live: ../shared next to the checkout (CI has it too)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _find_shared() -> Path:
    """../shared next to the checkout; JIXIAO_SHARED or /work/shared when the checkout is elsewhere."""
    candidates = [Path(__file__).resolve().parents[2] / "shared"]
    if os.environ.get("JIXIAO_SHARED"):
        candidates.insert(0, Path(os.environ["JIXIAO_SHARED"]))
    candidates.append(Path("/work/shared"))
    for candidate in candidates:
        if (candidate / "gold").is_dir():
            return candidate
    return candidates[0]


SHARED = _find_shared()
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold"

if not GOLD.is_dir() or not SEEDS.is_dir():  # a missing corpus must fail loudly, never skip
    raise RuntimeError(f"the shared seeds and gold are missing: expected them in {SHARED}")

SEED_FILES = sorted(SEEDS.glob("*.txt"))
GOLD_FILES = sorted(GOLD.glob("*.json"))


def gold_for(seed: Path) -> Path:
    """The gold reading of one seed file."""
    return GOLD / (seed.stem + ".json")


def load_compare_gold():  # type: ignore[no-untyped-def]
    """The shared scorer ``compare_gold.py`` as a module."""
    tools = str(SHARED / "tools")
    if tools not in sys.path:
        sys.path.insert(0, tools)
    import compare_gold  # type: ignore[import-not-found]

    return compare_gold


def score(gold: Path, predicted: dict) -> tuple[int, int, list[str]]:  # type: ignore[type-arg]
    """(correct, counted, differences) of a predicted document JSON against a gold file."""
    import json

    compare = load_compare_gold()
    tally = compare.compare_documents(json.loads(gold.read_text(encoding="utf-8")), predicted)
    return tally.correct, tally.counted, tally.diffs
