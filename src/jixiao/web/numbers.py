"""Numbers typed by people, scripts and attackers: read exactly and bounded, never an exception.

``Decimal("NaN")``, ``Decimal("1e999999")`` and ``int("²")`` are all valid
Python and all crashed a page: a NaN cannot be compared, a huge exponent
cannot be quantized, a superscript two passes ``str.isdigit`` but not
``int``, and SQLite cannot bind an integer beyond 64 bits. Every number the
web reads from a request outside a Django form field goes through here.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = ["form_decimal", "grouped", "money", "small_int"]

_ASCII_INT = re.compile(r"[0-9]{1,18}")


def form_decimal(text: str | None, max_digits: int = 18, places: int = 2) -> Decimal | None:
    """The number as a column of ``max_digits`` digits and ``places`` decimals would hold it, else None.

    What Django's ``DecimalField`` would refuse on save (not a number, NaN, infinity, too many digits
    or decimals) reads as no number at all, so a live preview shows what the save would keep.
    """
    if text is None or not text.strip() or len(text) > 100:
        return None
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite():
        return None
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite, so the exponent is a number
    if -exponent > places or value.adjusted() >= max_digits - places:
        return None
    # 1e2 is 100, written out: a stored or shown number never reads "1E+2"
    return value.quantize(Decimal(1)) if exponent > 0 else value


def grouped(value: Decimal | int | str | None, places: int = 0) -> str:
    """A number as every page prints it: thousands separators, at least ``places`` decimals; empty for none.

    ``1728000`` reads ``1,728,000``, ``Decimal("95.5")`` with two places ``95.50``; a Decimal keeps every
    decimal it carries (never rounded away) and never goes through float. Form inputs keep plain numbers
    (a browser's number input refuses commas): this is for text only.
    """
    if value is None or value == "" or isinstance(value, bool):
        return ""
    if isinstance(value, int):
        value = Decimal(value)  # an int formatted with decimals would go through float
    number = value if isinstance(value, Decimal) else form_decimal(str(value), max_digits=30, places=10)
    if number is None or not number.is_finite():
        return str(value)  # not a number after all (a stored text): shown as it is
    exponent = number.as_tuple().exponent
    own = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return f"{number:,.{max(places, own)}f}"


def money(value: Decimal | int | str | None) -> str:
    """An amount as pages print it: ``1,728,000.00``, exact to the fen; empty for no amount."""
    return grouped(value, 2)


def small_int(text: str | None, low: int = 0, high: int = 2**63 - 1) -> int | None:
    """An integer filter value of ASCII digits within ``low``..``high``, else None (the filter is then not applied)."""
    if text is None or not _ASCII_INT.fullmatch(text.strip()):
        return None
    value = int(text.strip())
    return value if low <= value <= high else None
