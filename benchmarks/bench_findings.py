"""What the cross-document review costs a write: a save in units of growing size, with and without it.

    python benchmarks/bench_findings.py [--sizes 5,20,50,200] [--years 4] [--indicators 15] [--repeat 7]

Every write in the web reviews its unit's records across documents again (``jixiao.web.cycle.services.across``:
each project against its approval and against its latest earlier year). Its cost grows with the unit,
not with the province: this measures it on units of ``--sizes`` projects, each with a declaration per
year over ``--years`` years (``--indicators`` indicators each) and a self-evaluation of every year but
the last, in a fresh SQLite database (or the PostgreSQL of ``DATABASE_URL``, whose database is dropped
and created again: name one of your own).

For each size it reports, as medians of ``--repeat`` runs: the refresh of the whole unit (what a load
does once, ``unit_refresh_ms``) and of the projects a save concerns (the one written and those whose
names may link with it, ``project_refresh_ms``), with their query counts; and a whole save of a draft
declaration of that unit through ``services.update_declaration`` with the refresh and with it switched
off in the same process (``save_ms``, ``without_ms``, their ``ratio`` and query counts). The bench_web
figures of deployment.md are for a province's units (20 project-years each); a department that runs two
hundred projects itself is the size to watch.
Results go to ``benchmarks/results/findings.json``. Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TARGETS = ("≥4(次)", "≥90%", "=100%", "≤800(元/人)", "有效提升", "≥85%")
ACTUALS = ("3次", "95%", "100%", "760元/人", "有效提升", "92%")
# project names of three words each, as a unit's are: different projects, a few sharing a word or two
_CHARS = (
    "医保基金监管信息系统运维培训宣传档案安全检查服务采购"
    "评估统计法治人事后勤设备课题调研会议平台数据审计公共"
    "卫生养老教育文化体育交通水利农业林业环境"
)
WORDS = tuple(_CHARS[k] + _CHARS[(k * 7 + 3) % len(_CHARS)] for k in range(len(_CHARS)))


def project_name(n: int) -> str:
    """The n-th project's name: three different words drawn by a fixed sequence, then 经费."""
    a, b, c = random.Random(n).sample(WORDS, 3)
    return f"{a}{b}{c}经费"


def build(size: int, years: int, indicators: int, tag: str) -> tuple[Any, Any, Any]:
    """A unit with ``size`` projects over ``years`` years; its staff member and a draft declaration of the last year."""
    from django.contrib.auth import get_user_model

    from jixiao.core.workflow import Role, State
    from jixiao.web.accounts.models import Account
    from jixiao.web.cycle.models import Declaration, DeclarationIndicator, EvaluationIndicator, Project, SelfEvaluation
    from jixiao.web.orgs.models import Organization

    bureau = Organization.objects.get_or_create(name="财政局", kind=Organization.Kind.BUREAU)[0]
    dept = Organization.objects.create(name=f"部门{tag}", kind=Organization.Kind.DEPARTMENT, parent=bureau)
    unit = Organization.objects.create(name=f"单位{tag}", kind=Organization.Kind.UNIT, parent=dept)
    user = get_user_model().objects.create_user(username=f"staff{tag}", password="x")
    Account.objects.create(user=user, role=Role.UNIT_STAFF.value, organization=unit, display_name="填报")
    projects = Project.objects.bulk_create(
        Project(unit=unit, department=dept, name=project_name(n)) for n in range(size)
    )
    first = 2025 - years + 1
    decls = Declaration.objects.bulk_create(
        Declaration(
            project=p,
            project_name=p.name,
            year=year,
            state=State.DRAFT.value if year == 2025 else State.APPROVED.value,
            requested_total=Decimal("100000.00"),
        )
        for p in projects
        for year in range(first, 2026)
    )
    rows = DeclarationIndicator.objects.bulk_create(
        DeclarationIndicator(
            declaration=d,
            position=k + 1,
            level1="产出指标",
            level2="数量指标",
            name=f"指标{k}",
            # targets move a little each year, so that every comparison has something to say
            target=TARGETS[k % len(TARGETS)].replace("4", str(4 + d.year % 2)),
            weight=Decimal(90) / indicators,
        )
        for d in decls
        for k in range(indicators)
    )
    evs = SelfEvaluation.objects.bulk_create(
        SelfEvaluation(declaration=d, year=d.year, project_name=d.project_name, state=State.SUBMITTED.value)
        for d in decls
        if d.year < 2025
    )
    by_decl = {e.declaration_id: e for e in evs}
    EvaluationIndicator.objects.bulk_create(
        EvaluationIndicator(evaluation=by_decl[r.declaration_id], indicator=r, actual=ACTUALS[(r.position - 1) % 6])
        for r in rows
        if r.declaration_id in by_decl
    )
    draft = next(d for d in decls if d.year == 2025)
    return unit, user, Declaration.objects.get(pk=draft.pk)


def timed(repeat: int, work: Any) -> tuple[float, int]:
    """Median milliseconds of ``work`` over ``repeat`` runs, and the queries of one run."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            with transaction.atomic():
                work()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(captured.captured_queries)
    return statistics.median(times), queries


def measure(size: int, args: argparse.Namespace) -> dict[str, Any]:
    """The figures of one unit size (see the module's docstring)."""
    from jixiao.web.audit.services import Context
    from jixiao.web.cycle import services
    from jixiao.web.cycle.services import across, findings

    unit, user, draft = build(size, args.years, args.indicators, tag=f"-{size}")
    ctx = Context(user=user, ip="127.0.0.1")
    data = {k: getattr(draft, k) for k in services.DECLARATION_FIELDS}
    inputs = [services.IndicatorInput(i.level1, i.level2, i.name, i.target, i.weight) for i in draft.indicators.all()]

    def save() -> None:
        current = type(draft).objects.get(pk=draft.pk)
        services.update_declaration(ctx, current, current.version, data, inputs)

    unit_ms, unit_q = timed(args.repeat, lambda: across.refresh_across(unit.pk))
    project_ms, project_q = timed(args.repeat, lambda: across.refresh_across(unit.pk, draft.project_id))
    save_ms, save_q = timed(args.repeat, save)
    real = findings.refresh_across
    findings.refresh_across = lambda *args: {}  # the same save without the cross-document review
    try:
        without_ms, without_q = timed(args.repeat, save)
    finally:
        findings.refresh_across = real
    stored = across.StoredFinding.objects.filter(declaration__project__unit=unit, code__in=across.ACROSS).count()
    return {
        "projects": size,
        "records": size * args.years + size * (args.years - 1),
        "indicators": size * (2 * args.years - 1) * args.indicators,
        "cross_findings": stored,
        "unit_refresh_ms": round(unit_ms, 1),
        "unit_refresh_queries": unit_q,
        "project_refresh_ms": round(project_ms, 1),
        "project_refresh_queries": project_q,
        "save_ms": round(save_ms, 1),
        "save_queries": save_q,
        "without_ms": round(without_ms, 1),
        "without_queries": without_q,
        "ratio": round(save_ms / without_ms, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,20,50,200")
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--indicators", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="jixiao-bench-findings-"))
    os.environ.update({"JIXIAO_DATA_DIR": str(folder), "JIXIAO_DEBUG": "0"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        name = settings.DATABASES["default"]["NAME"]
        if name in ("postgres", "test"):
            sys.exit("name a database of your own in DATABASE_URL: it is dropped and created again")
        connection.close()
        import psycopg

        params = settings.DATABASES["default"]
        with psycopg.connect(
            host=params["HOST"], port=params["PORT"] or 5432, user=params["USER"], dbname="postgres", autocommit=True
        ) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)

    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        row = measure(size, args)
        results.append(row)
        print(json.dumps(row, ensure_ascii=False))
    out = HERE / "results" / "findings.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps({"database": connection.vendor, "years": args.years, "runs": results}, indent=2) + "\n", "utf-8"
    )


if __name__ == "__main__":
    main()
