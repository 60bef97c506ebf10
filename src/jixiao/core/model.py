"""The performance document model: ``jixiao.document/1`` as frozen dataclasses.

One :class:`Document` holds the projects of one published form collection
(a declaration 汇总表, a set of self-evaluation forms, a transfer-payment
self-evaluation). Field names follow ``document-schema.md``; money, weights,
scores and rates are :class:`~decimal.Decimal` and keep the precision with
which they were printed (``445000.00`` stays ``445000.00``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

SCHEMA = "jixiao.document/1"


class Kind(StrEnum):
    """Which official form a document is."""

    TARGET_DECLARATION = "target_declaration"
    SELF_EVALUATION = "self_evaluation"
    TRANSFER_SELF_EVALUATION = "transfer_self_evaluation"
    DEPARTMENT_SELF_EVALUATION = "department_self_evaluation"
    DEPARTMENT_DECLARATION = "department_declaration"
    MONITORING = "monitoring"

    @property
    def label(self) -> str:
        """The Chinese name of the form."""
        return _KIND_LABELS[self]

    @property
    def is_department(self) -> bool:
        """True for the department-wide forms (部门整体支出绩效), whose subject is a department, not a project."""
        return self in (Kind.DEPARTMENT_SELF_EVALUATION, Kind.DEPARTMENT_DECLARATION)


_KIND_LABELS = {
    Kind.TARGET_DECLARATION: "财政项目支出绩效目标申报表",
    Kind.SELF_EVALUATION: "财政项目支出绩效自评表",
    Kind.TRANSFER_SELF_EVALUATION: "中央对地方转移支付区域绩效目标自评表",
    Kind.DEPARTMENT_SELF_EVALUATION: "部门（单位）整体支出绩效自评表",
    Kind.DEPARTMENT_DECLARATION: "部门（单位）整体支出绩效目标申报表",
    Kind.MONITORING: "项目支出绩效目标执行监控表",
}

GRADES = ("优", "良", "中", "差")  # best first; each pack's score bands (RulePack.grades) say where each begins
# The 资金管理情况 items of the transfer-payment self-evaluation, in the order the official form prints them.
FUND_MANAGEMENT_ITEMS = (
    "分配科学性",
    "下达及时性",
    "拨付合规性",
    "使用规范性",
    "执行准确性",
    "预算绩效管理情况",
    "支出责任履职情况",
)
MONEY_UNITS = ("元", "万元")
# The monitoring form's 偏差原因 types and 完成目标可能性 answers, in the order the official form prints them.
DEVIATION_CAUSES = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")
LIKELIHOODS = ("确定能", "有可能", "完全不可能")

# Keys of the funding block, in the order the forms print them.
FUND_ROWS = ("total", "current_appropriation", "carryover", "other", "central", "local")
FUND_ROW_LABELS = {
    "total": "年度资金总额",
    "current_appropriation": "其中：当年财政拨款",
    "carryover": "上年结转资金",
    "other": "其他资金",
    "central": "其中：中央财政资金",
    "local": "地方资金",
}


@dataclass(frozen=True)
class FundRow:
    """One row of the funding block; each column is present only where printed."""

    initial: Decimal | None = None
    adjusted: Decimal | None = None
    executed: Decimal | None = None
    requested: Decimal | None = None
    rate_pct: Decimal | None = None
    forecast: Decimal | None = None  # 全年预计执行数 (monitoring)

    def is_empty(self) -> bool:
        """True when the row prints no figure at all."""
        figures = (self.initial, self.adjusted, self.executed, self.requested, self.rate_pct, self.forecast)
        return all(v is None for v in figures)


@dataclass(frozen=True)
class Funds:
    """The funding block (项目资金 / 资金投入情况)."""

    total: FundRow | None = None
    current_appropriation: FundRow | None = None
    carryover: FundRow | None = None
    other: FundRow | None = None
    central: FundRow | None = None
    local: FundRow | None = None

    def rows(self) -> list[tuple[str, FundRow]]:
        """The printed rows as (key, row), in form order."""
        out: list[tuple[str, FundRow]] = []
        for key in FUND_ROWS:
            row = getattr(self, key)
            if row is not None:
                out.append((key, row))
        return out


# A department-wide form's money by source (按收入性质分) and by nature (按支出性质分), in printed order.
DEPARTMENT_SOURCES = ("general_budget", "government_fund", "special_account", "other")
DEPARTMENT_NATURES = ("basic", "project")
DEPARTMENT_FUND_LABELS = {
    "general_budget": "一般公共预算",
    "government_fund": "政府性基金",
    "special_account": "纳入专户管理的非税收入",
    "other": "其他资金",
    "basic": "基本支出",
    "project": "项目支出",
}


@dataclass(frozen=True)
class DepartmentFunds:
    """A department-wide form's money split twice: by source and by nature (each row as printed).

    Both splits are parts of the form's 年度资金总额 (``Project.funds.total``); either may be absent.
    """

    general_budget: FundRow | None = None
    government_fund: FundRow | None = None
    special_account: FundRow | None = None
    other: FundRow | None = None
    basic: FundRow | None = None
    project: FundRow | None = None

    def by_source(self) -> list[tuple[str, FundRow]]:
        """The printed source rows as (key, row), in form order."""
        return [(k, getattr(self, k)) for k in DEPARTMENT_SOURCES if getattr(self, k) is not None]

    def by_nature(self) -> list[tuple[str, FundRow]]:
        """The printed nature rows as (key, row), in form order."""
        return [(k, getattr(self, k)) for k in DEPARTMENT_NATURES if getattr(self, k) is not None]


@dataclass(frozen=True)
class Goal:
    """One of a department's several 年度总体目标 (预期目标) with what was achieved (实际完成情况)."""

    goal: str
    outcome: str | None = None


@dataclass(frozen=True)
class Execution:
    """The 预算执行率 scoring row of a self-evaluation: 分值, 执行率, 得分."""

    weight: Decimal | None = None
    rate_pct: Decimal | None = None
    score: Decimal | None = None


@dataclass(frozen=True)
class FundManagementRow:
    """One of the seven 资金管理情况 checks of a transfer-payment form."""

    item: str
    description: str | None = None
    remedy: str | None = None


@dataclass(frozen=True)
class Indicator:
    """One row of the indicator table (三级指标 with its two parent levels).

    ``level1`` is ``""`` when the form prints no level-1 column at all (JSON ``null``).
    """

    level1: str
    level2: str | None
    name: str
    target: str | None = None
    actual: str | None = None
    weight: Decimal | None = None
    score: Decimal | None = None
    deviation: str | None = None
    # monitoring only: 全年预计完成值, 偏差原因类型, 完成目标可能性, 纠偏措施 (``actual`` is then 截至监控日完成值)
    forecast: str | None = None
    cause: tuple[str, ...] | None = None
    likelihood: str | None = None
    remedy: str | None = None


@dataclass(frozen=True)
class Project:
    """One form: a budget project with its money, goals and indicators.

    ``name`` is ``""`` on a form that names no project: a department-wide form
    (部门整体支出绩效自评表), whose subject is its ``department`` (JSON ``null``).
    """

    name: str
    department: str | None = None
    unit: str | None = None
    central_department: str | None = None
    nature: str | None = None
    category: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    money_unit: str | None = None
    funds: Funds = field(default_factory=Funds)
    execution: Execution | None = None
    goal: str | None = None
    overall_goal: str | None = None
    outcome: str | None = None
    fund_management: tuple[FundManagementRow, ...] | None = None
    indicators: tuple[Indicator, ...] = ()
    total_score: Decimal | None = None
    grade: str | None = None
    as_of: str | None = None  # monitoring: 监控截止日期, YYYY-MM-DD
    # department-wide forms only: the money by source and nature, and the several 年度总体目标
    department_funds: DepartmentFunds | None = None
    goals: tuple[Goal, ...] | None = None

    def with_indicators(self, indicators: tuple[Indicator, ...]) -> Project:
        """A copy of this project with other indicators."""
        return replace(self, indicators=indicators)


@dataclass(frozen=True)
class Document:
    """A performance document: its kind, its year and its projects."""

    kind: Kind
    year: int | None
    projects: tuple[Project, ...] = ()
    notes: tuple[str, ...] = ()
    schema: str = SCHEMA

    @property
    def indicator_count(self) -> int:
        """How many indicator rows all projects hold together."""
        return sum(len(p.indicators) for p in self.projects)
