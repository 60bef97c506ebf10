"""Gates on the finance bureau's approval of a declaration: other apps say why a declaration may not be approved yet.

The cycle does not know the apps that hold such conditions (the ex-ante
assessment, :mod:`jixiao.web.assessments.gate`); they register a gate when
Django starts (their ``AppConfig.ready``), and :func:`~jixiao.web.cycle.services.workflow.act`
asks every gate, on the locked row, before it approves.
"""

from __future__ import annotations

from collections.abc import Callable

from jixiao.web.cycle.models import Declaration

__all__ = ["ApprovalGate", "approval_refusals", "register_approval_gate"]

# a gate returns the Chinese reason the declaration may not be approved now, or None
ApprovalGate = Callable[[Declaration], str | None]
_GATES: list[ApprovalGate] = []


def register_approval_gate(gate: ApprovalGate) -> None:
    """Ask ``gate`` before every finance approval of a declaration (registering twice asks once)."""
    if gate not in _GATES:
        _GATES.append(gate)


def approval_refusals(declaration: Declaration) -> list[str]:
    """Every registered gate's reason the declaration may not be approved now (empty: it may)."""
    return [reason for gate in _GATES if (reason := gate(declaration)) is not None]
