"""Numbers as the form printed them: ``10`` stays ``10`` and ``216212`` stays ``216212`` after a round trip.

The database keeps money and scores exact to two places, which is what
sums, sorts and the web forms need. A published form may print fewer
places (``10``, ``16.3``) or more (``12.3456`` 万元), and the printed
precision matters: the review's tolerance for a rounded execution rate
depends on it, and a record must give back the document it was read from.
So the printed text of every number whose digits differ from the column's
is kept beside the record, and used while it still rounds to the column's
value, that is, until someone changes the number.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")


def column_value(value: Decimal | None) -> Decimal | None:
    """The two-place value a column keeps (half up, as the rule packs round)."""
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def split_printed(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Column values for a record, and the printed text of those whose digits the columns would change."""
    columns: dict[str, Any] = {}
    printed: dict[str, str] = {}
    for key, value in values.items():
        if isinstance(value, Decimal):
            stored = column_value(value)
            if str(stored) != str(value):
                printed[key] = str(value)
            value = stored
        columns[key] = value
    return columns, printed


def as_printed(record: Any, field: str) -> Decimal | None:
    """The number as printed when the record still holds that number, else the column's value."""
    value: Decimal | None = getattr(record, field)
    text = (record.printed or {}).get(field)
    if value is None or text is None:
        return value
    printed = Decimal(text)
    return printed if column_value(printed) == value else value
