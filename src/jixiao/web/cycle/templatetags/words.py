"""The core's words in templates: a state's label, a record's status sentence, a severity's word.

Defined once in :mod:`jixiao.core` (``State.label``, ``status_sentence``,
``Severity.label``); the templates never write a copy of them.
"""

from __future__ import annotations

from django import template

from jixiao.core.review import Severity
from jixiao.core.workflow import State, status_sentence

register = template.Library()


@register.filter
def state_label(state: str | None) -> str:
    """``approved`` as 财政已批复 (empty for no state)."""
    return State(state).label if state else ""


@register.filter
def declaration_status(state: str) -> str:
    """A declaration's status line: 「已提交，待主管部门审核。」."""
    return status_sentence(state)


@register.filter
def evaluation_status(state: str) -> str:
    """A self-evaluation's status line: 「已财政批复。」 once the finance bureau approved it."""
    return status_sentence(state, evaluation=True)


@register.filter
def severity_label(severity: str) -> str:
    """``warning`` as 警告."""
    return Severity(severity).label
