"""Who may see and do what with ex-ante assessments and the expert pool.

An expert sees only the assessments they sit on, and nothing of the cycle
(``jixiao.web.access.project_scope`` gives them nothing): what they need of
the declaration is shown on the assessment's own page. The finance bureau
sees every assessment; a department its own; a unit those of its projects.
An assessment is organised (created, drawn, concluded) by the finance bureau,
or by the reviewers of the project's department.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from jixiao.core.workflow import Role
from jixiao.web.access import NOTHING, Person, account_of

if TYPE_CHECKING:
    from jixiao.web.assessments.models import Assessment

ORGANISERS = (Role.FINANCE_REVIEWER, Role.DEPT_REVIEWER)


def assessment_scope(user: Person) -> Q:
    """The assessments ``user`` may see."""
    account = account_of(user)
    if account is None:
        return NOTHING
    role = account.role_enum
    if role is Role.FINANCE_REVIEWER:
        return Q()
    if role is Role.DEPT_REVIEWER:
        return Q(department_id=account.organization_id)
    if role is Role.UNIT_STAFF:
        return Q(unit_id=account.organization_id)
    if role is Role.EXPERT:
        # only seats of their own expert record; an expert without one sees nothing
        return Q(seats__expert__user_id=account.user_id)
    return NOTHING


def pool_scope(user: Person) -> Q:
    """The experts ``user`` may see in the pool: the organisers see it whole; nobody else sees it."""
    return Q() if _role(user) in ORGANISERS else NOTHING


def _role(user: Person) -> Role | None:
    account = account_of(user)
    return account.role_enum if account is not None else None


def may_organise(user: Person, assessment: Assessment | None = None, department_id: int | None = None) -> bool:
    """Whether ``user`` organises this assessment (or one for a project of ``department_id``)."""
    account = account_of(user)
    if account is None or account.role_enum not in ORGANISERS:
        return False
    if account.role_enum is Role.FINANCE_REVIEWER:
        return True
    target = assessment.department_id if assessment is not None else department_id
    return target is not None and target == account.organization_id


def require_organiser(user: Person, assessment: Assessment | None = None, department_id: int | None = None) -> None:
    """403 unless ``user`` organises the assessment (the services' one permission decision)."""
    if not may_organise(user, assessment, department_id):
        raise PermissionDenied("只有财政部门或项目主管部门的审核人员可以组织事前绩效评估。")


def manages_pool(user: Person) -> bool:
    """Whether ``user`` keeps the expert pool: the finance bureau."""
    return _role(user) is Role.FINANCE_REVIEWER
