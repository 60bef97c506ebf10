"""``{% findings list %}``: review findings as the cycle's pages show them (see ``cycle.html``)."""

from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.utils.safestring import SafeString

from jixiao.core.review import Finding
from jixiao.web.cycle.html import findings_html

register = template.Library()


@register.simple_tag(name="findings")
def findings_tag(findings: Sequence[Finding] | None) -> SafeString:
    """The findings as a list (nothing for none)."""
    return findings_html(findings or ())
