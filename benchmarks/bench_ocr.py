"""Scans read by OCR: accuracy, pages per second on one core, peak memory, the reader's overhead.

    python benchmarks/bench_ocr.py [--engines rapidocr tesseract-cells tesseract] [--variants clean-300 ...]
                                   [--seeds 000 001 ...] [--long 200]

Engines (``benchmarks/ocr_engines.py``): RapidOCR as the product uses it; Debian's Tesseract on
each table cell cut out by the pipeline's grid (``tesseract-cells``, how Tesseract is best used on
ruled tables) and on the whole page (``tesseract``). Tesseract needs
``apt-get install tesseract-ocr tesseract-ocr-chi-sim``; it is not a dependency of jixiao.

The test set is made here, as in the suite (``tests/documents/ocr/testset.py``): every seed's gold
document printed by jixiao's PDF exporter, rasterised at 150 or 300 dpi into an image-only PDF,
and degraded (skew, a page sideways, JPEG quality 40, salt noise, a red seal, all together:
``combined``), or printed without ruling lines (``unruled``, read by alignment). The
scans are written to a temporary folder first; then each engine and variant runs in a fresh child
process pinned to one core, which loads the engine (its memory is the baseline), reads every
scan through the reader exactly as ``jixiao import`` does, and reports:

- field accuracy against the gold (compare_gold.py) and the projects found;
- pages per second (CPU time of the child) and the engine's own share of that time: the ratio
  total / engine is the overhead of everything jixiao does around the engine;
- peak resident memory, and its growth over the engine's baseline.

``--long N`` reads an N-page scan (seed 002's pages repeated at 150 dpi) and reports the memory
after the first pages and at the end: a scan is read page by page, so the two must be close.
Results go to ``benchmarks/results/ocr.json``. Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, os, resource, sys, time
from pathlib import Path
if hasattr(os, "sched_setaffinity"):  # one core (children of parallel runs spread over the cores)
    cores = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cores[os.getpid() % len(cores)]})
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, sys.argv[1] + "/benchmarks")
import ocr_engines
from jixiao.core.serialize import dumps
from jixiao.documents.ocr.pages import pdf_pages
from jixiao.documents.ocr.reading import read_pages
from tests.documents.ocr import testset
from tests.shared import load_compare_gold

def rss():
    # this process's own high-water mark: ru_maxrss would carry the parent's over exec
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

def cpu():  # this process and its children (the tesseract command)
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system

compare = load_compare_gold()

engine_name, folder, stems = sys.argv[2], Path(sys.argv[3]), sys.argv[4].split(",")
rss_start = rss()
engine = ocr_engines.make(engine_name)
rss_engine = rss()
out = {"engine": engine_name, "seeds": {}, "pages": 0, "cpu_s": 0.0, "engine_s": 0.0,
       "rss_start_kib": rss_start, "rss_engine_kib": rss_engine}
marks = []
for stem in stems:
    path = folder / f"{stem}.pdf"
    data = path.read_bytes()
    pages = 0
    def progress(done, total):
        global pages
        pages = done
        marks.append(rss())
    c0 = cpu()
    e0 = engine.seconds
    try:
        result = read_pages(pdf_pages(data, path.name), path.name, progress, engine=engine)
    except Exception as exc:
        out["seeds"][stem] = {"error": str(exc)[:300]}
        continue
    used = cpu() - c0
    out["pages"] += pages
    out["cpu_s"] += used
    out["engine_s"] += engine.seconds - e0
    if stem == "long":  # the long scan repeats pages: it measures memory, not accuracy
        out["seeds"][stem] = {"pages": pages, "cpu_s": round(used, 2), "projects": len(result.document.projects)}
        continue
    accuracy, diffs = testset.accuracy(stem, result)
    gold = testset.gold_document(stem)
    # found as compare_gold.py finds it: paired by name and unit, or by their similarity
    wanted, read = json.loads(dumps(gold))["projects"], json.loads(dumps(result.document))["projects"]
    pairs = compare.match_by_key(wanted, read, compare.project_key)
    found = sum(1 for g, p in pairs if g is not None and p is not None)
    out["seeds"][stem] = {"pages": pages, "accuracy": round(accuracy, 4), "projects": len(gold.projects),
                          "found": found, "cpu_s": round(used, 2), "diffs": diffs[:12]}
out["rss_peak_kib"] = rss()
out["rss_after_first_pages_kib"] = marks[min(4, len(marks) - 1)] if marks else None
print(json.dumps(out, ensure_ascii=False))
"""


def _make_scans(folder: Path, variant: str, stems: list[str]) -> None:
    from tests.documents.ocr import testset

    for stem in stems:
        (folder / f"{stem}.pdf").write_bytes(testset.scan_of(stem, testset.VARIANTS[variant]))


def _make_long(folder: Path, pages: int) -> None:
    from tests.documents.ocr import testset

    images = testset.rasterise(testset.printed("002"), 150)
    (folder / "long.pdf").write_bytes(testset.image_pdf((images[i % len(images)] for i in range(pages)), 150))


def _child(engine: str, folder: Path, stems: list[str]) -> dict:  # type: ignore[type-arg]
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), engine, str(folder), ",".join(stems)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"engine": engine, "error": done.stderr[-2000:]}
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _summary(run: dict) -> dict:  # type: ignore[type-arg]
    seeds = [s for s in run.get("seeds", {}).values() if "accuracy" in s]
    pages = run.get("pages", 0)
    engine_s = run.get("engine_s", 0.0)
    return {
        "pages": pages,
        "accuracy_min": min((s["accuracy"] for s in seeds), default=None),
        "projects_found": f"{sum(s['found'] for s in seeds)}/{sum(s['projects'] for s in seeds)}",
        "pages_per_s": round(pages / run["cpu_s"], 3) if run.get("cpu_s") else None,
        "s_per_page": round(run["cpu_s"] / pages, 2) if pages else None,
        "overhead_ratio": round(run["cpu_s"] / engine_s, 3) if engine_s else None,
        "rss_engine_mib": round(run.get("rss_engine_kib", 0) / 1024),
        "rss_peak_mib": round(run.get("rss_peak_kib", 0) / 1024),
    }


def main() -> None:
    """Run the benchmark and write ``benchmarks/results/ocr.json``."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engines", nargs="+", default=["rapidocr", "tesseract-cells", "tesseract"])
    parser.add_argument(
        "--variants", nargs="*", default=["clean-300", "clean-150", "skew", "sideways", "jpeg-40", "salt", "seal"]
    )
    parser.add_argument("--seeds", nargs="+", default=["000", "001", "002", "003", "004"])
    parser.add_argument("--long", type=int, default=0, help="also read an N-page scan (memory page by page)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "ocr.json")
    args = parser.parse_args()
    results: dict = {"runs": []}  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as tmp:
        for variant in args.variants:
            folder = Path(tmp) / variant
            folder.mkdir()
            _make_scans(folder, variant, args.seeds)
            for engine in args.engines:
                run = _child(engine, folder, args.seeds)
                run["variant"] = variant
                run["summary"] = _summary(run)
                results["runs"].append(run)
                print(variant, engine, json.dumps(run["summary"], ensure_ascii=False), flush=True)
                for stem, seed in run.get("seeds", {}).items():
                    print("   ", stem, {k: v for k, v in seed.items() if k != "diffs"}, flush=True)
        if args.long:
            folder = Path(tmp) / "long"
            folder.mkdir()
            _make_long(folder, args.long)
            run = _child("rapidocr", folder, ["long"])
            results["long"] = {
                "pages": args.long,
                "rss_engine_mib": round(run.get("rss_engine_kib", 0) / 1024),
                "rss_after_5_pages_mib": round((run.get("rss_after_first_pages_kib") or 0) / 1024),
                "rss_peak_mib": round(run.get("rss_peak_kib", 0) / 1024),
                "cpu_s": round(run.get("cpu_s", 0.0), 1),
                "error": run.get("error") or run.get("seeds", {}).get("long", {}).get("error"),
            }
            print("long", json.dumps(results["long"], ensure_ascii=False), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.out.exists():  # keep the runs of other invocations (a subset of variants or engines)
        old = json.loads(args.out.read_text(encoding="utf-8"))
        keep = {(r["variant"], r["engine"], tuple(args.seeds)) for r in results["runs"]}
        results["runs"] = [
            r for r in old.get("runs", []) if (r["variant"], r["engine"], tuple(r.get("seed_list", []))) not in keep
        ] + results["runs"]
        results.setdefault("long", old.get("long"))
    for run in results["runs"]:
        run.setdefault("seed_list", args.seeds)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
