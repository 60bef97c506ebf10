"""Synthetic published forms for benchmarks: the seeds' forms with their numbers and names varied.

Each seed is cut into its single-project forms (from one 项目名称 to the next,
with the title lines that precede it); a synthetic form is one of those with
every amount, weight-free number and project name changed, so that no two
files are the same and the importer cannot profit from repetition.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
# amounts: 4+ digits or thousands groups; never a year (2022年, 2023-01-01)
_AMOUNT = re.compile(r"(?<![\d.\-])(\d{1,3}(?:,\d{3})+|\d{4,})(\.\d+)?(?![\d.\-]|\s*年)")
_NAME = re.compile(r"^(项目名称[\t ]+)(\S+)", re.MULTILINE)


def seed_forms(seeds: Path | None = None) -> list[str]:
    """Every single-project form of the seeds, as text with its title lines."""
    forms: list[str] = []
    for path in sorted((seeds or SHARED / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        starts = [i for i, line in enumerate(lines) if line.strip().startswith(("项目名称", "转移支付(项目)名称"))]
        if not starts:
            continue
        title = [line for line in lines[: starts[0]] if "表" in line and len(line) < 80][-1:]
        year = [line for line in lines[: starts[0]] if "年度" in line and len(line) < 40][-1:]
        head = "\n".join([*title, *year]) + "\n"
        for n, start in enumerate(starts):
            end = starts[n + 1] if n + 1 < len(starts) else len(lines)
            body = lines[start:end]
            # a form's own title lines sit at the end of the previous chunk; drop them there
            while body and (("绩效" in body[-1] and "表" in body[-1]) or "年度" in body[-1] or not body[-1].strip()):
                body.pop()
            forms.append(head + "\n".join(body) + "\n")
    return forms


def vary(form: str, rnd: random.Random, serial: int) -> str:
    """The form with its amounts scaled and its project name made unique."""
    factor = rnd.uniform(0.5, 2.0)

    def amount(m: re.Match[str]) -> str:
        whole = int(m.group(1).replace(",", ""))
        value = max(1, int(whole * factor))
        text = f"{value:,}" if "," in m.group(1) else str(value)
        return text + (m.group(2) or "")

    form = _AMOUNT.sub(amount, form)
    return _NAME.sub(lambda m: f"{m.group(1)}{m.group(2)}（第{serial}号）", form, count=1)


def write_forms(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """Write ``count`` synthetic single-form files into ``folder``."""
    rnd = random.Random(seed)
    base = seed_forms()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"form-{i:05d}.txt"
        path.write_text(vary(base[i % len(base)], rnd, i), encoding="utf-8")
        paths.append(path)
    return paths
