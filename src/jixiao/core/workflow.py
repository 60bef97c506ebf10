"""The review cycle of a declaration and of a self-evaluation, and who may do what.

Both records move through the same states (财预〔2018〕167号 review of
targets, 财预〔2020〕10号 review of self-evaluations)::

    draft ──submit──> submitted ──return──> returned ──submit──> submitted
                          │
                          └──dept_approve──> dept_approved ──finance_approve──> approved ──publish──> published
                                                  │
                                                  └──return──> returned

A department reviewer returns or approves what their units submitted; the
finance bureau returns or approves what departments approved; only an
approved record is published, and a published record is frozen. A draft
(never submitted, so never reviewed) may be deleted by its unit; from the
first submission on, a record keeps its review history and is never deleted.
The table is data: the web layer asks :func:`allowed` and never decides on
its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    """Where a record stands in its review cycle."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    DEPT_APPROVED = "dept_approved"
    APPROVED = "approved"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        """The state as a finance officer names it."""
        return STATE_LABELS[self]


STATE_LABELS = {
    State.DRAFT: "草稿",
    State.SUBMITTED: "已提交",
    State.RETURNED: "已退回",
    State.DEPT_APPROVED: "主管部门已审核",
    State.APPROVED: "财政已批复",
    State.PUBLISHED: "已公开",
}


# A record's status line as a sentence, per record kind: a declaration approved by the finance bureau has its
# targets fixed (the self-evaluation may start); a self-evaluation approved by the bureau is simply 已财政批复.
_DECLARATION_STATUS = {
    State.DRAFT: "草稿，尚未提交。",
    State.SUBMITTED: "已提交，待主管部门审核。",
    State.RETURNED: "已退回，待修改。",
    State.DEPT_APPROVED: "已主管部门审核通过。",
    State.APPROVED: "已财政批复，绩效目标已确定。",
    State.PUBLISHED: "已公开。",
}
_EVALUATION_STATUS = _DECLARATION_STATUS | {State.APPROVED: "已财政批复。"}


def status_sentence(state: State | str, *, evaluation: bool = False) -> str:
    """Where a declaration (or, with ``evaluation``, a self-evaluation) stands, as the record page says it."""
    return (_EVALUATION_STATUS if evaluation else _DECLARATION_STATUS)[State(state)]


class Role(StrEnum):
    """What a person does in the system; a person holds exactly one role."""

    UNIT_STAFF = "unit_staff"
    DEPT_REVIEWER = "dept_reviewer"
    FINANCE_REVIEWER = "finance_reviewer"
    SYSTEM_ADMIN = "system_admin"
    SECURITY_ADMIN = "security_admin"
    AUDIT_ADMIN = "audit_admin"
    # an outside expert of the pool (专家库): scores the ex-ante assessments assigned to them, and sees nothing else
    EXPERT = "expert"

    @property
    def label(self) -> str:
        """The role's Chinese name."""
        return ROLE_LABELS[self]

    @property
    def is_admin(self) -> bool:
        """True for the three separated administrators (三员分立), who hold no business role."""
        return self in ADMIN_ROLES


ROLE_LABELS = {
    Role.UNIT_STAFF: "单位填报人员",
    Role.DEPT_REVIEWER: "主管部门审核人员",
    Role.FINANCE_REVIEWER: "财政审核人员",
    Role.SYSTEM_ADMIN: "系统管理员",
    Role.SECURITY_ADMIN: "安全管理员",
    Role.AUDIT_ADMIN: "审计管理员",
    Role.EXPERT: "评审专家",
}
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
BUSINESS_ROLES = frozenset({Role.UNIT_STAFF, Role.DEPT_REVIEWER, Role.FINANCE_REVIEWER})


class Action(StrEnum):
    """What can be done to a record."""

    EDIT = "edit"
    SUBMIT = "submit"
    RETURN = "return"
    DEPT_APPROVE = "dept_approve"
    FINANCE_APPROVE = "finance_approve"
    PUBLISH = "publish"
    ADJUST = "adjust"
    DELETE = "delete"

    @property
    def label(self) -> str:
        """The action's Chinese name (a button's text)."""
        return ACTION_LABELS[self]


ACTION_LABELS = {
    Action.EDIT: "编辑",
    Action.SUBMIT: "提交",
    Action.RETURN: "退回",
    Action.DEPT_APPROVE: "主管部门审核通过",
    Action.FINANCE_APPROVE: "财政批复",
    Action.PUBLISH: "公开",
    Action.ADJUST: "调整",
    Action.DELETE: "删除",
}


@dataclass(frozen=True)
class Transition:
    """An action by a role that moves a record from one state to another (or keeps it, for edits and deletion)."""

    action: Action
    role: Role
    source: State
    target: State


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Action.EDIT, Role.UNIT_STAFF, State.DRAFT, State.DRAFT),
    Transition(Action.EDIT, Role.UNIT_STAFF, State.RETURNED, State.RETURNED),
    Transition(Action.SUBMIT, Role.UNIT_STAFF, State.DRAFT, State.SUBMITTED),
    Transition(Action.SUBMIT, Role.UNIT_STAFF, State.RETURNED, State.SUBMITTED),
    Transition(Action.RETURN, Role.DEPT_REVIEWER, State.SUBMITTED, State.RETURNED),
    Transition(Action.DEPT_APPROVE, Role.DEPT_REVIEWER, State.SUBMITTED, State.DEPT_APPROVED),
    Transition(Action.RETURN, Role.FINANCE_REVIEWER, State.DEPT_APPROVED, State.RETURNED),
    Transition(Action.FINANCE_APPROVE, Role.FINANCE_REVIEWER, State.DEPT_APPROVED, State.APPROVED),
    Transition(Action.PUBLISH, Role.FINANCE_REVIEWER, State.APPROVED, State.PUBLISHED),
    Transition(Action.PUBLISH, Role.DEPT_REVIEWER, State.APPROVED, State.PUBLISHED),
    # after approval, targets change only through a recorded adjustment (调整) by the finance bureau
    Transition(Action.ADJUST, Role.FINANCE_REVIEWER, State.APPROVED, State.APPROVED),
    # a mistaken draft is removed by its unit (the record is gone; its history and audit events stay)
    Transition(Action.DELETE, Role.UNIT_STAFF, State.DRAFT, State.DRAFT),
)
# the steps of review: what moves a record from one state to another and is written in its history
REVIEW_ACTIONS = frozenset({Action.SUBMIT, Action.RETURN, Action.DEPT_APPROVE, Action.FINANCE_APPROVE, Action.PUBLISH})
_BY_KEY = {(t.action, t.role, t.source): t for t in TRANSITIONS}


def transition(action: Action, role: Role, source: State) -> Transition | None:
    """The transition ``role`` may make with ``action`` from ``source``, or None when it may not."""
    return _BY_KEY.get((action, role, source))


def allowed(role: Role, state: State) -> list[Action]:
    """Every action ``role`` may take on a record in ``state``, in table order."""
    return [t.action for t in TRANSITIONS if t.role is role and t.source is state]


# Approved or published: targets and weights fixed (changed only by a recorded 调整), the record final.
FROZEN_STATES = frozenset({State.APPROVED, State.PUBLISHED})
# the same states as stored in a state column, for database filters (``state__in=FROZEN_VALUES``)
FROZEN_VALUES = tuple(s.value for s in State if s in FROZEN_STATES)


def is_frozen(state: State | str) -> bool:
    """True once targets and weights are fixed: approved or published."""
    return State(state) in FROZEN_STATES
