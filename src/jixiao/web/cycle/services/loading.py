"""Loading documents (jixiao.document/1) as records: the one way files become rows.

A declaration document becomes declarations; a self-evaluation document
becomes, for each project, the approved declaration its targets and
weights come from plus the self-evaluation itself. Units and departments
are found by name in the organization tree, or created under the finance
bureau when ``create_orgs`` allows it. Each load is one transaction with
one audit event per record, so a failure leaves nothing behind.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models, transaction

from jixiao.core.model import Document, Kind, Project
from jixiao.core.review import blocking
from jixiao.core.workflow import STATE_LABELS, State
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context, record
from jixiao.web.cycle.documents import evaluation_shape
from jixiao.web.cycle.models import (
    Declaration,
    DeclarationIndicator,
    EvaluationIndicator,
    FundManagementItem,
    SelfEvaluation,
    SourceFile,
    StateChange,
)
from jixiao.web.cycle.packs import pack_for_unit
from jixiao.web.cycle.printed import split_printed
from jixiao.web.cycle.services.across import lock_unit, refresh_across
from jixiao.web.cycle.services.declarations import ensure_project
from jixiao.web.cycle.services.findings import refresh_findings
from jixiao.web.cycle.services.workflow import publish
from jixiao.web.cycle.shapes import DECLARATION, SELF_EVALUATION, core_to_header, core_to_row
from jixiao.web.notices.services.notices import records_assigned
from jixiao.web.orgs.models import Organization

M = TypeVar("M", bound=models.Model)


class LoadError(Exception):
    """A document that cannot be loaded as it stands (the message says which project and why)."""


@dataclass
class LoadResult:
    """What a load created."""

    declarations: list[Declaration] = field(default_factory=list)
    evaluations: list[SelfEvaluation] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)


def find_department(name: str) -> Organization | None:
    """The department of that name."""
    return Organization.objects.filter(name=name, kind=Organization.Kind.DEPARTMENT).order_by("pk").first()


def find_unit(department: Organization, name: str) -> Organization | None:
    """The unit of that name within ``department`` (two departments may each have a 办公室), or the department."""
    if name == department.name:
        return department
    return Organization.objects.filter(name=name, department=department).order_by("pk").first()


def _find_or_create(name: str, kind: str, parent: Organization, create: bool, result: LoadResult) -> Organization:
    found = find_department(name) if kind == Organization.Kind.DEPARTMENT else find_unit(parent, name)
    if found is not None:
        return found
    if not create:
        where = "" if kind == Organization.Kind.DEPARTMENT else f"「{parent.name}」下"
        raise LoadError(f"组织机构中{where}没有「{name}」，请先在组织机构中建立，或允许导入时新建。")
    org = Organization.objects.create(name=name, kind=kind, parent=parent)
    result.organizations.append(org)
    return org


def _unit_for(
    project: Project, bureau: Organization, create: bool, result: LoadResult, transfer: bool = False
) -> Organization:
    if not project.department:
        raise LoadError(f"项目「{project.name}」没有主管部门。")
    department = _find_or_create(project.department, Organization.Kind.DEPARTMENT, bureau, create, result)
    # a transfer payment is filed by its department for all the units that used the money
    unit_name = project.department if transfer else (project.unit or project.department)
    if unit_name == department.name:
        return department  # a department that runs the project itself
    return _find_or_create(unit_name, Organization.Kind.UNIT, department, create, result)


@dataclass(frozen=True)
class Origin:
    """Where a loaded record comes from: the file's name and hash, the kept file, the first line."""

    source: tuple[str, str]
    source_file: SourceFile | None = None
    first_line: int | None = None

    def fields(self) -> dict[str, object]:
        """The Source fields of a record."""
        return {
            "file_name": self.source[0][:255],
            "sha256": self.source[1],
            "source_file": self.source_file,
            "first_line": self.first_line,
        }


def _create(model: type[M], **values: Any) -> M:
    """Create a record with its numbers in two-place columns and their printed text kept beside them."""
    columns, printed = split_printed(values)
    # the default manager is each record model's only one (objects), and the one a model class is known to have
    return model._default_manager.create(**columns, printed=printed)


def _declaration(
    ctx: Context, project: Project, year: int, unit: Organization, state: State, origin: Origin, transfer: bool
) -> Declaration:
    header = core_to_header(DECLARATION, project)
    decl = _create(
        Declaration,
        project=ensure_project(ctx, unit, project.name),
        year=year,
        state=state.value,
        kind=Declaration.Kind.TRANSFER if transfer else Declaration.Kind.PROJECT,
        rule_pack=pack_for_unit(unit, year),
        central_department=project.central_department or "",
        fund_users=(project.unit or "") if transfer else "",
        **(header | {"money_unit": header["money_unit"] or "元"}),
        **origin.fields(),
    )
    for position, indicator in enumerate(project.indicators, start=1):
        _create(DeclarationIndicator, declaration=decl, position=position, **core_to_row(DECLARATION, indicator))
    return decl


def _evaluation(decl: Declaration, project: Project, state: State, origin: Origin) -> SelfEvaluation:
    header = core_to_header(evaluation_shape(decl), project)
    # a form without a 预算执行率 row (the transfer payment's) is weighed as the national rules weigh it
    if header.get("execution_weight") is None:
        header["execution_weight"] = Decimal(10)
    header["money_unit"] = header["money_unit"] or "元"
    ev = _create(
        SelfEvaluation,
        declaration=decl,
        rule_pack=decl.rule_pack,  # the same department and year: the same pack
        state=state.value,
        **header,
        **origin.fields(),
    )
    for decl_indicator, indicator in zip(decl.indicators.all(), project.indicators, strict=True):
        _create(EvaluationIndicator, evaluation=ev, indicator=decl_indicator, **core_to_row(SELF_EVALUATION, indicator))
    for position, row in enumerate(project.fund_management or (), start=1):
        FundManagementItem.objects.create(
            evaluation=ev, position=position, item=row.item, description=row.description or "", remedy=row.remedy or ""
        )
    return ev


# the kinds a load makes records of: a declaration, or a self-evaluation with its approved targets
LOADABLE = frozenset({Kind.TARGET_DECLARATION, Kind.SELF_EVALUATION, Kind.TRANSFER_SELF_EVALUATION})
NOT_LOADABLE = {
    Kind.MONITORING: (
        "项目支出绩效目标执行监控表不能导入为年度记录：监控表在「运行监控」的监控批次中由单位填报，"
        "支付系统的执行数可在批次页面导入。"
    ),
    Kind.DEPARTMENT_SELF_EVALUATION: "部门（单位）整体支出绩效自评表暂不能导入为年度记录：本系统尚无部门整体绩效记录。",
    Kind.DEPARTMENT_DECLARATION: "部门（单位）整体支出绩效目标申报表暂不能导入为年度记录：本系统尚无部门整体绩效记录。",
}


def load_document(
    ctx: Context,
    document: Document,
    *,
    bureau: Organization,
    source: tuple[str, str] = ("", ""),
    state_for: Callable[[int, Project], State] = lambda n, p: State.DRAFT,
    create_orgs: bool = False,
    source_file: SourceFile | None = None,
    first_lines: Sequence[int | None] = (),
    units: set[int] | None = None,
) -> LoadResult:
    """Load every project of ``document`` in one transaction; ``state_for`` picks each record's state.

    For a self-evaluation the declaration is loaded as approved (its
    targets and weights are the ones the evaluation was scored against)
    and the evaluation takes the chosen state. The cross-document findings
    of the units loaded into are refreshed at the end; a caller loading
    many documents in one transaction passes ``units`` instead, which
    collects their ids, and calls :func:`refresh_units` once at its end.
    """
    if document.year is None:
        raise LoadError("文档没有年度，无法建立年度记录。")
    if document.kind not in LOADABLE:
        raise LoadError(NOT_LOADABLE.get(document.kind, f"{document.kind.label}不能导入为年度记录。"))
    result = LoadResult()
    touched: set[int] = set()
    with transaction.atomic():
        # Loads take the bureau's lock, then each unit's before writing in it (services take a unit's,
        # then a record's): two loads never wait on each other's units in opposite orders.
        lock_unit(bureau.pk)
        transfer = document.kind is Kind.TRANSFER_SELF_EVALUATION
        for n, project in enumerate(document.projects):
            unit = _unit_for(project, bureau, create_orgs, result, transfer)
            if unit.pk not in touched:
                lock_unit(unit.pk)
                touched.add(unit.pk)
            state = state_for(n, project)
            origin = Origin(source, source_file, first_lines[n] if n < len(first_lines) else None)
            existing = Declaration.objects.filter(project__unit=unit, project__name=project.name, year=document.year)
            if existing.exists():
                raise LoadError(f"「{unit.name}」的项目「{project.name}」已有{document.year}年度的记录，未重复导入。")
            if document.kind is Kind.TARGET_DECLARATION:
                decl = _declaration(ctx, project, document.year, unit, state, origin, transfer)
                result.declarations.append(decl)
                _audit_import(ctx, decl, unit, source, state)
            else:
                decl_state = State.PUBLISHED if state is State.PUBLISHED else State.APPROVED
                decl = _declaration(ctx, project, document.year, unit, decl_state, origin, transfer)
                ev = _evaluation(decl, project, state, origin)
                result.declarations.append(decl)
                result.evaluations.append(ev)
                _audit_import(ctx, decl, unit, source, decl_state, targets_of_evaluation=True)
                _audit_import(ctx, ev, unit, source, state)
        if units is None:
            refresh_units(touched)
        else:
            units |= touched
        # a record loaded for its unit to fill in (a draft) is a new task of that unit's staff, once committed
        drafts = State.DRAFT.value
        assigned = [d for d in result.declarations if d.state == drafts] + [
            e for e in result.evaluations if e.state == drafts
        ]
        if assigned:
            transaction.on_commit(functools.partial(records_assigned, assigned), robust=True)
        return result


def refresh_units(units: set[int]) -> None:
    """Refresh the cross-document findings of these units (after a load, in its transaction)."""
    for unit_id in sorted(units):
        refresh_across(unit_id)


def _audit_import(
    ctx: Context,
    obj: Declaration | SelfEvaluation,
    unit: Organization,
    source: tuple[str, str],
    state: State,
    targets_of_evaluation: bool = False,
) -> None:
    StateChange.objects.create(
        declaration=obj if isinstance(obj, Declaration) else None,
        evaluation=obj if isinstance(obj, SelfEvaluation) else None,
        action="import",
        old_state=State.DRAFT.value,
        new_state=state.value,
        comment=f"由文件 {source[0]} 导入" if source[0] else "导入",
        by=ctx.user if ctx.user is not None else None,
    )
    # the units' cross-document review comes once, after the load
    impossible = blocking(refresh_findings(obj, across=False))
    if impossible and state is not State.DRAFT:
        # an approved or published record must never carry a figure that cannot be (issue 11, item 3)
        name = obj.project.name if isinstance(obj, Declaration) else obj.declaration.project.name
        where = f"{source[0]}「{name}」" if source[0] else f"「{unit.name}」的项目「{name}」"
        reasons = "；".join(f.message.rstrip("。") for f in impossible)
        # a self-evaluation's targets are loaded as approved whatever state it takes itself: say so
        with_evaluation = "（导入自评表时，其绩效目标按已批复导入）" if targets_of_evaluation else ""
        raise LoadError(
            f"{where}：{reasons}。不能以“{STATE_LABELS[state]}”状态导入{with_evaluation}，请更正原表后重新导入。"
        )
    if state is State.PUBLISHED:
        publish(ctx, obj)
    record(
        ctx,
        AuditEvent.Type.IMPORT,
        obj=obj,
        organization=unit,
        detail={"file": source[0], "sha256": source[1], "state": state.value},
    )
