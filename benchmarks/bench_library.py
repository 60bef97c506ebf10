"""Building the indicator library from a province's documents: seconds and peak memory, against reading alone.

    python benchmarks/bench_library.py [--forms 20000] [--keep DIR]

Writes ``--forms`` synthetic single-project forms (benchmarks/synth.py: the seeds' forms with names
and amounts varied, so each file is one project-year), then runs two fresh child processes, each
pinned to one core: the baseline reads every file into a document and keeps nothing (what any
consumer of the documents pays), the library run reads every file and feeds it to the library
miner, then writes the JSON and CSV as ``jixiao library build`` does. Reported: seconds and peak
resident memory of each, and the library's cost beyond reading. Results go to
``benchmarks/results/library.json``. Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

CHILD = r"""
import json, os, resource, sys, time
from pathlib import Path
from jixiao.documents.importer import import_path
from jixiao.core.library import Miner
from jixiao.cli.library import csv_text

folder, mode, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
files = sorted(folder.glob("*.txt"))
miner = Miner()
projects = 0
t0 = time.perf_counter()
for f in files:
    doc = import_path(f).document
    projects += len(doc.projects)
    if mode == "library":
        miner.add(doc)
read_and_mine = time.perf_counter() - t0
entries = 0
if mode == "library":
    t1 = time.perf_counter()
    lib = miner.library()
    (out / "lib.json").write_text(json.dumps(lib.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "lib.csv").write_text(csv_text(lib), encoding="utf-8-sig")
    entries = len(lib.entries)
    finish = time.perf_counter() - t1
else:
    finish = 0.0
print(json.dumps({
    "mode": mode, "files": len(files), "projects": projects, "entries": entries,
    "seconds": round(read_and_mine + finish, 2), "finish_seconds": round(finish, 2),
    "rss_peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
}))
"""


def _child(folder: Path, mode: str, out: Path) -> dict[str, object]:
    command = [sys.executable, "-c", CHILD, str(folder), mode, str(out)]
    if hasattr(os, "sched_setaffinity"):
        command = ["taskset", "-c", "0", *command]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _seeds() -> Path:
    """The seeds: ../shared next to the checkout, else $JIXIAO_SHARED, else /work/shared (as tests/shared.py)."""
    for candidate in (
        HERE.parents[1] / "shared",
        Path(os.environ.get("JIXIAO_SHARED", "/nonexistent")),
        Path("/work/shared"),
    ):
        if (candidate / "seeds").is_dir():
            return candidate / "seeds"
    raise SystemExit("需要 ../shared/seeds（或设置 JIXIAO_SHARED）")


def _write_forms(folder: Path, count: int, seed: int = 7) -> None:
    """``count`` synthetic single-project forms, as synth.write_forms but from the seeds found by :func:`_seeds`."""
    import random

    from synth import seed_forms, vary

    rnd = random.Random(seed)
    base = seed_forms(_seeds())
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"form-{i:05d}.txt").write_text(vary(base[i % len(base)], rnd, i), encoding="utf-8")


def main() -> None:
    """Write the forms, run the baseline and the library build, print and save the numbers."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--forms", type=int, default=20_000)
    parser.add_argument("--keep", type=Path, help="write the forms and the library here instead of a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        forms = root / "forms"
        _write_forms(forms, args.forms)
        baseline = _child(forms, "read", root)
        library = _child(forms, "library", root)
    summary = {
        "forms": args.forms,
        "baseline": baseline,
        "library": library,
        "library_over_reading_seconds": round(float(library["seconds"]) - float(baseline["seconds"]), 2),  # type: ignore[arg-type]
        "library_over_reading_ratio": round(float(library["seconds"]) / float(baseline["seconds"]), 3),  # type: ignore[arg-type]
    }
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "library.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
