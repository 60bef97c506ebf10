"""A 500-file import through the web's background worker: time, and the worker's memory as the files go by.

    python benchmarks/bench_web_import.py [--files 500] [--keep DIR]

Builds a fresh SQLite database in a temporary folder, writes ``--files``
distinct self-evaluation files (the project's tabbed example with every
project renamed per file, three projects each), opens one import job for
all of them as the finance bureau would, and lets ``manage.py db_worker``
(django-tasks' database backend, as production runs it) read them and,
once confirmed, load them in one transaction. While it works, the
worker's resident memory is sampled from ``/proc`` ten times a second
with the job's progress; the report gives the memory at 10 %, 50 % and
100 % of the files read and of the loading time, so a leak per file
would show as growth.

Baseline, in the same command: reading the same files with
``jixiao.documents.importer.import_path`` in this process (what ``jixiao
import`` does without the database); the web phases are reported as
ratios to it. Results go to ``benchmarks/results/web-import.json``.
Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXAMPLE = ROOT / "examples" / "2024-self-evaluation-tabbed.txt"
NAMES = ("社区老年人助餐服务点运营补贴", "养老机构安全检查第三方服务费", "困难群众临时救助信息系统运维")


def write_files(folder: Path, count: int) -> list[Path]:
    """``count`` files, each the example with its three projects renamed for that file."""
    text = EXAMPLE.read_text("utf-8")
    paths = []
    for n in range(count):
        body = text
        for name in NAMES:
            body = body.replace(name, f"{name}（{n + 1:04d}）")
        path = folder / f"自评表-{n + 1:04d}.txt"
        path.write_text(body, "utf-8")
        paths.append(path)
    return paths


def rss_mib(pid: int) -> float:
    """Resident memory of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def watch(
    job_id: int, worker: subprocess.Popen[bytes], until: set[str]
) -> tuple[float, list[tuple[float, int, float]]]:
    """Sample (seconds, files done, worker RSS) until the job reaches one of ``until``; the phase's time."""
    from jixiao.web.imports.models import ImportJob

    start = time.perf_counter()
    samples = []
    while True:
        job = ImportJob.objects.get(pk=job_id)
        samples.append((time.perf_counter() - start, job.done_files, rss_mib(worker.pid)))
        if job.state in until:
            return time.perf_counter() - start, samples
        if worker.poll() is not None:
            raise SystemExit(f"the worker stopped (exit {worker.returncode})")
        time.sleep(0.1)


def at(samples: list[tuple[float, int, float]], total: int, share: float) -> float:
    """The worker's RSS when ``share`` of the files were done (reading reports each file as it goes)."""
    for _, done, rss in samples:
        if done >= total * share:
            return rss
    return samples[-1][2]


def at_time(samples: list[tuple[float, int, float]], share: float) -> float:
    """The worker's RSS after ``share`` of the phase's time (loading is one transaction: no per-file count)."""
    end = samples[-1][0]
    return next(rss for t, _, rss in samples if t >= end * share)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--keep", type=Path, help="keep the data folder here")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="jixiao-web-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    # DEBUG off as in production: with it on, Django keeps the last 9,000 queries of the worker in memory
    env = os.environ | {"JIXIAO_DATA_DIR": str(folder / "data"), "JIXIAO_TASKS": "database", "JIXIAO_DEBUG": "0"}
    env.pop("DATABASE_URL", None)
    os.environ.update({k: env[k] for k in ("JIXIAO_DATA_DIR", "JIXIAO_TASKS", "JIXIAO_DEBUG")})
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from jixiao.core.workflow import Role
    from jixiao.documents.importer import import_path
    from jixiao.web.accounts.models import Account
    from jixiao.web.audit.services import Context
    from jixiao.web.imports import services, tasks
    from jixiao.web.imports.models import ImportJob
    from jixiao.web.orgs.models import Organization

    call_command("migrate", verbosity=0)
    files = write_files(folder, args.files)

    t0 = time.perf_counter()
    for path in files:
        import_path(path)
    baseline = time.perf_counter() - t0

    from django.contrib.auth import get_user_model

    bureau = Organization.objects.create(name="上海市财政局", kind=Organization.Kind.BUREAU)
    user = get_user_model().objects.create_user(username="finance", password="x")
    Account.objects.create(user=user, role=Role.FINANCE_REVIEWER.value, organization=bureau, display_name="财政")
    ctx = Context(user=user, ip="127.0.0.1")
    t0 = time.perf_counter()
    job = services.create_job(ctx, [services.Upload.of_bytes(p.name, p.read_bytes()) for p in files])
    upload = time.perf_counter() - t0
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jixiao.web.manage",
            "db_worker",
            "--interval",
            "0.1",
            "--no-startup-delay",
            "--no-reload",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "worker.log", "wb"),  # noqa: SIM115  (the worker writes here until it is stopped)
    )
    try:
        time.sleep(1.0)
        idle = rss_mib(worker.pid)
        tasks.read_files.enqueue(job.pk)
        read_time, read_samples = watch(job.pk, worker, {ImportJob.State.READ, ImportJob.State.FAILED})
        job = services.confirm(ctx, ImportJob.objects.get(pk=job.pk), "approved", True)
        tasks.load_files.enqueue(job.pk, user.pk)
        load_time, load_samples = watch(job.pk, worker, {ImportJob.State.DONE, ImportJob.State.FAILED})
    finally:
        worker.terminate()
        worker.wait(10)
    job = ImportJob.objects.get(pk=job.pk)
    if job.state != ImportJob.State.DONE:
        raise SystemExit(f"the import did not load: {job.problems[:3]}")
    result = {
        "files": args.files,
        "projects": job.result["evaluations"],
        "baseline_read_s": round(baseline, 2),
        "upload_s": round(upload, 2),
        "read_s": round(read_time, 2),
        "load_s": round(load_time, 2),
        "read_vs_baseline": round(read_time / baseline, 2),
        "load_vs_baseline": round(load_time / baseline, 2),
        "files_per_s": {"read": round(args.files / read_time, 1), "load": round(args.files / load_time, 1)},
        "worker_rss_mib": {
            "idle": round(idle, 1),
            "read": {f"{int(s * 100)}%": round(at(read_samples, args.files, s), 1) for s in (0.1, 0.5, 1.0)},
            "load": {f"{int(s * 100)}% of the time": round(at_time(load_samples, s), 1) for s in (0.1, 0.5, 1.0)},
            "peak": round(max(r for _, _, r in read_samples + load_samples), 1),
        },
    }
    out = HERE / "results" / "web-import.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
