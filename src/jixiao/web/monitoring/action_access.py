"""Who may do what with an action following a monitoring alert (the services ask; the pages show buttons by it).

- raise one: a reviewer of the form's department, or the finance bureau, on a form under review or approved;
- do it and submit evidence: its owner (the form's unit for 纠偏, the finance bureau otherwise), while open;
- close it or reopen it: the reviewers of the organization that raised it, once submitted;
- cancel it (撤销, with a reason): the reviewers of the organization that raised it, until it is closed.
"""

from __future__ import annotations

from jixiao.core.workflow import Role, State
from jixiao.web.access import Person, account_of
from jixiao.web.monitoring.action_models import MonitoringAction
from jixiao.web.monitoring.models import MonitoringRecord

# a form under review (submitted, approved by its department) or approved by the finance bureau
REVIEWED_STATES = frozenset({State.SUBMITTED.value, State.DEPT_APPROVED.value, State.APPROVED.value})


def may_raise(user: Person, rec: MonitoringRecord) -> bool:
    """True when ``user`` may mark what must follow on ``rec`` now."""
    account = account_of(user)
    if account is None or rec.state not in REVIEWED_STATES:
        return False
    role = account.role_enum
    return role is Role.FINANCE_REVIEWER or (
        role is Role.DEPT_REVIEWER and account.organization_id == rec.department_id
    )


def may_do(user: Person, action: MonitoringAction) -> bool:
    """True when ``user`` is the action's owner and it is still to be done (open or reopened)."""
    account = account_of(user)
    if account is None or not action.pending:
        return False
    if action.owner == MonitoringAction.Owner.UNIT:
        return account.role_enum is Role.UNIT_STAFF and account.organization_id == action.record.unit_id
    return account.role_enum is Role.FINANCE_REVIEWER


def may_conclude(user: Person, action: MonitoringAction) -> bool:
    """True when ``user`` reviews for the organization that raised the action and it awaits confirmation."""
    account = account_of(user)
    return (
        account is not None
        and action.state == MonitoringAction.State.SUBMITTED
        and account.role_enum in (Role.DEPT_REVIEWER, Role.FINANCE_REVIEWER)
        and account.organization_id == action.raised_in_id
    )


def _raiser(user: Person, action: MonitoringAction) -> bool:
    """True when ``user`` reviews for the organization that raised ``action``."""
    account = account_of(user)
    return (
        account is not None
        and account.role_enum in (Role.DEPT_REVIEWER, Role.FINANCE_REVIEWER)
        and account.organization_id == action.raised_in_id
    )


def may_cancel(user: Person, action: MonitoringAction) -> bool:
    """True when ``user`` reviews for the organization that raised the action and it is not yet closed or cancelled.

    The side that ordered it withdraws it, as it is the side that closes it: a reviewer of that
    organization, not only the person who typed it (who may have moved on).
    """
    return action.state in MonitoringAction.CANCELLABLE and _raiser(user, action)
