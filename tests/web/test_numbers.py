"""One number format on every page: thousands separators, exact digits, never through float."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.web.numbers import grouped, money


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (1234567, 0, "1,234,567"),
        (12345678901234567890, 2, "12,345,678,901,234,567,890.00"),  # beyond a float's digits
        (Decimal("1728000"), 2, "1,728,000.00"),
        (Decimal("0.005"), 2, "0.005"),  # a decimal it carries is never rounded away
        (Decimal("-45000.5"), 2, "-45,000.50"),
        (Decimal("1E+3"), 0, "1,000"),
        ("9876543.21", 2, "9,876,543.21"),
        ("≥4000(个)", 2, "≥4000(个)"),  # a text that is no number is shown as it is
        (None, 2, ""),
        ("", 0, ""),
    ],
)
def test_grouped(value: object, places: int, shown: str) -> None:
    """Money, counts and scores as the pages print them."""
    assert grouped(value, places) == shown  # type: ignore[arg-type]


def test_money_is_exact_to_the_fen() -> None:
    """An amount always shows its fen; none shows nothing."""
    assert money(Decimal("100000")) == "100,000.00" and money(None) == ""
