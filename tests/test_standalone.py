"""The suite stands alone: a copy of the checkout with no ../shared beside it collects and passes, the
tests that need the shared data shown as skipped with their reason; CI's JIXIAO_REQUIRE_SHARED=1 turns
that absence into a failure."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# A small subset: wholly shared-data tests, mixed ones and ones that need nothing.
SUBSET = ["tests/documents/test_seeds.py", "tests/core/test_serialize.py", "tests/documents/test_importer.py"]
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "var", "out", "__pycache__", "*.egg-info", ".mypy_cache", ".ruff_cache", ".pytest_cache"
)


def _clone(tmp_path: Path) -> Path:
    """The checkout's files in a folder with no ``shared`` beside it (as a clone made anywhere)."""
    clone = tmp_path / "clone"
    shutil.copytree(ROOT, clone, ignore=NOT_COPIED)
    assert not (tmp_path / "shared").exists()
    return clone


def _pytest(clone: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    """The subset run in ``clone`` with its own sources, the shared data hidden from every lookup."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIXIAO_")}
    env |= {"JIXIAO_SHARED_FALLBACK": "", "PYTHONPATH": str(clone / "src")} | extra
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", *SUBSET],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_clone_without_the_shared_data_passes_and_says_what_it_skipped(tmp_path: Path) -> None:
    """The tests that need ../shared are skipped with their reason; the others run and pass."""
    clone = _clone(tmp_path)
    run = _pytest(clone)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    tail = run.stdout.splitlines()[-1]
    assert " passed" in tail and " skipped" in tail, tail
    reason = (
        f"needs the shared seeds, gold and corpus (../shared, or JIXIAO_SHARED): not found at {tmp_path / 'shared'}"
    )
    skipped = [line for line in run.stdout.splitlines() if line.startswith("SKIPPED")]
    assert skipped and all(reason in line for line in skipped), skipped
    assert any("tests/documents/test_seeds.py" in line for line in skipped)
    assert not any("test_importer.py" in line for line in skipped)  # it needs nothing outside the checkout


def test_ci_makes_the_missing_shared_data_a_failure(tmp_path: Path) -> None:
    """With JIXIAO_REQUIRE_SHARED=1 (set by .ci/run) the same run stops, naming what is missing."""
    run = _pytest(_clone(tmp_path), JIXIAO_REQUIRE_SHARED="1")
    assert run.returncode != 0
    assert "JIXIAO_REQUIRE_SHARED is set but the tests' data is missing" in run.stdout + run.stderr
