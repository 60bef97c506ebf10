"""Who may see and do what: the access helpers every view and API uses.

Every list is scoped by ``visible_to`` (a queryset method backed by the Q
objects here); every object is fetched by a ``get_*_for`` helper that
returns it or refuses. What a user may not see is a 404, so ids are not
confirmed; what they may see but not do is a 403, and is audited.
"""

from __future__ import annotations

from typing import Protocol, TypeAlias, TypeVar, cast

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from jixiao.core.workflow import Action, Role, State, transition
from jixiao.web.accounts.models import Account

NOTHING = Q(pk__in=[])
M = TypeVar("M", bound=models.Model)
M_co = TypeVar("M_co", bound=models.Model, covariant=True)
# Whoever asks: a signed-in person, an anonymous reader of the portal, or nobody (command-line work).
Person: TypeAlias = User | AnonymousUser | None


class Scoped(Protocol[M_co]):
    """A queryset that knows what a user may see (the business models' querysets provide ``visible_to``)."""

    def visible_to(self, user: Person) -> models.QuerySet[M_co]: ...


class HasState(Protocol):
    """A record of the cycle: it is in a workflow state."""

    @property
    def state(self) -> str: ...


def account_of(user: Person) -> Account | None:
    """The account (role and organization) of a signed-in user, or None."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return None
    try:
        return user.account
    except Account.DoesNotExist:
        return None


def role_of(user: Person) -> Role | None:
    """The user's role, or None for anonymous readers and accounts without one."""
    account = account_of(user)
    return account.role_enum if account is not None else None


def project_scope(user: Person, prefix: str = "") -> Q:
    """The projects ``user`` may see: own unit, own department's units, or all for the finance bureau."""
    account = account_of(user)
    if account is None:
        return NOTHING
    role = account.role_enum
    if role is Role.UNIT_STAFF:
        return Q(**{f"{prefix}unit_id": account.organization_id})
    if role is Role.DEPT_REVIEWER:
        return Q(**{f"{prefix}department_id": account.organization_id})
    if role is Role.FINANCE_REVIEWER:
        return Q()  # everything; an always-true condition on a relation would only force joins
    return NOTHING  # the three administrators see no business records


def record_scope(user: Person, model: type[models.Model]) -> Q:
    """Declarations, self-evaluations or monitoring forms ``user`` may see; reviewers do not see a unit's drafts."""
    # a monitoring record holds its unit and department itself (copied from its declaration's project)
    prefix = {"Declaration": "project__", "MonitoringRecord": ""}.get(model.__name__, "declaration__project__")
    scope = project_scope(user, prefix)
    if role_of(user) in (Role.DEPT_REVIEWER, Role.FINANCE_REVIEWER):
        scope &= ~Q(state=State.DRAFT.value)
    return scope


def monitoring_action_scope(user: Person) -> Q:
    """The actions following monitoring alerts ``user`` may see: those on the monitoring forms it may see."""
    return project_scope(user, "record__") & ~Q(record__state=State.DRAFT.value)


def round_scope(user: Person) -> Q:
    """The monitoring rounds ``user`` may see: all for the finance bureau, else those covering its department."""
    account = account_of(user)
    if account is None:
        return NOTHING
    role = account.role_enum
    if role is Role.FINANCE_REVIEWER:
        return Q()
    if role is Role.DEPT_REVIEWER:
        department_id = account.organization_id
    elif role is Role.UNIT_STAFF and account.organization is not None:
        department_id = account.organization.department_id
    else:
        return NOTHING
    return Q(all_departments=True) | Q(departments=department_id)


def get_for(user: Person, queryset: Scoped[M], pk: object) -> M:
    """The object with ``pk`` among what ``user`` may see, else 404 (never confirming it exists)."""
    try:
        return queryset.visible_to(user).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):  # the model's DoesNotExist, or a malformed id
        raise Http404("没有找到该记录，或您无权查看。") from None


def require(user: Person, record: HasState, action: Action) -> Role:
    """The user's role when it may take ``action`` on ``record`` in its current state, else 403."""
    role = role_of(user)
    state = State(record.state)
    if role is None or transition(action, role, state) is None:
        raise PermissionDenied(refusal(cast(models.Model, record), action))
    return role


def permit(user: Person, record: models.Model, action: Action) -> Role:
    """The one permission decision of a write: ``user`` may see ``record`` and take ``action`` on it now.

    Returns the role it acts in; otherwise 403 with the reason (a record out of the user's scope, or a
    role or state the workflow table does not allow). The services call it once, on the locked row;
    a page that only shows a form calls it instead, so both say the same.
    """
    ensure_visible(user, record)
    return require(user, cast(HasState, record), action)


# what the record pages have always said of an edit or a deletion refused; other actions: the table's words
_SHORT = {"Declaration": "申报表", "SelfEvaluation": "自评表", "MonitoringRecord": "监控表"}
_REFUSED = {
    Action.EDIT: "处于「{state}」状态的{short}不能由您修改。",
    Action.DELETE: "处于「{state}」状态的{name}不能由您删除：只有本单位的草稿可以删除。",
}


def refusal(record: models.Model, action: Action) -> str:
    """The sentence of a refused ``action`` on ``record``: the same on the page, in the API and from a service."""
    state = State(cast(HasState, record).state)
    kind = type(record).__name__
    pattern = _REFUSED.get(action, "您的角色不能对处于「{state}」状态的记录执行「{action}」。")
    name = str(type(record)._meta.verbose_name)
    return pattern.format(state=state.label, short=_SHORT.get(kind, name), name=name, action=action.label)


def ensure_visible(user: Person, record: models.Model) -> None:
    """403 unless ``record`` is within what ``user`` may see (a write's first question)."""
    model = type(record)
    if not model._default_manager.filter(record_scope(user, model), pk=record.pk).exists():
        raise PermissionDenied("您无权处理该记录。")


def role_may(user: Person, record: models.Model, action: Action) -> bool:
    """True when ``user``'s role may take ``action`` on ``record`` in its state (for showing buttons)."""
    role = role_of(user)
    return role is not None and transition(action, role, State(cast(HasState, record).state)) is not None
