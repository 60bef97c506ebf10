"""One large file: time and peak memory of ``jixiao import`` on a single text near the 20 MB limit.

    python benchmarks/bench_large_file.py [--sizes 2 19.9] [--keep DIR]

For each size (MB) a text of the seeds' forms (varied by ``synth``) is written, and three steps
run, each in a fresh child process pinned to one core so that its peak resident memory is its own:

- baseline: read the file and split it into numbered lines (what any reader must do);
- import: ``jixiao import FILE`` as a user runs it (read, parse, write the JSON);
- read back: ``jixiao show OUT.json`` on the JSON import wrote (every file jixiao writes must be
  readable by it).

Reported: seconds and peak RSS of each step, the import's time and peak memory as ratios to the
baseline of the same run, the memory import adds per MB of input, and how time and memory grow
from the smallest to the largest size. Results go to ``benchmarks/results/large-file.json``. Not
part of the test run.
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
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
step, path, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
from jixiao.cli import main
from jixiao.documents.text import read_path
rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0, c0 = time.perf_counter(), time.process_time()
if step == "baseline":
    lines = len(read_path(path).lines)
    code = 0
elif step == "import":
    code = main(["import", str(path), "--out-dir", str(out), "-q"])
else:
    code = main(["show", str(out / (path.stem + ".json")), "--project", "(none)"])
print(json.dumps({
    "step": step, "exit": code, "seconds": time.perf_counter() - t0, "cpu_s": time.process_time() - c0,
    "rss_start_kib": rss_start, "rss_peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""


def _seeds() -> Path:
    for candidate in (os.environ.get("JIXIAO_SHARED"), HERE.parents[1] / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "seeds").is_dir():
            return Path(candidate) / "seeds"
    raise SystemExit("the shared seeds are missing (set JIXIAO_SHARED)")


def write_text(path: Path, megabytes: float) -> int:
    """A text of whole synthetic self-evaluation forms, as close to ``megabytes`` MB as they allow; its size.

    One kind of form only, as a department's year of self-evaluations would be published.
    """
    import random

    import synth

    forms = [f for f in synth.seed_forms(_seeds()) if "自评" in f.split("\n", 1)[0] and "区域" not in f]
    rnd = random.Random(7)
    budget = int(megabytes * 1024 * 1024)
    size, n = 0, 0
    with path.open("w", encoding="utf-8") as handle:
        while True:
            form = synth.vary(forms[n % len(forms)], rnd, n)
            encoded = len(form.encode("utf-8"))
            if size + encoded > budget:
                return size
            handle.write(form)
            size += encoded
            n += 1


def _step(step: str, path: Path, out: Path) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, step, str(path), str(out)], capture_output=True, text=True, check=True
    )
    data: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return data


def run_size(megabytes: float, keep: Path | None) -> dict[str, object]:
    """Write one file of ``megabytes`` MB and run the three steps on it."""
    with tempfile.TemporaryDirectory() as tmp:
        base = keep / f"{megabytes}MB" if keep else Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        path, out = base / f"forms-{megabytes}MB.txt", base / "out"
        size = write_text(path, megabytes)
        steps = {step: _step(step, path, out) for step in ("baseline", "import", "read_back")}
        json_size = (out / (path.stem + ".json")).stat().st_size
    baseline, imported = steps["baseline"], steps["import"]
    start = imported["rss_start_kib"]  # the interpreter and jixiao, before the file is touched
    return {
        "input_bytes": size,
        "json_bytes": json_size,
        "steps": steps,
        "time_ratio_to_baseline": imported["seconds"] / baseline["seconds"],
        "peak_ratio_to_baseline": imported["rss_peak_kib"] / baseline["rss_peak_kib"],
        "import_mib_per_input_mib": (imported["rss_peak_kib"] - start) / 1024 / (size / 1024 / 1024),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=float, nargs="+", default=[2.0, 19.9], help="file sizes in MB")
    parser.add_argument("--keep", type=Path, help="keep the generated text and JSON here")
    args = parser.parse_args()
    results: dict[float, dict[str, object]] = {}
    for size in args.sizes:
        r = run_size(size, args.keep)
        results[size] = r
        steps = r["steps"]
        assert isinstance(steps, dict)
        print(
            f"{r['input_bytes'] / 1048576:5.1f} MB text -> {r['json_bytes'] / 1048576:5.1f} MB JSON: "
            + "  ".join(
                f"{name} {s['seconds']:.1f}s (cpu {s['cpu_s']:.1f}s) peak {s['rss_peak_kib'] / 1024:.0f} MiB"
                for name, s in steps.items()
            )
            + f"  | import = {r['time_ratio_to_baseline']:.0f}× the baseline's time, "
            f"{r['peak_ratio_to_baseline']:.1f}× its peak memory, "
            f"{r['import_mib_per_input_mib']:.1f} MiB per MB of input"
        )
    small, large = results[min(results)], results[max(results)]
    if small is not large:
        s_imp, l_imp = small["steps"]["import"], large["steps"]["import"]  # type: ignore[index]
        grow = large["input_bytes"] / small["input_bytes"]  # type: ignore[operator]
        print(
            f"input ×{grow:.1f}: import time ×{l_imp['cpu_s'] / s_imp['cpu_s']:.1f} (cpu), "
            f"peak memory ×{l_imp['rss_peak_kib'] / s_imp['rss_peak_kib']:.1f}"
        )
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "large-file.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
