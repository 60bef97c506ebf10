"""Deadlines at a province's scale: the overdue rule on the lists and home pages, and a ``remind`` run.

    python benchmarks/bench_notices.py [--records 10000] [--units 200]

Builds a fresh SQLite database in a temporary folder: a bureau, 20 departments, ``--units`` units with one
staff account each (every tenth with an e-mail address, the locmem backend catching the mail), ``--records``
declarations of this year (40 % drafts, 10 % returned, the rest submitted), and the deadlines a province
would set (the bureau's date for all, past; later dates for five departments; earlier ones set by the
departments for twenty units). Times: reading the deadlines and counting the overdue records through the
queryset condition; the first page (50 ids) of a list filtered on 逾期; the finance bureau's home panel
(counts per department); ``remind`` twice on one day (the second gives nothing). Results go to
``benchmarks/results/notices.json``. Not part of the test run.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=10000)
    parser.add_argument("--units", type=int, default=200)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="jixiao-bench-notices-")
    os.environ["JIXIAO_DATA_DIR"] = folder
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jixiao.web.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    call_command("migrate", verbosity=0)
    results = build_and_measure(args.records, args.units)
    out = HERE / "results" / "notices.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", "utf-8")
    json.dump(results, sys.stdout, ensure_ascii=False, indent=2)
    print()


def build_and_measure(records: int, units: int) -> dict[str, object]:
    from django.contrib.auth.models import User
    from django.core import mail
    from django.utils import timezone

    from jixiao.core.workflow import Role
    from jixiao.web.accounts.models import Account
    from jixiao.web.audit.services import Context
    from jixiao.web.cycle.models import Declaration, Project
    from jixiao.web.notices.deadlines import DECLARATION_FIELDS, DeadlineBook
    from jixiao.web.notices.models import Stage
    from jixiao.web.notices.overdue import home_overdue
    from jixiao.web.notices.services.deadlines import set_deadline
    from jixiao.web.notices.services.notices import send_reminders
    from jixiao.web.orgs.models import Organization

    today = timezone.localdate()
    year = today.year
    bureau = Organization.objects.create(name="某省财政厅", kind=Organization.Kind.BUREAU)
    departments = [
        Organization.objects.create(name=f"第{n + 1:02d}主管部门", kind=Organization.Kind.DEPARTMENT, parent=bureau)
        for n in range(20)
    ]
    unit_rows = [
        Organization.objects.create(name=f"第{n + 1:03d}单位", kind=Organization.Kind.UNIT, parent=departments[n % 20])
        for n in range(units)
    ]
    for n, unit in enumerate(unit_rows):
        user = User.objects.create_user(f"staff{n}", email=f"staff{n}@example.gov.cn" if n % 10 == 0 else "")
        Account.objects.create(user=user, role=Role.UNIT_STAFF.value, organization=unit)
    finance = User.objects.create_user("finance")
    Account.objects.create(user=finance, role=Role.FINANCE_REVIEWER.value, organization=bureau)
    heads = []
    for n, dept in enumerate(departments[:5]):
        head = User.objects.create_user(f"dept{n}")
        Account.objects.create(user=head, role=Role.DEPT_REVIEWER.value, organization=dept)
        heads.append((head, dept))
    projects = Project.objects.bulk_create(
        Project(unit=unit_rows[n % units], department=unit_rows[n % units].department, name=f"项目{n:06d}")
        for n in range(records)
    )
    states = ["draft"] * 4 + ["returned"] + ["submitted"] * 5
    Declaration.objects.bulk_create(
        Declaration(project=p, project_name=p.name, year=year, state=states[(n // units) % 10])
        for n, p in enumerate(projects)
    )
    started = time.perf_counter()
    set_deadline(Context(user=finance), year, Stage.DECLARATION, today - datetime.timedelta(days=1))
    for head, dept in heads:
        set_deadline(
            Context(user=finance), year, Stage.DECLARATION, today + datetime.timedelta(days=30), department=dept
        )
        for unit in [u for u in unit_rows if u.department_id == dept.pk][:4]:
            set_deadline(Context(user=head), year, Stage.DECLARATION, today - datetime.timedelta(days=3), unit=unit)
    set_seconds = time.perf_counter() - started

    def timed(fn: object) -> tuple[object, float]:
        t = time.perf_counter()
        value = fn()  # type: ignore[operator]
        return value, time.perf_counter() - t

    late_count, count_seconds = timed(
        lambda: Declaration.objects.filter(DeadlineBook(Stage.DECLARATION).overdue_q(DECLARATION_FIELDS)).count()
    )
    _, page_seconds = timed(
        lambda: list(
            Declaration.objects.filter(DeadlineBook(Stage.DECLARATION).overdue_q(DECLARATION_FIELDS))
            .order_by("-year", "project_name", "id")
            .values_list("pk", flat=True)[:50]
        )
    )
    panel, home_seconds = timed(lambda: home_overdue(finance, today))
    first, first_seconds = timed(lambda: send_reminders(Context.system(), today))
    second, second_seconds = timed(lambda: send_reminders(Context.system(), today))
    return {
        "records": records,
        "units": units,
        "deadline_rows": 1 + 5 + 20,
        "setting_deadlines_seconds": round(set_seconds, 3),
        "overdue_records": late_count,
        "count_overdue_seconds": round(count_seconds, 3),
        "first_list_page_overdue_seconds": round(page_seconds, 3),
        "finance_home_panel_seconds": round(home_seconds, 3),
        "finance_home_panel_rows": len(panel["counts"]),  # type: ignore[index]
        "remind_first_run_notices": first,
        "remind_first_run_seconds": round(first_seconds, 2),
        "remind_second_run_notices": second,
        "remind_second_run_seconds": round(second_seconds, 2),
        "mails_sent": len(mail.outbox),
    }


if __name__ == "__main__":
    main()
