"""Which text reader should read cells (XLSX, DOCX, PDF, scans)? The layout reader against ``read_source``.

    python benchmarks/bench_cells_reader.py [--parts DIR]

``jixiao.documents.tabular.read_parts`` turns the cells of a sheet, a Word table or a page into
tab-separated lines and reads them with the layout reader (``reader.read_text``). Issue 13 built
``readers.read_source``, which takes the layout reader's reading when it is clean and the stream
reader's otherwise. This measures field accuracy (compare_gold.py) with each, on the same cells:

- every seed's gold printed by the XLSX, DOCX and PDF exporters (the official layout);
- every example of ``examples/`` (its expected reading) printed by the same exporters;
- each labelled corpus form (``../shared/corpus/gold-doc``) printed in two other layouts, as
  ``tests/documents/ocr/test_layouts.py`` prints one of them: 分值 before the target, and the
  target split over 符号 / 数值 / 单位 cells;
- with ``--parts DIR``, the OCR cells of scans saved as ``(parts, layout)`` pickles named
  ``*-NNN.pdf.pkl`` (NNN the seed), so that OCR runs once for both readers.

Prints one line per file where the two differ, and the totals; the result decides whether
``read_parts`` switches (it may only if nothing gets worse). Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def _cases(parts_dir: Path | None) -> list[tuple[str, Path, Callable[[], Any]]]:
    """(label, gold file, how to read it) for every case; the reading goes through ``read_parts``."""
    from tests.documents.ocr import test_layouts
    from tests.exporters.helpers import gold_document, gold_path
    from tests.shared import SHARED

    from jixiao.core.serialize import dumps, loads
    from jixiao.documents import tabular
    from jixiao.documents.importer import import_bytes
    from jixiao.exporters import docx, pdf, xlsx
    from jixiao.exporters.report import build_report

    renders: dict[str, Callable[[Any], bytes]] = {
        "xlsx": xlsx.render,
        "docx": docx.render,
        "pdf": lambda report: pdf.render(report, font="cid"),
    }
    cases: list[tuple[str, Path, Callable[[], Any]]] = []
    for stem in ("000", "001", "002", "003", "004"):
        for fmt, render in renders.items():
            report = build_report(gold_document(stem))
            cases.append(
                (
                    f"seed {stem} {fmt}",
                    gold_path(stem),
                    lambda r=report, f=fmt, s=stem, w=render: import_bytes(w(r), f"{s}.{f}"),
                )
            )
    tmp = Path(tempfile.mkdtemp())
    expected_dir = ROOT / "tests" / "documents" / "expected"
    for expected in sorted(expected_dir.rglob("*.json")):
        doc = loads(expected.read_text(encoding="utf-8"))
        if not doc.projects:
            continue
        for fmt, render in renders.items():
            report = build_report(doc)
            cases.append(
                (
                    f"example {expected.stem} {fmt}",
                    expected,
                    lambda r=report, f=fmt, w=render: import_bytes(w(r), f"x.{f}"),
                )
            )
    for labelled in sorted((SHARED / "corpus" / "gold-doc").glob("*.json")):
        doc = loads(labelled.read_text(encoding="utf-8"))
        if not doc.projects or not doc.projects[0].indicators:
            continue
        gold = tmp / f"{labelled.stem}.json"
        gold.write_text(dumps(test_layouts._printed_only(doc)), encoding="utf-8")
        for split in (False, True):
            label = f"corpus {labelled.stem} {'split-target' if split else 'weight-first'}"
            data = test_layouts._print(doc, split)
            cases.append((label, gold, lambda d=data: import_bytes(d, "layout.pdf")))
    if parts_dir is not None:
        for saved in sorted(parts_dir.rglob("*.pkl")):
            stem = saved.name.split("-")[-1][:3]
            parts, layout = pickle.loads(saved.read_bytes())
            cases.append(
                (
                    f"scan {saved.relative_to(parts_dir)}",
                    gold_path(stem),
                    lambda p=parts, lay=layout, s=stem: tabular.read_parts(p, f"{s}.pdf", lay),
                )
            )
    return cases


def _measure(parts_dir: Path | None) -> dict[str, dict[str, float | str]]:
    from tests.shared import score

    from jixiao.core.serialize import dumps
    from jixiao.documents import reader, readers, tabular

    chosen = {"layout": reader.read_text, "read_source": readers.read_source}
    out: dict[str, dict[str, float | str]] = {}
    for label, gold, read in _cases(parts_dir):
        out[label] = {}
        for name, function in chosen.items():
            tabular.read_text = function  # type: ignore[assignment]  # the name read_parts calls
            try:
                correct, counted, _ = score(gold, json.loads(dumps(read().document)))
                out[label][name] = round(correct / counted, 4)
            except Exception as exc:  # a refusal counts as nothing read
                out[label][name] = f"refused: {str(exc)[:60]}"
        tabular.read_text = reader.read_text  # type: ignore[assignment]
    return out


def main() -> None:
    """Measure both readers and write ``benchmarks/results/cells_reader.json``."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", type=Path, default=None, help="folder of saved OCR cells (see above)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "cells_reader.json")
    args = parser.parse_args()
    results = _measure(args.parts)
    better = worse = 0
    for label, got in results.items():
        old, new = got["layout"], got["read_source"]
        if old != new:
            print(f"{label}: layout {old} → read_source {new}")
            if isinstance(old, float) and isinstance(new, float):
                better += new > old
                worse += new < old
    print(f"{len(results)} readings: read_source better on {better}, worse on {worse}, the same on the rest")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
