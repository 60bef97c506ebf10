"""Template filters for figures: amounts with thousands separators, exact to the fen."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def money(value: Decimal | None) -> str:
    """``1728000.00`` as ``1,728,000.00``; empty for no amount. Never through float."""
    if value is None or value == "":
        return ""
    return format(Decimal(value), ",.2f")
