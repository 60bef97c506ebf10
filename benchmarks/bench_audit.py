"""What the audit log's hash chain costs: writing events, sealing them, verifying the chain.

    python benchmarks/bench_audit.py [--events 5000] [--postgres postgres://postgres@127.0.0.1:5432]

Builds a fresh database (SQLite in a temporary folder, or with
``--postgres`` a new database on that server, dropped afterwards), then in
this process:

- baseline: ``AuditEvent.objects.create`` of the same events, unsealed, in
  one transaction (what an import writes) and one transaction per event
  (what a sign-in writes);
- ``audit.services.record``, which also seals: on SQLite in the same
  transaction, on PostgreSQL after the commit;
- what it adds to real work: loading the project's tabbed self-evaluation
  example (three projects, each a declaration and a self-evaluation with
  their history, findings and audit events) through the web's loader, once
  per file name, alternately with the chain and with sealing switched off
  (the baseline: the same work without the chain);
- ``chain.verify`` over everything written, in events per second.

The report gives microseconds per event and the ratio to the baseline of
the same shape. Results go to ``benchmarks/results/audit.json``. Not part
of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "2024-self-evaluation-tabbed.txt"


def timed(work: Callable[[], object]) -> float:
    """Seconds ``work`` takes."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _loads(files: int) -> tuple[float, float, int]:
    """Seconds to load ``files`` renamed copies of the example without and with sealing; projects per run."""
    from dataclasses import replace

    from jixiao.core.workflow import State
    from jixiao.documents.importer import import_path
    from jixiao.web.audit import chain
    from jixiao.web.audit.services import Context
    from jixiao.web.cycle.services.loading import load_document
    from jixiao.web.orgs.models import Organization

    bureau = Organization.objects.create(name="基准市财政局", kind=Organization.Kind.BUREAU)
    document = import_path(EXAMPLE).document
    real = chain.after_append
    times = {True: 0.0, False: 0.0}
    for n in range(files):
        for sealing in (n % 2 == 0, n % 2 == 1):  # alternate which goes first, against drift
            renamed = replace(
                document,
                projects=tuple(
                    replace(p, name=f"{p.name}（{n:03d}{'链' if sealing else '基'}）") for p in document.projects
                ),
            )
            chain.after_append = real if sealing else (lambda: None)
            try:
                times[sealing] += timed(
                    lambda doc=renamed: load_document(
                        Context.system(), doc, bureau=bureau, create_orgs=True, state_for=lambda i, p: State.APPROVED
                    )
                )
            finally:
                chain.after_append = real
    chain.seal_now()
    return times[False], times[True], files * len(document.projects)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--files", type=int, default=40, help="example files loaded in each of the two load runs")
    parser.add_argument("--postgres", help="server URL without a database name; a new database is made and dropped")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="jixiao-bench-audit-"))
    os.environ["JIXIAO_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    database = None
    if args.postgres:
        import psycopg

        database = f"jixiao_bench_audit_{secrets.token_hex(4)}"
        with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {database}".encode())
        os.environ["DATABASE_URL"] = f"{args.postgres}/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections, transaction

    from jixiao.web.audit import chain
    from jixiao.web.audit.models import AuditEvent
    from jixiao.web.audit.services import Context, record

    try:
        call_command("migrate", verbosity=0)
        n = args.events
        ctx = Context.system()
        detail = {"file": "自评表-0001.txt", "sha256": "0" * 64, "state": "approved"}

        def plain() -> None:
            AuditEvent.objects.create(username="系统", event="import", detail=detail, request_id=ctx.request_id)

        def sealed() -> None:
            record(ctx, AuditEvent.Type.IMPORT, detail=detail)

        def one_transaction(write: Callable[[], None]) -> Callable[[], None]:
            def run() -> None:
                with transaction.atomic():
                    for _ in range(n):
                        write()

            return run

        def own_transactions(write: Callable[[], None]) -> Callable[[], None]:
            def run() -> None:
                for _ in range(n):
                    with transaction.atomic():
                        write()

            return run

        results: dict[str, object] = {"vendor": connection.vendor, "events": n}
        rows = []
        for shape, wrap in (("one transaction", one_transaction), ("a transaction each", own_transactions)):
            base = timed(wrap(plain))
            chain.seal_now()  # the baseline's events join the chain, so the next run appends to a real head
            with_chain = timed(wrap(sealed))
            rows.append((shape, base, with_chain))
            results[shape] = {
                "baseline_us": round(base / n * 1e6, 1),
                "record_us": round(with_chain / n * 1e6, 1),
                "ratio": round(with_chain / base, 2),
            }
        load_base, load_chain, projects = _loads(args.files)
        results["import load"] = {
            "records": projects * 2,
            "baseline_ms_per_record": round(load_base / (projects * 2) * 1e3, 2),
            "with_chain_ms_per_record": round(load_chain / (projects * 2) * 1e3, 2),
            "ratio": round(load_chain / load_base, 3),
        }
        total = AuditEvent.objects.count()
        verify_seconds = timed(chain.verify)
        assert chain.verify().ok
        results["verify"] = {
            "events": total,
            "seconds": round(verify_seconds, 2),
            "per_second": int(total / verify_seconds),
        }
        print(f"{connection.vendor}, {n} events per run")
        for shape, base, with_chain in rows:
            print(
                f"  {shape:<20} baseline {base / n * 1e6:7.1f} µs/event   record() {with_chain / n * 1e6:7.1f} µs/event"
                f"   ratio {with_chain / base:.2f}"
            )
        print(
            f"  import load          {projects * 2} records: baseline {load_base:.2f} s, with the chain"
            f" {load_chain:.2f} s, ratio {load_chain / load_base:.3f}"
        )
        print(f"  verify               {total} events in {verify_seconds:.2f} s ({int(total / verify_seconds)}/s)")
        out = HERE / "results" / "audit.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    finally:
        connections.close_all()
        if database:
            import psycopg

            with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)".encode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
