"""Hostile files against normal ones: the time and peak memory of reading each, in the process that reads it.

    python benchmarks/bench_hostile.py [--repeat 3]

Every file is read twice, each time in a process of its own:

- **worker**: ``jixiao.documents.isolated.read_file``, the child process the web import reads each
  upload in, with the deployed limits (60 s, 1,024 MB);
- **fresh**: ``tests.hostile.read_in_child``, a new Python running ``import_bytes`` (what ``jixiao
  import`` does in its own process), its libraries imported before the clock starts.

Baseline in the same run: the project's example self-evaluation as text, and as XLSX, DOCX and PDF
written by jixiao's own exporters. The bombs: every one of ``tests/hostile.py`` at the size the
suite uses, and the issue's larger nested Flate (5.7 KB that inflate to 6 GB). Reported per file,
best of ``--repeat``: its size, seconds and peak resident MB, and both as ratios to the median of the
baseline. Results go to ``benchmarks/results/hostile.json``. Not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.hostile import BOMBS, make, read_in_child, zeros_deflated  # noqa: E402
from tests.hostile import pdf as pdf_file  # noqa: E402

from jixiao.documents import isolated  # noqa: E402 - after the path to tests/ is set
from jixiao.documents.importer import import_path  # noqa: E402
from jixiao.exporters import docx, pdf, xlsx  # noqa: E402
from jixiao.exporters.report import build_report  # noqa: E402

EXAMPLE = ROOT / "examples" / "2024-self-evaluation-tabbed.txt"


def normal_files() -> dict[str, tuple[str, bytes]]:
    """The baseline: the example as text, and as jixiao writes it in XLSX, DOCX and PDF."""
    report = build_report(import_path(EXAMPLE).document)
    return {
        "normal-txt": ("自评表.txt", EXAMPLE.read_bytes()),
        "normal-xlsx": ("自评表.xlsx", xlsx.render(report)),
        "normal-docx": ("自评表.docx", docx.render(report)),
        "normal-pdf": ("自评表.pdf", pdf.render(report, font="cid")),
    }


def hostile_files() -> dict[str, tuple[str, bytes]]:
    """The suite's bombs, and the issue's 6 GB nested Flate."""
    files = {key: make(key) for key in sorted(BOMBS)}
    six = pdf_file(zlib.compress(zeros_deflated(6144), 9), b"/Filter [/FlateDecode /FlateDecode]")
    files["pdf-nested-flate-6gb"] = ("nested-6gb.pdf", six)
    return files


def measure(name: str, data: bytes, repeat: int) -> dict[str, object]:
    """Best of ``repeat`` reads in the worker's child process and in a fresh process."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload"
        path.write_bytes(data)
        worker = [isolated.read_file(path, name) for _ in range(repeat)]
    fresh = [read_in_child(data, name) for _ in range(repeat)]
    refusal = worker[0].error.message if worker[0].error else ""
    return {
        "bytes": len(data),
        "refused": refusal,
        "worker_s": round(min(r.seconds for r in worker), 3),
        "worker_peak_mb": round(min(r.peak_mb for r in worker), 1),
        "fresh_s": round(min(o.seconds for o in fresh), 3),
        "fresh_peak_mb": round(min(o.peak_mb for o in fresh), 1),
        "fresh_base_mb": round(min(o.base_mb for o in fresh), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows: dict[str, dict[str, object]] = {}
    for key, (name, data) in {**normal_files(), **hostile_files()}.items():
        rows[key] = measure(name, data, args.repeat)
        print(f"{key:24} {rows[key]}", flush=True)
    normal = [row for key, row in rows.items() if key.startswith("normal-")]
    base_s = statistics.median(float(row["worker_s"]) for row in normal)  # type: ignore[arg-type]
    base_mb = statistics.median(float(row["worker_peak_mb"]) for row in normal)  # type: ignore[arg-type]
    for row in rows.values():
        row["time_vs_baseline"] = round(float(row["worker_s"]) / base_s, 2)  # type: ignore[arg-type]
        row["peak_vs_baseline"] = round(float(row["worker_peak_mb"]) / base_mb, 2)  # type: ignore[arg-type]
    result = {"baseline": {"worker_s": base_s, "worker_peak_mb": base_mb}, "files": rows}
    out = HERE / "results" / "hostile.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"\n{'file':24} {'bytes':>10} {'s':>7} {'peak MB':>8} {'× time':>7} {'× peak':>7}")
    for key, row in rows.items():
        print(
            f"{key:24} {row['bytes']:>10} {row['worker_s']:>7} {row['worker_peak_mb']:>8} "
            f"{row['time_vs_baseline']:>7} {row['peak_vs_baseline']:>7}"
        )


if __name__ == "__main__":
    main()
