"""Bulk import: forms per second and peak memory, at 1,000 and 10,000 forms, on one core.

    python benchmarks/bench_import.py [--sizes 1000 10000] [--keep DIR]
    python benchmarks/bench_import.py --against REV [--rounds 5]

With ``--against``, the reader of this checkout is compared with the reader of
git revision REV in the same run: both read the seeds' five documents and the
corpus of published forms (../shared/corpus/raw) in fresh one-core child
processes, alternately, and the best of ``--rounds`` rounds is kept for each.
Reported: forms (projects read) per second and files per second for each, and
the ratio new/old. Results go to ``benchmarks/results/import_against.json``.

Each size runs in a fresh child process pinned to one core, which first
reads and decodes every file (the baseline: what any reader must do) and
then imports every file the way ``jixiao import`` does (read, parse, write
the JSON). Reported: forms per second, the ratio of import time to the
baseline time, and the child's peak resident memory; then how both change
from the smallest to the largest size. Results go to
``benchmarks/results/import.json``. Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

CHILD = r"""
import json, os, resource, sys, time
from pathlib import Path
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
from jixiao.core.serialize import dumps
from jixiao.documents.importer import import_path
from jixiao.documents.text import read_path
folder, out = Path(sys.argv[1]), Path(sys.argv[2])
files = sorted(folder.glob("*.txt"))
rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
for f in files:
    read_path(f)
baseline = time.perf_counter() - t0
rss_after_baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
c0 = time.process_time()
projects = indicators = warnings = 0
for f in files:
    result = import_path(f)
    (out / (f.stem + ".json")).write_text(dumps(result.document), encoding="utf-8")
    projects += len(result.document.projects)
    indicators += result.document.indicator_count
    warnings += len(result.problems)
elapsed = time.perf_counter() - t0
cpu = time.process_time() - c0
print(json.dumps({
    "files": len(files), "projects": projects, "indicators": indicators, "warnings": warnings,
    "baseline_s": baseline, "import_s": elapsed, "cpu_s": cpu,
    "rss_start_kib": rss_start, "rss_baseline_kib": rss_after_baseline,
    "rss_peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""


def run_size(count: int, keep: Path | None) -> dict[str, float]:
    """Generate ``count`` forms and import them in a fresh one-core child process."""
    import synth

    with tempfile.TemporaryDirectory() as tmp:
        base = keep / str(count) if keep else Path(tmp)
        src, out = base / "in", base / "out"
        synth.write_forms(src, count)
        out.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(src), str(out)], capture_output=True, text=True, check=True
        )
    data: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    data["forms_per_s"] = data["projects"] / data["import_s"]
    data["ratio_to_baseline"] = data["import_s"] / data["baseline_s"]
    # what importing adds on top of holding the file list and reading every file once
    data["import_rss_kib"] = data["rss_peak_kib"] - data["rss_baseline_kib"]
    return data


COMPARE_CHILD = r"""
import json, os, sys, time
from pathlib import Path
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
from jixiao.core.errors import JixiaoError
from jixiao.documents.importer import import_path
files = [Path(p) for p in sys.argv[1:]]
for f in files[:3]:  # imports and lazy tables loaded before the clock starts
    try:
        import_path(f)
    except JixiaoError:
        pass
t0 = time.perf_counter()
projects = failed = 0
for f in files:
    try:
        projects += len(import_path(f).document.projects)
    except JixiaoError:
        failed += 1
print(json.dumps({"files": len(files), "projects": projects, "failed": failed, "s": time.perf_counter() - t0}))
"""


def _shared() -> Path:
    """../shared next to the checkout, JIXIAO_SHARED, or /work/shared (as the tests find it)."""
    candidates = [Path(__import__("os").environ.get("JIXIAO_SHARED", "")), HERE.parents[1] / "shared"]
    candidates.append(Path("/work/shared"))
    return next((c for c in candidates if (c / "seeds").is_dir()), candidates[1])


def _read_with(src: Path, files: list[Path]) -> dict[str, float]:
    env = {**__import__("os").environ, "PYTHONPATH": str(src)}
    proc = subprocess.run(
        [sys.executable, "-c", COMPARE_CHILD, *map(str, files)], capture_output=True, text=True, check=True, env=env
    )
    data: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return data


def compare(rev: str, rounds: int) -> int:
    """This checkout's reader against revision ``rev``'s, on the seeds and on the corpus (see the docstring)."""
    shared = _shared()
    sets = {
        "seeds": sorted((shared / "seeds").glob("*.txt")) * 4,
        "corpus": sorted((shared / "corpus" / "raw").glob("*.txt")) * 4,
    }
    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        old_root = Path(tmp) / "old"
        old_root.mkdir()
        archive = subprocess.run(["git", "archive", rev, "src"], cwd=HERE.parent, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(old_root)], input=archive.stdout, check=True)
        sources = {"old": old_root / "src", "new": HERE.parent / "src"}
        for name, files in sets.items():
            if not files:
                continue
            best: dict[str, dict[str, float]] = {}
            for _ in range(rounds):
                for label, src in sources.items():  # alternately, so that load on the machine hits both
                    run = _read_with(src, files)
                    if label not in best or run["s"] < best[label]["s"]:
                        best[label] = run
            for r in best.values():
                r["forms_per_s"] = r["projects"] / r["s"]
                r["files_per_s"] = r["files"] / r["s"]
            results[name] = best
            ratio = best["old"]["s"] / best["new"]["s"]
            print(
                f"{name:>6}: new {best['new']['forms_per_s']:7.1f} forms/s ({best['new']['files_per_s']:6.1f} files/s, "
                f"{int(best['new']['failed'])} refused)  old {best['old']['forms_per_s']:7.1f} forms/s "
                f"({best['old']['files_per_s']:6.1f} files/s, {int(best['old']['failed'])} refused)  "
                f"speed new/old ×{ratio:.2f}"
            )
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "import_against.json").write_text(json.dumps({"against": rev, **results}, indent=2), encoding="utf-8")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--keep", type=Path, help="keep the generated forms and JSON here")
    parser.add_argument("--against", metavar="REV", help="compare this checkout's reader with git revision REV")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of --against (best kept)")
    args = parser.parse_args()
    if args.against:
        return compare(args.against, args.rounds)
    results = {}
    for size in args.sizes:
        r = run_size(size, args.keep)
        results[size] = r
        print(
            f"{size:>6} forms: {r['forms_per_s']:8.1f} forms/s  "
            f"import {r['import_s']:.2f}s = {r['ratio_to_baseline']:.1f}× reading the files ({r['baseline_s']:.2f}s)  "
            f"peak RSS {r['rss_peak_kib'] / 1024:.1f} MiB (import adds {r['import_rss_kib'] / 1024:.1f} MiB)  "
            f"warnings {int(r['warnings'])}"
        )
    small, large = results[min(results)], results[max(results)]
    if small is not large:
        print(
            f"from {min(results)} to {max(results)} forms: speed ×{large['forms_per_s'] / small['forms_per_s']:.2f}, "
            f"peak memory ×{large['rss_peak_kib'] / small['rss_peak_kib']:.2f}, "
            f"memory added by importing {small['import_rss_kib'] / 1024:.1f}"
            f" -> {large['import_rss_kib'] / 1024:.1f} MiB"
        )
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "import.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
