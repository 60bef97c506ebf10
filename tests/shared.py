"""Where the read-only seeds, gold and corpus live: ../shared next to the checkout (CI has it too).

A clone elsewhere may have none of it. Importing this module never fails: the tests that need the
data carry the ``shared`` mark and are skipped, with the reason printed, where it is absent
(tests/conftest.py); ``JIXIAO_REQUIRE_SHARED=1`` (set by .ci/run) makes its absence a failure instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Where the data is looked for after ../shared and $JIXIAO_SHARED; set it empty to look nowhere else
# (the stand-alone test does, to see a clone as it runs on a machine without the data).
FALLBACK = os.environ.get("JIXIAO_SHARED_FALLBACK", "/work/shared")


def _find_shared() -> Path | None:
    """../shared next to the checkout; JIXIAO_SHARED or the fallback when the checkout is elsewhere; None if absent."""
    candidates = [Path(__file__).resolve().parents[2] / "shared"]
    if os.environ.get("JIXIAO_SHARED"):
        candidates.insert(0, Path(os.environ["JIXIAO_SHARED"]))
    if FALLBACK:
        candidates.append(Path(FALLBACK))
    for candidate in candidates:
        if (candidate / "gold").is_dir() and (candidate / "seeds").is_dir():
            return candidate
    return None


FOUND = _find_shared()
# Paths stay defined where the data is absent (nothing under them exists), so modules import and
# collect; only the tests marked ``shared`` read them, and those are skipped.
SHARED = FOUND if FOUND is not None else Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold"
MISSING_REASON = f"needs the shared seeds, gold and corpus (../shared, or JIXIAO_SHARED): not found at {SHARED}"

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
