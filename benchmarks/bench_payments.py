"""Reading and matching a province's payment-system export: 20,000 rows against 20,000 projects.

    python benchmarks/bench_payments.py [--rows 20000] [--projects 20000] [--repeat 3]

Writes the export twice, as a GBK CSV (title and unit lines above the header, amounts with thousands
separators) and as an XLSX (number cells), in a temporary folder; then times, as medians of ``--repeat``
runs, reading each (``jixiao.documents.payments.read_bytes``) and matching the rows to the projects
(``jixiao.core.execution.plan``). A third of the rows carry the project code, the rest only department,
unit and name (written with full-width brackets and a trailing 项目, so the names are normalised), and a
few rows belong to no project, so every path of the matcher is taken. Prints seconds; not part of the test
run.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from jixiao.core.execution import Project, plan
from jixiao.documents.payments import read_bytes

HEADER = ["项目编码", "主管部门", "预算单位", "项目名称", "全年预算数", "截至7月31日执行数"]


def projects(count: int) -> list[Project]:
    """``count`` projects over 100 departments of 20 units each; half have a code."""
    out = []
    for i in range(count):
        department, unit = f"部门{i % 100:03d}", f"单位{i % 2000:04d}"
        code = f"2024-{i:06d}" if i % 2 == 0 else None
        out.append(Project(i, code, department, unit, f"项目（{i}）之{i % 7}", Decimal(100000 + i)))
    return out


def rows(scope: list[Project], count: int, seed: int = 7) -> list[list[str]]:
    """The export's rows: by code for a third, by names for the rest, 1% for no project in scope."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        p = scope[n % len(scope)]
        amount = f"{Decimal(rng.randrange(0, 11_000_000)) / 100:,.2f}"
        if n % 100 == 99:
            out.append(["", "无此部门", "无此单位", f"不在范围{n}", "", amount])
        elif n % 3 == 0 and p.code:
            out.append([p.code, "", "", "", "", amount])
        else:
            name = p.name.replace("（", "(").replace("）", ")") + " 项目"
            out.append(["", p.department, p.unit, name, f"{p.budget:,.2f}", amount])
    return out


def as_csv(table: list[list[str]]) -> bytes:
    """A GBK CSV with a title and a unit line above the header."""
    out = io.StringIO()
    out.write("2024年项目支出预算执行情况\n单位：元\n")
    csv.writer(out, lineterminator="\n").writerows([HEADER, *table])
    return out.getvalue().encode("gbk")


def as_xlsx(table: list[list[str]]) -> bytes:
    """The same table as an XLSX with number cells."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("执行明细")
    ws.append(["2024年项目支出预算执行情况"])
    ws.append(HEADER)
    for row in table:
        money = [Decimal(v.replace(",", "")) if v else None for v in row[4:]]
        ws.append([*(v or None for v in row[:4]), *(float(m) if m is not None else None for m in money)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def timed(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The median seconds of ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    """Write both files, read and match each, print the seconds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    scope = projects(args.projects)
    table = rows(scope, args.rows)
    for kind, data in (("csv", as_csv(table)), ("xlsx", as_xlsx(table))):
        name = f"执行.{kind}"
        read_s, read = timed(args.repeat, lambda d=data, n=name: read_bytes(d, n))  # type: ignore[misc]
        assert not read.problems, read.problems[:3]
        match_s, result = timed(args.repeat, lambda r=read: plan(r.rows, scope))  # type: ignore[misc]
        print(
            f"{kind}: {len(data) / 1e6:.1f} MB, {len(read.rows)} rows, {args.projects} projects: "
            f"read {read_s:.2f} s, match {match_s:.2f} s, total {read_s + match_s:.2f} s "
            f"(matched {len(result.matched)}, unmatched {len(result.unmatched)}, "
            f"ambiguous {len(result.ambiguous)}, duplicated {len(result.duplicated)}, "
            f"missing {len(result.missing)}, over budget {len(result.over_budget)})"
        )


if __name__ == "__main__":
    main()
