"""Template filters for figures: every number on a page with thousands separators (``jixiao.web.numbers``)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from jixiao.web import numbers

register = template.Library()


@register.filter
def money(value: Decimal | int | str | None) -> str:
    """``1728000.00`` as ``1,728,000.00``; empty for no amount. Never through float."""
    return numbers.money(value)


@register.filter
def number(value: Decimal | int | str | None) -> str:
    """A count, score or rate with thousands separators and the decimals it carries; empty for none."""
    return numbers.grouped(value)
