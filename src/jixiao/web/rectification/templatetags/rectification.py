"""``{% rectification_panel project year %}``: a project's 整改事项 at the top of its records' pages."""

from __future__ import annotations

from typing import Any

from django import template

from jixiao.web.rectification.access import may_open
from jixiao.web.rectification.lists import project_items

register = template.Library()


@register.inclusion_tag("rectification/_panel.html", takes_context=True)
def rectification_panel(context: dict[str, Any], project: Any, year: int) -> dict[str, Any]:
    """The project's open and closed items the reader may see, and the link to open one for its reviewers."""
    user = context.get("user")
    shown = project_items(user, project.pk)
    return shown | {"project": project, "year": year, "may_open": may_open(user, project)}
