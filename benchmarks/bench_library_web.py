"""The stored indicator library at a province's size: refreshing it, and the editor's suggestions under load.

    python benchmarks/bench_library_web.py [--scale 1.0] [--clients 20] [--duration 20] [--db jixiao_bench_lib]
                                           [--keep] [--reuse]

1. **Data.** The province database of ``bench_web.py`` (PostgreSQL; at 1.0: 20,000 project-years
   of declarations with 12-18 indicators each and the self-evaluations of three years, in every
   state), made by its own ``prepare``.
2. **Refresh.** Two fresh child processes, one after the other: the baseline reads every record
   past its draft as a core document exactly as the refresh does (``refresh._records``) and keeps
   nothing; the refresh (``library_refresh``: mining, statistics, writing the entries and every
   use). Seconds and peak resident memory of each, and the ratio.
3. **Suggestions.** gunicorn (``--workers``) as in ``bench_web.py``; ``--clients`` unit filers ask
   ``/work/library/suggest/`` for names a filer types (rotating), as fast as answered, after a
   warm-up; the bare signed-in view the same way as the baseline. p50/p95/p99 and the ratio.

Results go to ``benchmarks/results/library_web.json``. Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_web  # noqa: E402  (beside this file, after the path is set)

RESULTS = HERE / "results" / "library_web.json"
# what filers type into the name column: whole names, fragments, and a class alone
TYPED = ("满意度", "培训", "覆盖率", "完成及时率", "验收合格率", "人次", "群众满意度", "社会效益", "成本", "参保")

CHILD = r"""
import json, resource, sys, time
import django
django.setup()
from jixiao.web.audit.services import Context
from jixiao.web.library import refresh

mode = sys.argv[1]
t0 = time.perf_counter()
if mode == "read":
    records = rows = 0
    for _, document in refresh._records():
        records += 1
        rows += sum(len(p.indicators) for p in document.projects)
    out = {"records": records, "indicator_rows": rows}
else:
    run = refresh.refresh_library(Context.system())
    out = {"records": run.documents, "indicator_rows": run.indicators, "entries": run.entries}
out |= {"mode": mode, "seconds": round(time.perf_counter() - t0, 2),
        "rss_peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
print(json.dumps(out))
"""


def refresh_numbers(db: str) -> dict[str, object]:
    """The baseline (reading) and the refresh, each in a fresh child process."""
    read = json.loads(bench_web.run_child(db, "-c", CHILD, "read").strip().splitlines()[-1])
    built = json.loads(bench_web.run_child(db, "-c", CHILD, "refresh").strip().splitlines()[-1])
    return {
        "read": read,
        "refresh": built,
        "refresh_over_reading_ratio": round(built["seconds"] / read["seconds"], 2),
        "refresh_memory_ratio": round(built["rss_peak_mib"] / read["rss_peak_mib"], 2),
    }


def load(db: str, args: argparse.Namespace) -> dict[str, object]:
    """Suggestions and the bare signed-in view under ``args.clients`` signed-in filers."""
    log = RESULTS.parent / "library-web-gunicorn.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    server, port = bench_web.start_server(db, args.workers, log)
    try:
        browsers = [bench_web.Browser(port) for _ in range(args.clients)]
        signing = [threading.Thread(target=b.login, args=(bench_web.BENCH_USERS["staff"],)) for b in browsers]
        for t in signing:
            t.start()
        for t in signing:
            t.join()
        if any("sessionid" not in b.cookies for b in browsers):
            raise SystemExit(f"some clients could not sign in; see {log}")
        urls = [f"/work/library/suggest/?name={quote(t)}" for t in TYPED]
        rows = {}
        for name, targets, expect in (
            ("bare_signed_in", ["/bench/bare/"], "ok"),
            ("library_suggest", urls, '"entries"'),
        ):
            bench_web.wait_quiet(server.pid, args.quiet_timeout)
            rows[name] = bench_web.drive(browsers, targets, expect, args.duration, args.warmup)
            print(f"  {name:<16} {rows[name]['rps']:>7} req/s  p50 {rows[name]['p50_ms']} ms  "
                  f"p95 {rows[name]['p95_ms']} ms  errors {rows[name]['errors']}", flush=True)  # fmt: skip
        base, sug = rows["bare_signed_in"], rows["library_suggest"]
        return rows | {"p95_ratio_to_bare": round(float(sug["p95_ms"]) / float(base["p95_ms"]), 2)}  # type: ignore[arg-type]
    finally:
        bench_web.stop_server(server)


def main() -> None:
    """Prepare the province, measure the refresh and the suggestions, print and save the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = a province (20,000 project-years)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--quiet-timeout", type=float, default=60.0)
    parser.add_argument("--db", default="jixiao_bench_lib")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    try:
        meta = bench_web.prepare(args.db, args.scale, args.seed, args.reuse)
        print("refresh...", flush=True)
        refresh = refresh_numbers(args.db)
        print(json.dumps(refresh, ensure_ascii=False), flush=True)
        print(f"load: {args.clients} clients, {args.workers} workers, {args.duration} s", flush=True)
        suggest = load(args.db, args)
    finally:
        if not args.keep:
            bench_web.drop_db(args.db)
    run = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": args.scale,
        "data": {k: v for k, v in meta.items() if k != "pks"},
        "refresh": refresh,
        "suggest": suggest,
        "wall_seconds": round(time.perf_counter() - started, 1),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(run, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(run, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
