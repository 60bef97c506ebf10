"""What the address throttle costs a request: token calls and sign-ins with it on and off, over a full audit log.

    python benchmarks/bench_auth.py [--events 200000] [--requests 300] [--db jixiao_auth_bench | --sqlite]

The throttle (``jixiao.web.accounts.throttle``) counts an address's failed logins and tokens in
the audit log before every sign-in and every call with a token. This builds a fresh database
(PostgreSQL ``--db`` on 127.0.0.1:5432 as user ``postgres``, or SQLite in a temporary folder),
fills the audit log with ``--events`` failed logins spread over the 186 days it must keep, from
1,000 addresses, and gives the measured address one failure short of its limit (the most rows
the count can meet without refusing). Then, in this process through Django's test client:

- ``token``: ``GET /api/v1/projects`` with a valid token, ``--requests`` times;
- ``login``: the login form posted with the right password, a tenth as many times;

each with the throttle on, and off (``JIXIAO_ADDRESS_FAILURES=0``: no count at all) as the
baseline in the same run, alternating blocks so that a busy machine hurts both alike. Reported:
the median and 95th percentile per request and the ratio on/off, and the throttle's check by
itself (``check``) against the cheapest query of the same table. Last, 1,000 made-up tokens from
one address (issue 12 measured 1,000 guesses in 5.4 s, none refused, none recorded): what they
were answered and how many audit events they wrote. Results go to
``benchmarks/results/auth.json``. Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ADDRESS = "198.51.100.20"
PASSWORD = "Kx7!bench-Password"


def psql(sql: str) -> None:
    """Run one statement as the postgres user on the maintenance database."""
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True, capture_output=True)


def setup(args: argparse.Namespace, folder: Path) -> None:
    """Point Django at a fresh database and migrate it."""
    os.environ["JIXIAO_DATA_DIR"] = str(folder)
    if args.sqlite:
        os.environ.pop("DATABASE_URL", None)
    else:
        psql(f'DROP DATABASE IF EXISTS "{args.db}"')
        psql(f'CREATE DATABASE "{args.db}"')
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "jixiao.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(events: int) -> tuple[Any, str]:
    """The finance reviewer with a token, and an audit log of ``events`` failed logins plus the address's own."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from jixiao.core.workflow import Role
    from jixiao.web.accounts.models import Account
    from jixiao.web.api.services import create_token
    from jixiao.web.audit.models import AuditEvent
    from jixiao.web.audit.services import Context
    from jixiao.web.orgs.models import Organization

    bureau = Organization.objects.create(name="基准市财政局", kind=Organization.Kind.BUREAU)
    user = get_user_model().objects.create_user(username="finance", password=PASSWORD)
    Account.objects.create(user=user, role=Role.FINANCE_REVIEWER.value, organization=bureau)
    token = create_token(Context(user=user, ip=ADDRESS), "基准")[1]
    now = timezone.now()
    step = timedelta(days=186) / max(1, events)
    at = AuditEvent._meta.get_field("at")
    at.auto_now_add = False  # type: ignore[attr-defined]  # the benchmark's own rows carry their times
    try:
        for start in range(0, events, 10_000):
            AuditEvent.objects.bulk_create(
                AuditEvent(
                    at=now - (n + 1) * step,
                    username=f"guess{n % 5000}",
                    ip=f"10.{n % 250}.{(n // 250) % 4}.{n % 7 + 1}",
                    event=AuditEvent.Type.LOGIN_FAILED,
                    success=False,
                    detail={"via": "login", "locked": False},
                )
                for n in range(start, min(events, start + 10_000))
            )
    finally:
        at.auto_now_add = True  # type: ignore[attr-defined]
    for _ in range(settings.JIXIAO_ADDRESS_FAILURES - 1):
        AuditEvent.objects.create(
            username="typo", ip=ADDRESS, event=AuditEvent.Type.LOGIN_FAILED, success=False, detail={"via": "login"}
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return user, token


def _count() -> int:
    from jixiao.web.audit.models import AuditEvent

    return AuditEvent.objects.count()


def timed(call: Any, times: int) -> list[float]:
    """Milliseconds of each of ``times`` calls."""
    out = []
    for _ in range(times):
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def measure(token: str, requests: int) -> dict[str, Any]:
    """Token calls and sign-ins, throttle on and off, in alternating blocks."""
    from django.test import Client, override_settings

    def api_call() -> None:
        response = Client(REMOTE_ADDR=ADDRESS).get("/api/v1/projects", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200, response.content[:200]

    def sign_in() -> None:
        response = Client(REMOTE_ADDR=ADDRESS).post("/accounts/login/", {"username": "finance", "password": PASSWORD})
        assert response.status_code == 302, response.status_code

    samples: dict[str, dict[str, list[float]]] = {k: {"on": [], "off": []} for k in ("token", "login")}
    blocks = 10
    for _ in range(blocks):
        for mode in ("on", "off"):
            with override_settings(**({} if mode == "on" else {"JIXIAO_ADDRESS_FAILURES": 0})):
                samples["token"][mode] += timed(api_call, max(1, requests // blocks))
                samples["login"][mode] += timed(sign_in, max(1, requests // blocks // 10))
    # the check by itself, the part of each request the throttle adds: one indexed read of the audit log
    from django.test import RequestFactory

    from jixiao.web.accounts import throttle
    from jixiao.web.audit.models import AuditEvent

    request = RequestFactory().get("/api/v1/projects", REMOTE_ADDR=ADDRESS)
    check, one_query = [], []
    for _ in range(requests):  # interleaved with its baseline: the cheapest query of the same table
        check += timed(lambda: throttle.retry_after(request), 1)
        one_query += timed(lambda: AuditEvent.objects.filter(pk=1).exists(), 1)
    report: dict[str, Any] = {
        "check": {
            "n": len(check),
            "p50_ms": round(statistics.median(check), 3),
            "one_query_p50_ms": round(statistics.median(one_query), 3),
            "ratio_to_one_query": round(statistics.median(check) / statistics.median(one_query), 2),
        }
    }
    for kind, modes in samples.items():
        row = {}
        for mode, values in modes.items():
            ordered = sorted(values)
            row[mode] = {
                "n": len(values),
                "p50_ms": round(statistics.median(values), 2),
                "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
            }
        row["ratio_p50"] = round(row["on"]["p50_ms"] / row["off"]["p50_ms"], 3)
        report[kind] = row
    return report


def guessing(guesses: int) -> dict[str, Any]:
    """``guesses`` made-up tokens from one fresh address, as fast as the client goes: what they get, what is written."""
    import secrets
    from collections import Counter

    from django.test import Client

    from jixiao.web.api.services import TOKEN_PREFIX
    from jixiao.web.audit.models import AuditEvent

    address = "203.0.113.77"
    before = AuditEvent.objects.filter(ip=address).count()
    statuses: Counter[int] = Counter()
    start = time.perf_counter()
    for _ in range(guesses):
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        statuses[
            Client(REMOTE_ADDR=address).get("/api/v1/projects", HTTP_AUTHORIZATION=f"Bearer {token}").status_code
        ] += 1
    seconds = time.perf_counter() - start
    return {
        "guesses": guesses,
        "seconds": round(seconds, 2),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "audit_events_written": AuditEvent.objects.filter(ip=address).count() - before,
    }


def main() -> None:
    """Build, fill, measure, print and keep the results."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--db", default="jixiao_auth_bench")
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup(args, Path(folder))
        started = time.perf_counter()
        _, token = fill(args.events)
        print(f"audit log filled: {_count():,} events in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        report = measure(token, args.requests)
        report["guessing"] = guessing(1000)
        from django.db import connection

        report = {"database": connection.vendor, "audit_events": _count(), **report}
        connection.close()
        if not args.sqlite:
            psql(f'DROP DATABASE IF EXISTS "{args.db}"')
    print(f"{'':8}{'on p50':>9}{'off p50':>9}{'on p95':>9}{'off p95':>9}{'ratio':>8}")
    for kind in ("token", "login"):
        row = report[kind]
        print(
            f"{kind:8}{row['on']['p50_ms']:>9}{row['off']['p50_ms']:>9}"
            f"{row['on']['p95_ms']:>9}{row['off']['p95_ms']:>9}{row['ratio_p50']:>8}"
        )
    check = report["check"]
    print(
        f"the check alone: p50 {check['p50_ms']} ms over {check['n']} calls; the cheapest query of the audit table "
        f"{check['one_query_p50_ms']} ms (ratio {check['ratio_to_one_query']})"
    )
    guess = report["guessing"]
    print(
        f"{guess['guesses']} made-up tokens from one address in {guess['seconds']} s: statuses {guess['statuses']}, "
        f"{guess['audit_events_written']} audit events written"
    )
    out = HERE / "results" / "auth.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
