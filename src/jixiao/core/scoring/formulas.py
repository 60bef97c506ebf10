"""The arithmetic of the rule packs: completion ratios, shares of a weight, rounding, grades.

Every function here is pure and works on :class:`~decimal.Decimal` only. A
*completion* is a ratio (``1`` = the target is exactly met); a *share* is
the fraction of the weight an indicator earns (``0`` to ``1``). The pack
decides which formula turns one into the other; this module only knows the
named formulas a pack may choose (see ``packs.py`` for the names).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, getcontext, localcontext

from jixiao.core.scoring.packs import ROUNDING_MODES, RulePack, ShareBand

__all__ = [
    "HUNDRED",
    "ONE",
    "ZERO",
    "band_share",
    "execution_share",
    "grade_for",
    "half_unit",
    "indicator_share",
    "positive_completion",
    "rate_interval",
    "rate_matches",
    "reverse_completion",
    "round_score",
    "round_to",
]

ZERO = Decimal(0)
ONE = Decimal(1)
TWO = Decimal(2)
HUNDRED = Decimal(100)


def quantize(value: Decimal, quantum: Decimal, rounding: str = ROUND_HALF_EVEN) -> Decimal:
    """``value.quantize`` with room for every digit: an absurd figure (1E+30 %) must round, not raise."""
    if not value.is_finite():
        return value
    needed = max(value.adjusted(), 0) - quantum.as_tuple().exponent + 2  # type: ignore[operator]
    if needed <= getcontext().prec:  # every real figure: no context to make
        return value.quantize(quantum, rounding=rounding)
    with localcontext() as context:
        context.prec = max(context.prec, needed)
        return value.quantize(quantum, rounding=rounding)


def round_score(value: Decimal, pack: RulePack) -> Decimal:
    """A score rounded the pack's way (ROUND_HALF_UP to two places by default)."""
    return quantize(value, pack.quantum, pack.rounding_mode)


def round_to(value: Decimal, places: int, mode: str) -> Decimal:
    """``value`` rounded to ``places`` decimals with a pack rounding name (``ROUND_UP`` …)."""
    return quantize(value, Decimal(1).scaleb(-places), ROUNDING_MODES[mode])


def positive_completion(actual: Decimal, target: Decimal) -> Decimal:
    """Completion of a positive indicator (more is better): actual ÷ target; target must be > 0."""
    return actual / target


def reverse_completion(actual: Decimal, target: Decimal, method: str) -> Decimal:
    """Completion of a reverse indicator (less is better); 1 when the actual does not exceed the target.

    ``target/actual`` gives target ÷ actual; ``linear-to-zero-at-double``
    falls linearly from 1 at the target to 0 at twice the target.
    """
    if actual <= target:
        return ONE
    if method == "target/actual":
        return target / actual
    return max(ZERO, (TWO * target - actual) / target)


def band_share(completion: Decimal, bands: tuple[ShareBand, ...]) -> Decimal:
    """The share of the weight a band table gives a completion (first band whose floor it reaches)."""
    pct = completion * HUNDRED
    # Bands are validated to descend and end at 0, so the first floor reached is the band.
    for band in bands:
        if pct >= band.min_pct:
            return band.share_pct / HUNDRED
    return ZERO


def indicator_share(completion: Decimal, pack: RulePack, satisfaction: bool = False) -> Decimal:
    """The share of the weight a quantitative indicator earns at ``completion``, between 0 and 1."""
    if satisfaction and pack.satisfaction_formula == "bands":
        return band_share(completion, pack.satisfaction_bands)
    if completion >= ONE:
        return ONE
    if completion <= ZERO:
        return ZERO
    if pack.indicator_score == "proportional":
        return completion
    # threshold-linear: nothing below the pass mark, then linear up to the full weight at 100%
    threshold = pack.threshold_pct / HUNDRED
    if completion < threshold:
        return ZERO
    return (completion - threshold) / (ONE - threshold)


def execution_share(rate: Decimal, pack: RulePack) -> Decimal:
    """The share of the execution weight a budget execution rate (executed ÷ adjusted) earns."""
    if pack.execution_formula == "bands":
        return band_share(rate, pack.execution_bands)
    # the cap: spending more than the budget earns no more than the weight
    return min(max(rate, ZERO), ONE)


def grade_for(total: Decimal, pack: RulePack) -> str:
    """The grade of a total by the pack's bands (lower bounds inclusive)."""
    for band in pack.grades:
        if total >= band.min_score:
            return band.grade
    return pack.grades[-1].grade


def half_unit(amount: Decimal) -> Decimal:
    """Half of the last printed digit of an amount: ``0.005`` for ``16.30``, ``0.5`` for ``216212``."""
    exponent = amount.as_tuple().exponent
    return Decimal(5).scaleb(exponent - 1) if isinstance(exponent, int) else ZERO


def rate_interval(executed: Decimal, adjusted: Decimal) -> tuple[Decimal, Decimal]:
    """The range of executed ÷ adjusted that the printed amounts allow, given their printed precision.

    Amounts printed in 万元 to two places stand for anything within half a
    cent of a 万元 either way, so the true rate lies in an interval; in 元
    the interval is negligible.
    """
    he, ha = half_unit(executed), half_unit(adjusted)
    # The smallest rate: least spent over the largest budget; the largest: the other way round.
    low = max(ZERO, executed - he) / (adjusted + ha)
    high = (executed + he) / (adjusted - ha) if adjusted > ha else executed / adjusted
    return low, high


def rate_matches(printed_pct: Decimal, low: Decimal, high: Decimal, modes: tuple[str, ...]) -> bool:
    """True when a printed percentage is what one of ``modes`` gives for some rate in [low, high].

    Rounding is monotone, so the printed value is reachable exactly when it
    lies between the rounded ends of the interval, at the printed precision.
    """
    exponent = printed_pct.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    lo_pct, hi_pct = low * HUNDRED, high * HUNDRED
    return any(round_to(lo_pct, places, m) <= printed_pct <= round_to(hi_pct, places, m) for m in modes)
