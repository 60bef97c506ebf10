"""The import check page: its render time as a ratio to the job page's, on a seed file and on a large file.

    python benchmarks/bench_import_check.py [--megabytes 1.0] [--rounds 7] [--keep DIR]

Builds a fresh SQLite database in a temporary folder, opens one import job per file as the finance
bureau would, reads it (each file in its bounded child process, as the web does), and then renders,
through Django's test client as a signed-in reviewer, the job page (the baseline: the preview of every
project, the page the check page is reached from) and the file's check page (each project's official
form with the values to check, every correctable value, the unplaced lines), alternately, ``--rounds``
times each after one warm-up; the median of each is kept. Files: the first seed
(``../shared/seeds``) and a text of synthetic self-evaluation forms of about ``--megabytes`` MB
(``bench_large_file.write_text``). Results go to ``benchmarks/results/import-check.json``. Not part
of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _time(client: object, url: str) -> tuple[float, int]:
    start = time.perf_counter()
    response = client.get(url)  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(response.content)


def measure(client: object, job_url: str, check_url: str, rounds: int) -> dict[str, float]:
    """Median render time of both pages (alternating, after a warm-up) and their ratio."""
    _time(client, job_url)
    _time(client, check_url)
    job_times, check_times = [], []
    for _ in range(rounds):
        t, job_bytes = _time(client, job_url)
        job_times.append(t)
        t, check_bytes = _time(client, check_url)
        check_times.append(t)
    job_s, check_s = statistics.median(job_times), statistics.median(check_times)
    return {
        "job_page_ms": round(job_s * 1000, 1),
        "check_page_ms": round(check_s * 1000, 1),
        "check_vs_job": round(check_s / job_s, 2),
        "job_page_kib": round(job_bytes / 1024, 1),
        "check_page_kib": round(check_bytes / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="keep the data folder here")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="jixiao-import-check-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.update({"JIXIAO_DATA_DIR": str(folder / "data"), "JIXIAO_TASKS": "immediate"})
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    import bench_large_file
    from jixiao.core.workflow import Role
    from jixiao.web.accounts.models import Account
    from jixiao.web.audit.services import Context
    from jixiao.web.imports import services
    from jixiao.web.orgs.models import Organization

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    bureau = Organization.objects.create(name="上海市财政局", kind=Organization.Kind.BUREAU)
    user = get_user_model().objects.create_user(username="finance", password="x")
    Account.objects.create(user=user, role=Role.FINANCE_REVIEWER.value, organization=bureau, display_name="财政")
    client = Client()
    client.force_login(user)

    seed = sorted(bench_large_file._seeds().glob("*.txt"))[0]
    large = folder / "large.txt"
    bench_large_file.write_text(large, args.megabytes)
    results = {}
    for label, path in (("seed", seed), ("large", large)):
        job = services.create_job(
            Context(user=user, ip="127.0.0.1"), [services.Upload.of_bytes(path.name, path.read_bytes())]
        )
        services.read_job(job.pk)
        item = job.files.get()
        assert not item.error, item.error
        measured = measure(client, f"/work/imports/{job.pk}/", f"/work/imports/{job.pk}/files/{item.pk}/", args.rounds)
        results[label] = {
            "file": path.name,
            "kib": round(path.stat().st_size / 1024, 1),
            "projects": len(item.projects),
            "indicators": sum(p["indicators"] for p in item.projects),
        } | measured
        print(label, json.dumps(results[label], ensure_ascii=False))
    out = HERE / "results" / "import-check.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
