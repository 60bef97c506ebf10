"""Approving several records at once: each through the workflow's ``act``, each whole or not at all."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from jixiao.core.workflow import Action, Role
from jixiao.web.access import role_of
from jixiao.web.audit.services import Context

MAX_BATCH = 200  # four list pages; a larger batch is a mistake of the page, not a reviewer's choice

# what approval a reviewer's role gives
APPROVAL = {Role.DEPT_REVIEWER: Action.DEPT_APPROVE, Role.FINANCE_REVIEWER: Action.FINANCE_APPROVE}


@dataclass(frozen=True)
class Outcome:
    """What became of one record of a batch: approved, or refused and why."""

    pk: int
    name: str
    approved: bool
    reason: str = ""
    found: bool = True  # False: not among what the reviewer may see (no link to it)


def batch_action(ctx: Context) -> Action:
    """The approval the acting reviewer gives (主管部门审核通过 or 财政批复), else 403."""
    role = role_of(ctx.user)
    if role not in APPROVAL:
        raise PermissionDenied("只有主管部门审核人员和财政审核人员可以批量审核。")
    return APPROVAL[role]


def approve_batch(
    ctx: Context, model: Any, picks: Iterable[tuple[int, int]], act: Callable[..., Any] | None = None
) -> list[Outcome]:
    """Approve each picked ``(pk, version seen on the page)`` record of ``model``; one outcome per pick.

    Each record is one call of ``services.act`` with the version the reviewer saw, in its own transaction:
    a record changed since the page was drawn, one the role may not approve in its state, or one whose
    figures block approval is refused with the reason, and the others go on. ``act`` is the record
    kind's review service (the cycle's by default; a monitoring form's is the monitoring app's).
    """
    from jixiao.web.cycle import services

    act = act or services.act
    action = batch_action(ctx)
    picks = list(dict(picks).items())  # one outcome per record, however often it was posted
    if len(picks) > MAX_BATCH:
        raise ValidationError(f"一次最多批量审核 {MAX_BATCH} 条记录，请分批选择。")
    visible = model.objects.visible_to(ctx.user)
    outcomes = []
    for pk, version in picks:
        rec = visible.filter(pk=pk).first()
        if rec is None:
            outcomes.append(Outcome(pk, f"#{pk}", False, "没有找到该记录，或您无权查看。", found=False))
            continue
        name = f"{rec.project_name}（{rec.year}年度）"
        try:
            act(ctx, rec, action, expected_version=version)
        except services.ConflictError as conflict:
            outcomes.append(
                Outcome(
                    pk,
                    name,
                    False,
                    f"该记录在您打开列表后已被修改（您看到的是第 {version} 版，"
                    f"当前是第 {conflict.record.version} 版），请打开记录查看后再审核。",
                )
            )
        except PermissionDenied as exc:
            outcomes.append(Outcome(pk, name, False, str(exc) or "您无权审核该记录。"))
        except ValidationError as exc:
            outcomes.append(Outcome(pk, name, False, "存在需要修改的问题：" + "；".join(exc.messages)))
        else:
            outcomes.append(Outcome(pk, name, True))
    return outcomes
