"""The summary table (汇总表): every project of a year with its money, score, grade and findings.

One row per declaration the reader may see, joined to its self-evaluation
when the reader may see that too (reviewers do not see a unit's drafts).
The rows, the totals and the filter choices are each one query whatever
the number of projects: figures come from the values the services store
on every write (finding counts, execution rate, summary grade), never from
reviewing records while a page is drawn.

Amounts printed in 万元 are converted to 元 in the query, so the totals
add like with like; on PostgreSQL they are exact, on SQLite (the embedded
default) the database adds in binary floating point and the total is
rounded back to the fen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from django.db.models import (
    Case,
    CharField,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce

from jixiao.core.model import GRADES
from jixiao.core.review.findings import REGISTRY, Severity, checks_for_people
from jixiao.core.scoring.formulas import quantize
from jixiao.core.workflow import STATE_LABELS, Role, State
from jixiao.web.access import Person, account_of
from jixiao.web.cycle.models import Declaration, StoredFinding
from jixiao.web.numbers import small_int
from jixiao.web.orgs.models import Organization

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class Figures(TypedDict):
        """The summary's figures annotated on each declaration (base_queryset)."""

        s_requested: Decimal | None
        s_budgeted: Decimal | None
        s_executed: Decimal | None
        s_rate: Decimal | None
        s_score: Decimal | None
        s_suggested: Decimal | None
        s_grade: str | None
        s_ev_state: str | None
        s_ev_id: int | None
        s_errors: int
        s_warnings: int
        s_infos: int

    Summarised: TypeAlias = QuerySet[WithAnnotations[Declaration, Figures]]

NO_GRADE = "none"  # the grade filter's value for projects without a self-evaluation score
MONEY_FIELD: DecimalField[Decimal, Decimal] = DecimalField(max_digits=20, decimal_places=2)
TEN_THOUSAND = Value(Decimal(10000), output_field=MONEY_FIELD)


@dataclass(frozen=True)
class Column:
    """A column of the table: its key (for sorting and downloads), heading, and kind of value."""

    key: str
    label: str
    kind: str = "text"  # text | money | number | count | state
    order_by: str = ""


# 项目名称 first, as the official 汇总表 prints it: it is also the column the page keeps in view when it scrolls
COLUMNS = (
    Column("project", "项目名称", order_by="project__name"),
    Column("department", "主管部门", order_by="project__department__name"),
    Column("unit", "实施单位", order_by="project__unit__name"),
    Column("declaration_state", "目标状态", "state", order_by="state"),
    Column("requested", "申请金额（元）", "money", order_by="s_requested"),
    Column("budgeted", "全年预算数（元）", "money", order_by="s_budgeted"),
    Column("executed", "全年执行数（元）", "money", order_by="s_executed"),
    Column("rate", "执行率（%）", "number", order_by="s_rate"),
    Column("score", "自评总分", "number", order_by="s_score"),
    Column("suggested", "按规则计算", "number", order_by="s_suggested"),
    Column("grade", "等级", order_by="s_grade"),
    Column("evaluation_state", "自评状态", "state", order_by="s_ev_state"),
    # the severities' one word each, from core
    Column("errors", Severity.ERROR.label, "count", order_by="s_errors"),
    Column("warnings", Severity.WARNING.label, "count", order_by="s_warnings"),
    Column("infos", Severity.INFO.label, "count", order_by="s_infos"),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}


@dataclass(frozen=True)
class Filters:
    """What the reader asked for; every field is a plain string as it came in the query string."""

    year: str = ""
    department: str = ""
    unit: str = ""
    state: str = ""
    evaluation_state: str = ""
    grade: str = ""
    code: str = ""
    q: str = ""
    sort: str = ""

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Filters:
        """Read the filters from a query string, ignoring anything unknown.

        A year or an id that is not plain digits in range (``²``, twenty digits, which SQLite cannot
        bind) is no filter at all, so every use below may read it with ``int()``.
        """
        values = {f.name: str(query.get(f.name, "")).strip()[:200] for f in fields(cls)}
        for name, high in (("year", 9999), ("department", 2**63 - 1), ("unit", 2**63 - 1)):
            number = small_int(values[name], 0, high)
            values[name] = "" if number is None else str(number)
        return cls(**values)

    def as_query(self, **override: str) -> dict[str, str]:
        """The non-empty filters as query parameters (for links that keep them)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)} | override
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class Row:
    """One project of the table, as the reader may see it."""

    declaration_id: int
    evaluation_id: int | None
    department: str
    unit: str
    project: str
    declaration_state: str
    requested: Decimal | None
    budgeted: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    score: Decimal | None
    suggested: Decimal | None
    grade: str
    evaluation_state: str
    errors: int
    warnings: int
    infos: int

    def value(self, key: str) -> str | Decimal | int | None:
        """The value of a column by its key."""
        value: str | Decimal | int | None = getattr(self, key)  # every field above is one of these
        return value

    @property
    def declaration_state_label(self) -> str:
        """The declaration's state in words."""
        return STATE_LABELS[State(self.declaration_state)]

    @property
    def evaluation_state_label(self) -> str:
        """The self-evaluation's state in words, empty when there is none to see."""
        return STATE_LABELS[State(self.evaluation_state)] if self.evaluation_state else ""


def _yuan(field: str) -> Case:
    """An amount in 元 whatever unit its form printed it in."""
    unit_field = "money_unit" if field.startswith("requested") else "evaluation__money_unit"
    return Case(
        When(**{unit_field: "万元"}, then=F(field) * TEN_THOUSAND),
        default=F(field),
        output_field=MONEY_FIELD,
    )


def _hides_drafts(user: Person) -> bool:
    """Reviewers see none of a unit's drafts, here as on every other page."""
    account = account_of(user)
    return account is not None and account.role_enum in (Role.DEPT_REVIEWER, Role.FINANCE_REVIEWER)


def _evaluation_visible(user: Person) -> Q:
    """The evaluations joined in, seen from the declaration."""
    if _hides_drafts(user):
        return Q(evaluation__isnull=False) & ~Q(evaluation__state=State.DRAFT.value)
    return Q(evaluation__isnull=False)


def _when_visible(visible: Q, expression: Any, output: Any) -> Case:
    return Case(When(visible, then=expression), default=Value(None), output_field=output)


def _count(visible: Q, name: str) -> CombinedExpression:
    """The findings of one severity: the declaration's and, when it is visible, its evaluation's."""
    return F(name) + Coalesce(_when_visible(visible, F(f"evaluation__{name}"), IntegerField()), Value(0))


def base_queryset(user: Person) -> Summarised:
    """Every declaration the reader may see, annotated with the summary's figures."""
    visible = _evaluation_visible(user)
    score: DecimalField[Decimal, Decimal] = DecimalField(max_digits=9, decimal_places=2)
    return Declaration.objects.visible_to(user).annotate(
        s_requested=_yuan("requested_total"),
        s_budgeted=_when_visible(visible, _yuan("evaluation__adjusted_total"), MONEY_FIELD),
        s_executed=_when_visible(visible, _yuan("evaluation__executed_total"), MONEY_FIELD),
        s_rate=_when_visible(visible, F("evaluation__execution_rate"), score),
        s_score=_when_visible(visible, F("evaluation__total_score"), score),
        s_suggested=_when_visible(visible, F("evaluation__suggested_total"), score),
        s_grade=_when_visible(visible, F("evaluation__summary_grade"), CharField()),
        s_ev_state=_when_visible(visible, F("evaluation__state"), CharField()),
        s_ev_id=_when_visible(visible, F("evaluation__pk"), IntegerField()),
        s_errors=_count(visible, "errors"),
        s_warnings=_count(visible, "warnings"),
        s_infos=_count(visible, "infos"),
    )


def apply_filters(queryset: Summarised, filters: Filters, user: Person) -> Summarised:
    """Narrow the table by year, department, unit, states, grade, finding code and project name."""
    qs = queryset
    if filters.year.isdigit():
        qs = qs.filter(year=int(filters.year))
    if filters.department.isdigit():
        qs = qs.filter(project__department_id=int(filters.department))
    if filters.unit.isdigit():
        qs = qs.filter(project__unit_id=int(filters.unit))
    if filters.state in {s.value for s in State}:
        qs = qs.filter(state=filters.state)
    if filters.evaluation_state == NO_GRADE:
        qs = qs.filter(s_ev_id__isnull=True)
    elif filters.evaluation_state in {s.value for s in State}:
        qs = qs.filter(s_ev_state=filters.evaluation_state)
    if filters.grade in GRADES:
        qs = qs.filter(s_grade=filters.grade)
    elif filters.grade == NO_GRADE:
        qs = qs.filter(Q(s_grade__isnull=True) | Q(s_grade=""))
    if filters.code in REGISTRY:
        in_declaration = StoredFinding.objects.filter(declaration=OuterRef("pk"), code=filters.code)
        in_evaluation = StoredFinding.objects.filter(evaluation__declaration=OuterRef("pk"), code=filters.code).filter(
            _evaluation_visible_outer(user)
        )
        qs = qs.filter(Exists(in_declaration) | Exists(in_evaluation))
    if filters.q:
        qs = qs.filter(project__name__icontains=filters.q)
    return qs


def _evaluation_visible_outer(user: Person) -> Q:
    """The evaluation-visibility rule, seen from a finding's side."""
    return ~Q(evaluation__state=State.DRAFT.value) if _hides_drafts(user) else Q()


def ordered(queryset: Summarised, sort: str) -> Summarised:
    """Order by a column key, ``-key`` for descending; empty values last; project name breaks ties."""
    key = sort.removeprefix("-")
    column = COLUMN_BY_KEY.get(key)
    if column is None:
        return queryset.order_by("project__department__name", "project__unit__name", "project__name", "pk")
    expression = F(column.order_by)
    first = expression.desc(nulls_last=True) if sort.startswith("-") else expression.asc(nulls_last=True)
    return queryset.order_by(first, "project__name", "pk")


def rows(queryset: Summarised) -> list[Row]:
    """The rows of (a page of) the table, read in one query."""
    values = queryset.values_list(
        "pk",
        "s_ev_id",
        "project__department__name",
        "project__unit__name",
        "project__name",
        "state",
        "s_requested",
        "s_budgeted",
        "s_executed",
        "s_rate",
        "s_score",
        "s_suggested",
        "s_grade",
        "s_ev_state",
        "s_errors",
        "s_warnings",
        "s_infos",
    )
    return [
        Row(
            declaration_id=v[0],
            evaluation_id=v[1],
            department=v[2],
            unit=v[3],
            project=v[4],
            declaration_state=v[5],
            requested=fen(v[6]),
            budgeted=fen(v[7]),
            executed=fen(v[8]),
            rate=fen(v[9]),
            score=fen(v[10]),
            suggested=fen(v[11]),
            grade=v[12] or "",
            evaluation_state=v[13] or "",
            errors=v[14],
            warnings=v[15],
            infos=v[16],
        )
        for v in values
    ]


def fen(value: object) -> Decimal | None:
    """A figure to two places (SQLite hands back what it added in floating point)."""
    if value is None:
        return None
    return quantize(Decimal(str(value)), Decimal("0.01"))


@dataclass(frozen=True)
class Totals:
    """The totals row: counts, money summed in 元, the rate of the sums, finding counts."""

    projects: int
    evaluated: int
    requested: Decimal | None
    budgeted: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    errors: int
    warnings: int
    infos: int


def totals(queryset: Summarised) -> Totals:
    """Sum the filtered table in one query; the rate is executed ÷ budgeted of the sums, not a mean of rates."""
    sums = queryset.order_by().aggregate(
        projects=Coalesce(Sum(Value(1)), 0),
        evaluated=Coalesce(Sum(Case(When(s_ev_id__isnull=False, then=Value(1)), default=Value(0))), 0),
        requested=Sum("s_requested"),
        budgeted=Sum("s_budgeted"),
        executed=Sum("s_executed"),
        errors=Coalesce(Sum("s_errors"), 0),
        warnings=Coalesce(Sum("s_warnings"), 0),
        infos=Coalesce(Sum("s_infos"), 0),
    )
    budgeted, executed = fen(sums["budgeted"]), fen(sums["executed"])
    rate = quantize(executed / budgeted * 100, Decimal("0.01")) if budgeted and executed is not None else None
    return Totals(
        projects=sums["projects"],
        evaluated=sums["evaluated"],
        requested=fen(sums["requested"]),
        budgeted=budgeted,
        executed=executed,
        rate=rate,
        errors=sums["errors"],
        warnings=sums["warnings"],
        infos=sums["infos"],
    )


def years(user: Person) -> list[int]:
    """The budget years the reader has records of, newest first."""
    return list(Declaration.objects.visible_to(user).order_by("-year").values_list("year", flat=True).distinct())


def choices(user: Person, filters: Filters) -> dict[str, list[tuple[str, str]]]:
    """The departments and units the reader may filter by (within the chosen department)."""
    account = account_of(user)
    role = account.role_enum if account else None
    out: dict[str, list[tuple[str, str]]] = {"departments": [], "units": []}
    if role is Role.FINANCE_REVIEWER:
        out["departments"] = [
            (str(pk), name)
            for pk, name in Organization.objects.filter(kind=Organization.Kind.DEPARTMENT).values_list("pk", "name")
        ]
    # the bureau picks a department first: a province's thousand units make no usable list
    if role is Role.DEPT_REVIEWER or (role is Role.FINANCE_REVIEWER and filters.department.isdigit()):
        units = Organization.objects.filter(kind__in=[Organization.Kind.UNIT, Organization.Kind.DEPARTMENT])
        if role is Role.DEPT_REVIEWER:
            assert account is not None
            units = units.filter(Q(department_id=account.organization_id) | Q(pk=account.organization_id))
        else:
            units = units.filter(Q(department_id=int(filters.department)) | Q(pk=int(filters.department)))
        # only units that run projects: a department appears when it is its own unit
        units = units.filter(projects__isnull=False).distinct()
        out["units"] = [(str(pk), name) for pk, name in units.order_by("name").values_list("pk", "name")]
    return out


def finding_codes() -> list[tuple[str, str]]:
    """Every registered check for the finding filter: its Chinese title, by severity then title (never the code)."""
    return [(c.code, f"{c.severity.label}：{c.title}") for c in checks_for_people()]
