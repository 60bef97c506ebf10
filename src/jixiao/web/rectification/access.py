"""Who may see and do what with 整改事项 (the services ask; the pages show buttons by it).

- see: the unit its own items, a department's reviewer its units', the finance bureau all, the public
  none (decision 0021: an item names problems still being fixed; what is disclosed is the published
  self-evaluation);
- open one: a reviewer of the project's department, or the finance bureau;
- answer it (text and evidence): the unit's staff, while open or reopened;
- accept, reopen (with a reason): a reviewer of the organization that opened it, or the finance bureau,
  once submitted; cancel (with a reason): the same reviewers, while not yet closed.
"""

from __future__ import annotations

from django.db.models import Q

from jixiao.core.workflow import Role
from jixiao.web.access import Person, account_of, project_scope
from jixiao.web.cycle.models import Project
from jixiao.web.rectification.models import Rectification


def item_scope(user: Person) -> Q:
    """The items ``user`` may see: those of the projects it may see (the item keeps its unit and department)."""
    return project_scope(user)


def may_open(user: Person, project: Project) -> bool:
    """True when ``user`` reviews ``project``'s department or is the finance bureau."""
    account = account_of(user)
    if account is None:
        return False
    role = account.role_enum
    return role is Role.FINANCE_REVIEWER or (
        role is Role.DEPT_REVIEWER and account.organization_id == project.department_id
    )


def may_answer(user: Person, item: Rectification) -> bool:
    """True when ``user`` is staff of the item's unit and the item waits for its answer."""
    account = account_of(user)
    return (
        account is not None
        and item.pending
        and account.role_enum is Role.UNIT_STAFF
        and account.organization_id == item.unit_id
    )


def _reviews(user: Person, item: Rectification) -> bool:
    account = account_of(user)
    if account is None:
        return False
    role = account.role_enum
    return role is Role.FINANCE_REVIEWER or (
        role is Role.DEPT_REVIEWER and account.organization_id == item.raised_in_id
    )


def may_conclude(user: Person, item: Rectification) -> bool:
    """True when ``user`` may accept or reopen the item: its opener's reviewers or finance, once submitted."""
    return item.state == Rectification.State.SUBMITTED and _reviews(user, item)


def may_cancel(user: Person, item: Rectification) -> bool:
    """True when ``user`` may cancel the item: its opener's reviewers or the finance bureau, while not closed."""
    return item.state in Rectification.OPEN_STATES and _reviews(user, item)
