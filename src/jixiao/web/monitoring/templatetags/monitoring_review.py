"""Template filters of monitoring's reviewer pages: whether a person reviews (and so gets their links)."""

from __future__ import annotations

from django import template

from jixiao.web.access import Person, role_of
from jixiao.web.monitoring.views.alerts import REVIEWERS

register = template.Library()


@register.filter
def reviews(user: Person) -> bool:
    """True for a department reviewer or the finance bureau: the alerts list and the 序时进度 chart are theirs."""
    return role_of(user) in REVIEWERS
