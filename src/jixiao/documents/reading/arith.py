"""Arithmetic as evidence: which reading of fused or missing figures the form's own sums support.

Where an extraction fused figures (``1010100%20``, ``1.561.56120``,
``901010010``) or dropped a cell (five figures under six headings), several
readings are possible. The form itself says which is right: the 执行率 is the
执行数 over the 预算数, the 得分 is the 分值 times the 执行率, a 得分 never
exceeds its 分值, an actual that meets its target earns the full 分值. Each
reading is scored by how many of these relations it satisfies, and the best
one is taken; the caller is told whether the choice rested on arithmetic, so
that the value can be marked for a person to check.

OCR reads ``≥`` as ``2`` (``292%`` for ``≥92%``); a figure of a fused row may
be read with its leading 2 as the sign, at a price that only agreeing sums
outweigh.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.documents.reading import grammar

_PIECE = re.compile(r"^(?:0|[1-9]\d*)(?:\.\d{1,2})?%?$")
_MAX_SPLITS = 4000  # readings tried per fused run; a run long enough to exceed it is left alone
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of a reading: its value, whether printed with %, and how it was printed."""

    value: Decimal
    percent: bool
    printed: str
    signed: bool = False  # a leading OCR 2 read as ≥


def figure(text: str) -> Figure | None:
    """A printed figure (``97.80%``, ``1,030.5``, OCR ``1O``) as a :class:`Figure`, else None."""
    value = grammar.number(text)
    if value is None:
        return None
    return Figure(value, text.endswith("%"), text)


def splits(run: str, count: int) -> Iterator[list[Figure]]:
    """Every way of cutting a fused run of digits into ``count`` figures (no leading zeros, ≤2 decimals)."""
    if count <= 0:
        return
    tried = 0

    def rec(pos: int, left: int) -> Iterator[list[Figure]]:
        nonlocal tried
        if left == 1:
            piece = run[pos:]
            if _PIECE.match(piece):
                tried += 1
                yield [Figure(Decimal(piece.rstrip("%")), piece.endswith("%"), piece)]
            return
        for end in range(pos + 1, len(run)):
            if tried > _MAX_SPLITS:
                return
            piece = run[pos:end]
            if not _PIECE.match(piece) or run[end] in ".%":
                continue
            head = Figure(Decimal(piece.rstrip("%")), piece.endswith("%"), piece)
            for rest in rec(end, left - 1):
                yield [head, *rest]

    yield from rec(0, count)


def fused_runs(text: str) -> list[str]:
    """A run of figures printed without separators split where a % ends a figure: ``1010100%20`` -> 1010100%, 20."""
    parts = re.findall(r"[\d.,]+%?", text)
    return [p.replace(",", "") for p in parts if any(ch.isdigit() for ch in p)]


# -- the money block ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundReading:
    """A row of the money block read under its columns, and on what evidence."""

    values: dict[str, Figure]
    score: float
    arithmetic: bool  # chosen among several readings by the form's sums
    note: str = ""


def _fund_evidence(values: dict[str, Figure], block_weight: Decimal | None) -> tuple[float, list[str]]:
    score = 0.0
    why: list[str] = []
    adjusted = values.get("adjusted") or values.get("initial")
    executed = values.get("executed")
    rate = values.get("rate_pct")
    weight = values.get("weight")
    got = values.get("score")
    for key, fig in values.items():
        if key == "rate_pct":
            score += 0.5 if fig.percent else 0.0
        elif fig.percent:
            score -= 3.0  # a percentage is the rate and nothing else
    if rate is not None and adjusted is not None and executed is not None and adjusted.value:
        ratio = executed.value / adjusted.value * HUNDRED
        as_pct = rate.value if rate.percent or rate.value > 1 else rate.value * HUNDRED
        if abs(ratio - as_pct) <= Decimal("0.6"):
            score += 3.0
            why.append(f"执行率{rate.printed}与{executed.printed}/{adjusted.printed}相符")
        else:
            score -= 1.0
    if weight is not None:
        if not (0 < weight.value <= HUNDRED):
            score -= 3.0
        if weight.value % Decimal("0.5"):
            score -= 1.0  # points are whole or half: 7.29 is an amount
        if block_weight is not None and weight.value == block_weight:
            score += 1.0
    if got is not None:
        top = weight.value if weight is not None else block_weight
        if top is not None and got.value > top:
            score -= 3.0
        if top is not None and rate is not None:
            as_fraction = rate.value / HUNDRED if rate.percent or rate.value > 1 else rate.value
            if abs(top * min(as_fraction, Decimal(1)) - got.value) <= Decimal("0.6"):
                score += 1.5
                why.append(f"得分{got.printed}与分值×执行率相符")
    if executed is not None and adjusted is not None and executed.value > adjusted.value * Decimal("1.05"):
        score -= 0.5
    return score, why


def _is_fused_figure(token: str, fig: Figure | None) -> bool:
    """A token that parses as one figure but is several run together (``40004000100%``, ``1.561.56120``)."""
    if fig is None:
        return True
    return (fig.percent and fig.value > 1000) or token.count(".") > 1


# Complexity over 15, kept: dashes, fused digit runs and missing cells are resolved together, since each changes which
# column the next token belongs to.
def read_fund_row(  # noqa: C901
    tokens: Sequence[str], columns: Sequence[str], block_weight: Decimal | None = None
) -> FundReading | None:
    """The figures of one money row under ``columns`` (fund keys), fused runs and missing cells resolved.

    A dash holds its column's place without a value; a fused token is tried cut in every way.
    """
    if not columns:
        return None
    options: list[list[list[Figure | None]]] = []
    ambiguous = False
    for token in (t for t in tokens if t):
        if grammar.is_dash(token):
            options.append([[None]])
            continue
        fig = figure(token)
        if not _is_fused_figure(token, fig):
            options.append([[fig]])
            continue
        runs = fused_runs(token)
        if not runs:
            continue
        parts = [[s for k in range(1, len(columns) + 1) for s in splits(run, k)] for run in runs]
        choices: list[list[Figure | None]] = [
            list(itertools.chain(*combo)) for combo in itertools.islice(itertools.product(*parts), _MAX_SPLITS)
        ]
        if choices:
            options.append(choices)
            ambiguous = True
    if not options or all(o == [[None]] for o in options):
        return None
    best: FundReading | None = None
    count = 0
    for combo in itertools.product(*options):
        slots = [f for group in combo for f in group]
        if len(slots) > len(columns):
            continue
        # which columns the figures sit under: in order, some left empty
        for chosen in itertools.combinations(range(len(columns)), len(slots)):
            count += 1
            if count > _MAX_SPLITS:
                break
            values = {columns[i]: f for i, f in zip(chosen, slots, strict=True) if f is not None}
            if not values:
                continue
            evidence, why = _fund_evidence(values, block_weight)
            last = chosen[-1] if chosen else -1
            for i, col in enumerate(columns):
                if i in chosen:
                    continue
                # an empty cell is most often the 年初预算数, or the columns a sub-row leaves unprinted
                evidence -= 0.1 if col == "initial" or i > last else 0.5
            if best is None or evidence > best.score:
                best = FundReading(values, evidence, ambiguous or len(slots) < len(columns), "；".join(why))
    return best


# -- a fused indicator row -------------------------------------------------------------------------------


_SCORING = ("rate_pct", "weight", "score")
_TAIL = 16  # characters of a run's end tried for the scoring figures (99.99 + 100 + 99.99 with room)


def scoring_tail(text: str, columns: Sequence[str]) -> dict[str, Decimal] | None:
    """The 执行率, 分值 and 得分 fused at the end of a money row whose amounts are damaged (``.32.06.579.27107.93``).

    Read only when the three are the row's last columns and exactly one cut of the run's end agrees with
    the form's arithmetic: 得分 = 分值 × 执行率 (to the printed cent, the rate at most 100%), 分值 a whole number
    of points. The amounts before them are left unread: a truncated amount is no amount.
    """
    order = [c for c in columns if c in _SCORING]
    if len(order) != 3 or list(columns[-3:]) != order:
        return None
    run = re.sub(r"[^\d.%]", "", text)[-_TAIL:]
    found: list[dict[str, Decimal]] = []
    for start in range(len(run)):
        for figs in splits(run[start:], 3):
            values = {col: fig.value for col, fig in zip(order, figs, strict=True)}
            rate, weight, score = values["rate_pct"], values["weight"], values["score"]
            if not (0 < weight <= HUNDRED and weight == weight.to_integral_value() and 0 < rate <= HUNDRED):
                continue
            if score <= weight and abs(weight * rate / HUNDRED - score) <= Decimal("0.005"):
                found.append(values)
        if found:
            break  # the longest agreeing tail: a shorter one would drop printed digits of the rate
    return found[0] if len(found) == 1 else None


def _row_evidence(roles: Sequence[str], figs: Sequence[Figure]) -> float:
    by = dict(zip(roles, figs, strict=True))
    score = 0.0
    target, actual = by.get("target"), by.get("actual")
    weight, got = by.get("weight"), by.get("score")
    for role, f in by.items():
        if f.percent and role in ("weight", "score"):
            score -= 3.0
        if f.signed:
            score -= 1.2
        if role in ("weight", "score") and f.value > HUNDRED:
            score -= 3.0
        if f.percent and f.value > HUNDRED * 2:
            score -= 1.0
    if target is not None and actual is not None:
        if target.value == actual.value:
            score += 1.5
        elif actual.value > target.value * 3 + 10:
            score -= 0.8
    if weight is not None and got is not None:
        if got.value > weight.value:
            score -= 3.0
        elif got.value == weight.value:
            score += 1.2
    if weight is not None and weight.value % 5 == 0 and weight.value > 0:
        score += 0.3
    if got is not None and weight is None and 0 < got.value <= 50:
        score += 0.3
    return score


def _with_sign(fig: Figure) -> Figure | None:
    """The OCR reading of a leading 2 as ≥: ``292%`` -> ≥92%."""
    text = fig.printed
    if len(text) < 2 or text[0] != "2" or not _PIECE.match(text[1:]):
        return None
    rest = text[1:]
    return Figure(Decimal(rest.rstrip("%")), rest.endswith("%"), "≥" + rest, signed=True)


_LEAD_FIGURE = re.compile(r"\d+(?:\.\d+)?%?")
_SIGNS = "≥≤=<>二"


def read_fused_figures(tokens: Sequence[str], roles: Sequence[str]) -> tuple[list[Figure], bool] | None:
    """The figures of a fused indicator row's tail under its numeric ``roles`` (target, actual, 分值, 得分).

    ``tokens`` are the runs of the tail (``100%``, ``100%``, ``10`` or one run ``901010010``).
    Returns the figures and whether the reading was one of several (chosen by arithmetic).
    """
    per_token: list[list[list[Figure]]] = []
    for token in tokens:
        lead = _LEAD_FIGURE.search(token)
        rest = token[lead.end() :] if lead is not None else ""
        if lead is not None and (token[:1] in _SIGNS or (rest and not any(ch.isdigit() or ch == "." for ch in rest))):
            # a figure printed with its sign or unit (=300天, ≥5个) is one figure, never cut
            value = grammar.number(lead.group(0))
            if value is None:
                return None
            per_token.append([[Figure(value, token.endswith("%"), token)]])
            continue
        options = [s for k in range(1, len(roles) + 1) for s in splits(token, k)]
        if not options:
            return None
        per_token.append(options)
    best: tuple[float, list[Figure]] | None = None
    readings = 0
    for combo in itertools.product(*per_token):
        figures = [f for group in combo for f in group]
        if len(figures) > len(roles) or (len(figures) < len(roles) and len(per_token) > 1):
            continue
        # fewer figures than columns: the leading columns are filled (an excerpt cuts a row at its end)
        roles_here = roles[: len(figures)]
        variants = [figures]
        for i in (0, 1):
            if i < len(figures) and roles_here[i] in ("target", "actual"):
                signed = _with_sign(figures[i])
                if signed is not None:
                    variants.append([*figures[:i], signed, *figures[i + 1 :]])
        for option in variants:
            readings += 1
            evidence = _row_evidence(roles_here, option) - 2.0 * (len(roles) - len(option))
            if best is None or evidence > best[0]:
                best = (evidence, option)
        if readings > _MAX_SPLITS:
            break
    if best is None:
        return None
    return best[1], readings > 1
