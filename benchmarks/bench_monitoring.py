"""A monitoring round at province size: opening it, computing its alerts, and its pages under 20 clients.

    python benchmarks/bench_monitoring.py [--scale 1.0] [--db jixiao_bench_mon] [--reuse] [--keep]
                                          [--clients 20] [--duration 20] [--workers 5]

What it does, in order:

1. **Database.** The province of ``bench_web.py`` (1 finance bureau, 50 departments, 1,000 units,
   20,000 project-years with ~300,000 indicators at ``--scale`` 1.0) on PostgreSQL, made by its
   ``prepare`` (``--reuse`` keeps a database generated at the same scale and migrations).
2. **Opening** (a child process, timed): the finance bureau opens a round over every department for
   the year with the most approved declarations, through ``monitoring.services.open_round``: one
   form per approved declaration, its rows the approved indicators, each form reviewed and its
   findings stored, in one transaction, as the page's button does it.
3. **Alerts** (timed): every form is filled as units would (amounts paid behind or on the time
   schedule, forecasts that meet or miss, likelihoods with and without a remedy), written in bulk,
   then every form's findings are computed again and stored (``monitoring.services.refresh_findings``),
   which is what a save does for one form: the seconds for the whole round, and the alerts by code.
4. **Load.** gunicorn as in ``bench_web.py``: 20 signed-in finance clients request the round's page,
   its page filtered to one department with alerts only, and form pages, after ``bare`` (no database)
   as the baseline of the same run; p50/p95 and their ratio to ``bare``. The round's page keeps
   its figures under the round's data version (``monitoring.cache``, decision 0019): under load
   every request after a worker's first is a hit, so ``alone`` is the cost of a hit.

Results are printed and kept in ``benchmarks/results/monitoring.json`` under their scale.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import bench_web

RESULTS = bench_web.HERE / "results" / "monitoring.json"
CENT = Decimal("0.01")


def open_and_alert(seed: int) -> dict[str, Any]:
    """The child step: open the round, fill every form, compute the alerts again; the timings and counts."""
    import django

    django.setup()
    from collections import Counter
    from datetime import date

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import Count

    from jixiao.core.workflow import FROZEN_VALUES
    from jixiao.web.audit.services import Context
    from jixiao.web.cycle.models import Declaration
    from jixiao.web.monitoring import services
    from jixiao.web.monitoring.models import MonitoringFinding, MonitoringRecord, MonitoringRow

    finance = get_user_model().objects.get(username=bench_web.BENCH_USERS["finance"])
    by_year = Declaration.objects.filter(state__in=FROZEN_VALUES).values("year").annotate(n=Count("pk"))
    year = max(by_year, key=lambda r: (r["n"], r["year"]))["year"]
    started = time.perf_counter()
    opened = services.open_round(Context.system(finance), year, date(year, 7, 31), date(year, 8, 31))
    opening = time.perf_counter() - started
    round_ = opened.round

    # every form filled as units would; a fifth behind the schedule, a tenth with a row that may miss
    rnd = random.Random(seed)
    records = list(MonitoringRecord.objects.filter(round=round_).select_related("declaration"))
    for rec in records:
        budget = rec.declaration.requested_total or Decimal("100000.00")
        share = Decimal(rnd.choice(("0.30", "0.45", "0.58", "0.62", "0.70")))
        rec.budget_total = budget
        rec.executed_to_date = (budget * share).quantize(CENT, rounding=ROUND_HALF_UP)
        rec.forecast_total = (budget * Decimal(rnd.choice(("0.85", "0.98", "1.00")))).quantize(CENT)
        rec.outcome = "项目按计划推进。"
        # filed in part: the finance bureau sees what departments approved (a unit's draft is its own)
        rec.state = rnd.choice(("draft", "draft", "submitted", "dept_approved", "approved"))
    rows = list(MonitoringRow.objects.filter(record__round=round_).select_related("indicator"))
    for row in rows:
        target = row.indicator.target.lstrip("≥≤=<>") or row.indicator.target
        row.actual, row.forecast = "过半", target
        row.likelihood = rnd.choice(("确定能", "确定能", "确定能", "有可能", "完全不可能"))
        row.cause = ["经费保障"] if row.likelihood != "确定能" else []
        row.remedy = "" if rnd.random() < 0.5 else "下半年加快实施。"
    with transaction.atomic():
        MonitoringRecord.objects.bulk_update(
            records, ["budget_total", "executed_to_date", "forecast_total", "outcome", "state"], batch_size=2000
        )
        MonitoringRow.objects.bulk_update(
            rows, ["actual", "forecast", "likelihood", "cause", "remedy"], batch_size=2000
        )
    started = time.perf_counter()
    by_record: dict[int, list[Any]] = {}
    for row in rows:
        by_record.setdefault(row.record_id, []).append(row)
    with transaction.atomic():
        for rec in records:
            services.refresh_findings(rec, sorted(by_record.get(rec.pk, []), key=lambda r: r.position))
    alerting = time.perf_counter() - started
    codes = Counter(MonitoringFinding.objects.filter(record__round=round_).values_list("code", flat=True))
    departments = list(
        MonitoringRecord.objects.filter(round=round_).values_list("department_id", flat=True).distinct()[:1]
    )
    return {
        "year": year,
        "round": round_.pk,
        "records": len(records),
        "rows": len(rows),
        "open_seconds": round(opening, 2),
        "alerts_seconds": round(alerting, 2),
        "findings": sum(codes.values()),
        "codes": dict(codes.most_common()),
        "department": departments[0] if departments else None,
        "record_pks": [r.pk for r in records if r.state in ("dept_approved", "approved")][:50],
    }


def monitoring_pages(opened: dict[str, Any]) -> dict[str, tuple[str, list[str], str]]:
    """What the load drives: the bare baseline, the round's page (whole and filtered) and form pages."""
    round_page = f"/work/monitoring/rounds/{opened['round']}/"
    return {
        "bare": ("none", ["/bench/bare/"], "ok"),
        "bare_signed_in": ("finance", ["/bench/bare/"], "ok"),
        "round_page": ("finance", [round_page], "绩效运行监控"),
        "round_page_filtered": (
            "finance",
            [f"{round_page}?department={opened['department']}&alerts=1"],
            "绩效运行监控",
        ),
        "record_page": ("finance", [f"/work/monitoring/records/{pk}/" for pk in opened["record_pks"]], "监控"),
    }


def main() -> None:
    """Parse the options and run the benchmark, or its child step."""
    if len(sys.argv) > 1 and sys.argv[1] == "_open":
        print(json.dumps(open_and_alert(int(sys.argv[2])), ensure_ascii=False))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = a province (20,000 project-years)")
    parser.add_argument("--db", default="jixiao_bench_mon")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--solo", type=float, default=5.0)
    parser.add_argument("--retries", type=int, default=2)
    parser.add_argument("--quiet-timeout", type=float, default=120.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a database generated at the same scale")
    parser.add_argument("--no-load", action="store_true", help="only open the round and compute its alerts")
    args = parser.parse_args()
    args.pages = None
    try:
        # a round changes the database: a reused one must not hold one already
        meta = bench_web.prepare(args.db, args.scale, args.seed, reuse=False)
        print("opening the round and computing its alerts...", flush=True)
        opened = json.loads(bench_web.run_child(args.db, str(Path(__file__).resolve()), "_open", str(args.seed)))
        print(
            f"  {opened['records']:,} forms, {opened['rows']:,} rows: opened in {opened['open_seconds']} s; "
            f"alerts of the filled round in {opened['alerts_seconds']} s ({opened['findings']:,} findings)",
            flush=True,
        )
        rows: dict[str, Any] = {}
        if not args.no_load:
            bench_web.pages = lambda _meta: monitoring_pages(opened)  # the load drives the round's pages
            rows = bench_web.load(args.db, meta, args)
    finally:
        if not args.keep:
            bench_web.drop_db(args.db)
    base = rows.get("bare")
    run = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": args.scale,
        "data": {k: meta[k] for k in ("project_years", "declaration_indicators") if k in meta},
        "opened": {k: v for k, v in opened.items() if k != "record_pks"},
        "pages": rows,
        "ratios": {n: round(r["p95_ms"] / base["p95_ms"], 2) for n, r in rows.items()} if base else {},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    runs = previous.get("runs", {}) if isinstance(previous, dict) else {}
    runs[str(args.scale)] = run
    RESULTS.write_text(json.dumps({"runs": runs}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for name, row in rows.items():
        print(f"  {name:<22} p50 {row['p50_ms']:>8} ms  p95 {row['p95_ms']:>8} ms  p95/bare {run['ratios'][name]}")
    print(f"results: {RESULTS.relative_to(bench_web.ROOT)} (runs[{str(args.scale)!r}])")


if __name__ == "__main__":
    main()
