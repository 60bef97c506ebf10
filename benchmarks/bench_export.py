"""Export speed: 1,000 self-evaluation forms to XLSX against openpyxl's floor, and PDF pages per second.

    python benchmarks/bench_export.py [--forms 1000] [--pdf-forms 200] [--repeat 3]

The forms are the seeds' self-evaluation projects (gold 000, 002, 004), repeated with their
names made unique and their amounts scaled, as one document. Measured, best of ``--repeat``:

- **XLSX**: ``build_report`` plus ``jixiao.exporters.xlsx.render`` (styles, merged cells, widths,
  row heights, print setup), against the *floor*: the same cell values (every title and every
  cell of every form, as text or ``Decimal``) written with openpyxl alone in its fastest mode
  (write-only, no styles, no merges). The goal is at most 3x the floor.
- **PDF**: ``build_report`` plus ``jixiao.exporters.pdf.render`` with the font the machine has,
  as pages per second.

Results go to ``benchmarks/results/export.json``. Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from jixiao.core.model import Document, FundRow, Funds, Kind, Project
from jixiao.core.serialize import loads
from jixiao.exporters import fonts, pdf, xlsx
from jixiao.exporters.model import Report
from jixiao.exporters.report import build_report

HERE = Path(__file__).resolve().parent
GOLD = HERE.parents[1] / "shared" / "gold"
if not GOLD.is_dir():
    GOLD = Path("/work/shared/gold")


def _scaled(row: FundRow | None, factor: Decimal) -> FundRow | None:
    if row is None:
        return None

    def s(v: Decimal | None) -> Decimal | None:
        return None if v is None else (v * factor).quantize(Decimal("0.01"))

    return replace(row, initial=s(row.initial), adjusted=s(row.adjusted), executed=s(row.executed))


def forms(count: int) -> Document:
    """``count`` self-evaluation projects made from the seeds' gold readings."""
    base: list[Project] = []
    for stem in ("000", "002", "004"):
        path = next(GOLD.glob(f"{stem}_*.json"))
        base.extend(loads(path.read_text(encoding="utf-8")).projects)
    projects = []
    for n in range(count):
        p = base[n % len(base)]
        factor = Decimal(50 + (n * 37) % 150) / 100
        f = p.funds
        funds = Funds(
            *(_scaled(getattr(f, k), factor) for k in ("total", "current_appropriation", "carryover", "other"))
        )
        projects.append(replace(p, name=f"{p.name}（第{n + 1}号）", funds=funds))
    return Document(Kind.SELF_EVALUATION, 2024, tuple(projects))


def floor_values(report: Report) -> list[tuple[str, list[list[object]]]]:
    """Every sheet's cell values, as plain rows (what openpyxl alone would be asked to write)."""
    sheets = []
    for form in (report.summary, *report.forms):
        rows: list[list[object]] = [[form.title], [form.subtitle]]
        for grid_row in form.grid.rows:
            values: list[object] = [None] * form.grid.columns
            for cell in grid_row:
                values[cell.col] = cell.number if cell.number is not None else (cell.text or None)
            rows.append(values)
        rows.extend([note] for note in form.notes)
        sheets.append((form.sheet, rows))
    return sheets


def write_floor(sheets: list[tuple[str, list[list[object]]]]) -> bytes:
    """The floor: the values alone, openpyxl write-only."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def best(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def main() -> None:
    """Run both measurements and print and store the numbers."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--forms", type=int, default=1000)
    ap.add_argument("--pdf-forms", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    doc = forms(args.forms)
    report = build_report(doc)
    sheets = floor_values(report)
    # Floor and export alternate, so that load from other work on the machine hits both alike.
    floor_s = export_s = float("inf")
    data: object = None
    for _ in range(args.repeat):
        t, _ = best(lambda: write_floor(sheets), 1)
        floor_s = min(floor_s, t)
        t, data = best(lambda: xlsx.render(build_report(doc)), 1)
        export_s = min(export_s, t)
    report_s, _ = best(lambda: build_report(doc), args.repeat)
    cells = sum(len(r) for _, rows in sheets for r in rows)

    pdf_doc = forms(args.pdf_forms)
    font = fonts.register()
    pdf_s, pdf_bytes = best(lambda: pdf.render(build_report(pdf_doc)), max(1, args.repeat - 1))
    assert isinstance(pdf_bytes, bytes)
    pages = pdf_bytes.count(b"/Type /Page\n") or pdf_bytes.count(b"/Type /Page ") or pdf_bytes.count(b"/Type /Page")
    pages -= pdf_bytes.count(b"/Type /Pages")

    results = {
        "forms": args.forms,
        "sheets": len(sheets),
        "cells": cells,
        "xlsx_floor_seconds": round(floor_s, 3),
        "xlsx_export_seconds": round(export_s, 3),
        "xlsx_report_seconds": round(report_s, 3),
        "xlsx_ratio_to_floor": round(export_s / floor_s, 2),
        "xlsx_bytes": len(data) if isinstance(data, bytes) else None,
        "pdf_forms": args.pdf_forms,
        "pdf_pages": pages,
        "pdf_seconds": round(pdf_s, 3),
        "pdf_pages_per_second": round(pages / pdf_s, 1),
        "pdf_font": font.name,
    }
    print(f"XLSX: {args.forms} forms, {len(sheets)} sheets, {cells} cells")
    print(f"  floor (openpyxl write-only, values only): {floor_s:.2f} s")
    print(f"  jixiao export (report + styled forms):    {export_s:.2f} s  (report alone {report_s:.2f} s)")
    print(f"  ratio to floor: {export_s / floor_s:.2f}x  (goal: at most 3x)")
    print(f"PDF: {args.pdf_forms} forms, {pages} pages in {pdf_s:.2f} s = {pages / pdf_s:.1f} pages/s ({font.name})")
    out = HERE / "results" / "export.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
