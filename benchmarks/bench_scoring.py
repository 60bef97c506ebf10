"""Scoring plus review: indicators per second on one core at 10k, 100k and 1M synthetic indicators.

    python benchmarks/bench_scoring.py [--sizes 10000 100000 1000000] [--json FILE]

The synthetic indicators are the seed self-evaluations' indicators (seeds
000, 002, 004) with their numbers varied: targets scaled, actuals drawn
around the target (most met, some short, some far over), weights shuffled
within a project, amounts and execution rates varied, and a few printed
figures deliberately wrong, so every check has work to do and the target
cache sees the variety of real forms rather than one form repeated.

Each size runs in a fresh child process pinned to one core, so every size
starts with cold caches. The child builds documents of 500 projects at a
time (untimed) and times, per document:

* ``score``: :func:`jixiao.core.scoring.score_document`;
* ``review``: :func:`jixiao.core.review.review_document`, which scores
  every project again and runs every single-document check;
* ``across``: :func:`jixiao.core.review.review_documents` on the document
  and its previous-year declaration (linking, year-over-year checks, and
  both documents' own checks), counted per indicator of the later document.

Reported: indicators per second for each, and how the time per indicator
changes from the smallest to the largest size (1.0 = linear growth). Not
part of the test run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CHILD = r"""
import json, os, random, re, sys, time
from dataclasses import replace
from decimal import Decimal, ROUND_HALF_UP, ROUND_UP
from pathlib import Path
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
from jixiao.core.model import Document, Execution, FundRow, Funds, Kind
from jixiao.core.review import review_document, review_documents
from jixiao.core.scoring import score_document
from jixiao.documents.importer import import_path

size, seeds = int(sys.argv[1]), Path(sys.argv[2])
CHUNK = 500
NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
CENT = Decimal("0.01")
documents = [import_path(path).document for path in sorted(seeds.glob("*.txt"))]
bases = [p for d in documents if d.kind is Kind.SELF_EVALUATION for p in d.projects if p.indicators]
rnd = random.Random(2024)


def renumber(text, value):
    # the printed text with its first number replaced, keeping the printed decimals
    m = NUMBER.search(text or "")
    if m is None:
        return text
    places = len(m.group().split(".")[1]) if "." in m.group() else 0
    shown = f"{value:.{places}f}"
    return text[: m.start()] + shown + text[m.end():]


def vary_indicator(ind, weight):
    target, actual = ind.target, ind.actual
    m = NUMBER.search(target or "")
    score = weight
    if m and Decimal(m.group()) > 0 and "%" not in target and NUMBER.search(actual or ""):
        base = Decimal(m.group()) * rnd.choice((1, 1, 1, 2, 3, 5, 10))
        completion = rnd.choice((1, 1, 1, 1, 1, 1.1, 1.2, 1.5, 0.9, 0.8, 0.5))
        got = (base * Decimal(str(completion))).quantize(Decimal(1))
        target, actual = renumber(target, base), renumber(actual, got)
        reverse = target.lstrip().startswith(("≤", "<", "<="))
        if got < base and not reverse:
            score = (weight * got / base).quantize(CENT, ROUND_HALF_UP)
    elif m and "%" in target and NUMBER.search(actual or ""):
        pct = rnd.choice((100, 100, 100, 98, 95, 90, 85))
        actual = renumber(actual, Decimal(pct))
    if rnd.random() < 0.03:  # a discretionary score now and then
        score = max(Decimal(0), score - Decimal("0.5"))
    deviation = ind.deviation if score >= weight else (ind.deviation or "受多种因素影响，部分工作延后。")
    return replace(ind, target=target, actual=actual, weight=weight, score=score, deviation=deviation)


def vary_project(base, serial):
    weights = [i.weight for i in base.indicators]
    if all(w is not None for w in weights):
        rnd.shuffle(weights)
    inds = tuple(vary_indicator(i, w if w is not None else Decimal(5)) for i, w in zip(base.indicators, weights))
    adjusted = (Decimal(rnd.randint(10_000, 5_000_000)) / 100).quantize(CENT)
    ratio = Decimal(rnd.choice((100, 99, 97, 95, 90, 85, 70, 55, 40))) / 100 - Decimal(rnd.randint(0, 99)) / 10000
    executed = (adjusted * ratio).quantize(CENT)
    mode = ROUND_UP if rnd.random() < 0.5 else ROUND_HALF_UP
    rate = (executed / adjusted * 100).quantize(CENT, mode)
    exec_score = (10 * executed / adjusted).quantize(CENT, ROUND_HALF_UP)
    if rnd.random() < 0.05:
        exec_score = exec_score.quantize(Decimal("0.1"))  # printed with one decimal
    total = exec_score + sum(i.score for i in inds)
    if rnd.random() < 0.02:
        total += CENT
    grade = "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"
    return replace(
        base,
        name=f"{base.name}（第{serial}号）",
        funds=Funds(total=FundRow(adjusted, adjusted, executed, rate_pct=rate)),
        execution=Execution(Decimal(10), rate, exec_score),
        indicators=inds,
        total_score=total,
        grade=grade,
    )


def declaration_of(project):
    # last year's declaration: the same targets, one in five raised or dropped
    inds = []
    for ind in project.indicators:
        roll = rnd.random()
        if roll < 0.1:
            continue
        target = ind.target
        m = NUMBER.search(target or "")
        if roll < 0.2 and m:
            target = renumber(target, Decimal(m.group()) / 2)
        inds.append(replace(ind, target=target, actual=None, weight=None, score=None, deviation=None))
    return replace(project, execution=None, funds=Funds(total=FundRow(requested=project.funds.total.adjusted)),
                   indicators=tuple(inds), total_score=None, grade=None, outcome=None)


indicators = findings = cross = 0
t_score = t_review = t_across = 0.0
serial = 0
while indicators < size:
    projects = []
    count = 0
    while count < min(size - indicators, CHUNK * 12) and len(projects) < CHUNK:
        p = vary_project(bases[serial % len(bases)], serial)
        serial += 1
        projects.append(p)
        count += len(p.indicators)
    doc = Document(Kind.SELF_EVALUATION, 2024, tuple(projects))
    previous = Document(Kind.TARGET_DECLARATION, 2023, tuple(declaration_of(p) for p in projects))
    t0 = time.process_time()
    score_document(doc)
    t1 = time.process_time()
    findings += len(review_document(doc, source="2024"))
    t2 = time.process_time()
    cross += len(review_documents([("2023", previous), ("2024", doc)]))
    t3 = time.process_time()
    t_score += t1 - t0
    t_review += t2 - t1
    t_across += t3 - t2
    indicators += count
print(json.dumps({"indicators": indicators, "projects": serial, "findings": findings, "findings_across": cross,
                  "score_s": t_score, "review_s": t_review, "across_s": t_across}))
"""


def run_size(size: int) -> dict[str, float]:
    """Generate and review ``size`` indicators in a fresh one-core child process."""
    seeds = ROOT.parent / "shared" / "seeds"
    if not seeds.is_dir():
        seeds = Path("/work/shared/seeds")
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(size), str(seeds)], capture_output=True, text=True, check=True
    )
    data: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    n = data["indicators"]
    data["score_per_s"] = n / data["score_s"]
    data["review_per_s"] = n / data["review_s"]
    data["across_per_s"] = n / data["across_s"]
    return data


def main() -> int:
    """Run every size and print the throughput and its growth."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    results: dict[int, dict[str, float]] = {}
    for size in args.sizes:
        r = run_size(size)
        results[size] = r
        print(
            f"{int(r['indicators']):>9,} indicators ({int(r['projects']):,} projects): "
            f"score {r['score_per_s']:>9,.0f}/s   score+review {r['review_per_s']:>9,.0f}/s   "
            f"with previous year {r['across_per_s']:>9,.0f}/s   "
            f"findings {int(r['findings']):,} (+{int(r['findings_across']):,} across)"
        )
    small, large = min(results), max(results)
    if small != large:
        for key, label in (("score", "score"), ("review", "score+review"), ("across", "with previous year")):
            growth = results[small][f"{key}_per_s"] / results[large][f"{key}_per_s"]
            print(f"{label}: time per indicator ×{growth:.2f} from {small:,} to {large:,} indicators (1.00 = linear)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
