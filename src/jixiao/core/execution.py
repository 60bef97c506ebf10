"""Budget execution from the payment system, matched to projects (issue 16, item 5). Pure: no Django, no files.

A payment-system export (国库集中支付 / 预算执行) gives, per row, a project's code or its department, unit
and name, and the amount paid to date. :func:`plan` matches every row to the projects in a monitoring
round's scope and returns an :class:`ExecutionPlan`: what matched, what did not, what is ambiguous or
duplicated, which projects have no row, and the figures that cannot be (more paid than the budget). The web
shows the plan as a preview and calls :meth:`ExecutionPlan.figures` to apply it: that gives every figure or
raises :class:`PlanError` listing every reason not to, so a plan is applied whole or not at all.

How a row finds its project (docs/execution-import.md):

1. by project code, when the row has one and a project in scope carries it;
2. else by department + unit + project name, each normalised (:func:`normalise`);
3. else by unit + project name, when exactly one project in scope has them.

A step that finds several projects makes the row ambiguous (it is never guessed); a row that finds none
is unmatched. Two rows for one project are both reported as duplicated and neither is used: the export
may list a project once per funding source, and summing them silently could count a payment twice.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from jixiao.core.errors import JixiaoError

__all__ = [
    "MAX_YUAN",
    "Ambiguous",
    "Duplicated",
    "ExecutionPlan",
    "ExecutionRow",
    "Figure",
    "Match",
    "OverBudget",
    "PlanError",
    "Project",
    "ProjectId",
    "budgets_differ",
    "normalise",
    "normalise_code",
    "plan",
    "totals",
]

ProjectId = int | str
# The largest amount a figure may have: 16 digits before the fen, as the cycle's money columns hold
# (18 digits, 2 of them decimals); the reader refuses more, naming the row, rather than fail on saving.
MAX_YUAN = Decimal(10) ** 16

# How a row found its project, in the words the preview shows.
VIA = {"code": "项目编码", "department": "主管部门+单位+项目名称", "unit": "单位+项目名称"}


@dataclass(frozen=True)
class ExecutionRow:
    """One row of a payment-system export, its amount in 元 (exact to the fen), and where it was read."""

    file: str
    row: int  # the row (XLSX) or line (CSV) number in its file, 1-based, as the user sees it
    amount: Decimal  # paid to date, 元
    code: str | None = None
    department: str = ""
    unit: str = ""
    name: str = ""
    budget: Decimal | None = None  # the year's budget the export prints, 元, if it prints one
    as_of: date | None = None
    sheet: str | None = None
    column: str = ""  # the amount column's header as printed, such as 截至7月31日执行数

    @property
    def where(self) -> str:
        """``付款.xlsx 工作表 支付 第5行``: the place a reader names to find the row."""
        sheet = f" 工作表「{self.sheet}」" if self.sheet else ""
        return f"{self.file}{sheet} 第{self.row}行"

    @property
    def label(self) -> str:
        """The row's project as the export names it: code and name, or unit and name."""
        parts = [p for p in (self.code, self.department, self.unit, self.name) if p]
        return " / ".join(parts) or "(未写明项目)"


@dataclass(frozen=True)
class Project:
    """A project in the round's scope, as the matcher needs it (the web builds these from its records)."""

    id: ProjectId
    code: str | None
    department: str
    unit: str
    name: str
    budget: Decimal | None = None  # 年度预算数, 元

    @property
    def label(self) -> str:
        """The project as a reviewer knows it."""
        code = f"{self.code} " if self.code else ""
        return f"{code}{self.department} / {self.unit} / {self.name}"


@dataclass(frozen=True)
class Match:
    """A row and the one project it belongs to, and by which key it was found (a key of :data:`VIA`)."""

    row: ExecutionRow
    project: Project
    via: str


@dataclass(frozen=True)
class Ambiguous:
    """A row that fits several projects at the first step that finds any; it is not used."""

    row: ExecutionRow
    candidates: tuple[Project, ...]
    via: str

    @property
    def message(self) -> str:
        """What the reviewer reads: the row, and the projects it could be."""
        names = "；".join(p.label for p in self.candidates)
        count = len(self.candidates)
        return f"{self.row.where}：按{VIA[self.via]}可对应 {count} 个项目（{names}），请在文件中填写项目编码"


@dataclass(frozen=True)
class Duplicated:
    """Two or more rows for one project: all of them are reported and none is used."""

    project: Project
    rows: tuple[ExecutionRow, ...]

    @property
    def message(self) -> str:
        """Both places and both amounts, so the reviewer can merge them in the file."""
        places = "、".join(f"{r.where}（{r.amount} 元）" for r in self.rows)
        return f"项目 {self.project.label} 在文件中出现 {len(self.rows)} 次：{places}；请合并为一行后重新导入"


@dataclass(frozen=True)
class OverBudget:
    """A figure that cannot be: more paid to date than the project's 年度预算数 (a warning, both numbers)."""

    row: ExecutionRow
    project: Project
    amount: Decimal
    budget: Decimal

    @property
    def message(self) -> str:
        """Both numbers, and where the row is."""
        return (
            f"{self.row.where}：项目 {self.project.label} 已支付 {self.amount} 元，"
            f"超过年度预算数 {self.budget} 元（超出 {self.amount - self.budget} 元），请核对"
        )


@dataclass(frozen=True)
class Figure:
    """What applying the plan writes for one project: the amount to date, its as-of date and its source."""

    amount: Decimal
    as_of: date | None
    source: str  # the row's place, for the audit event and the form's note


class PlanError(JixiaoError):
    """A plan that cannot be applied; ``reasons`` lists every one of them in Chinese."""

    def __init__(self, reasons: Sequence[str]) -> None:
        super().__init__("执行数未导入：" + "；".join(reasons))
        self.reasons = tuple(reasons)

    def __str__(self) -> str:
        return self.message  # each reason names its own file and row


@dataclass(frozen=True)
class ExecutionPlan:
    """The outcome of matching, to preview and then apply whole (:meth:`figures`)."""

    matched: tuple[Match, ...]
    unmatched: tuple[ExecutionRow, ...]
    ambiguous: tuple[Ambiguous, ...]
    duplicated: tuple[Duplicated, ...]
    missing: tuple[Project, ...]  # in scope, with no row in the file
    over_budget: tuple[OverBudget, ...]
    notes: tuple[str, ...] = ()  # for the reviewer, not blocking: other dates, other department names
    digest: str = field(default="")  # what the preview showed; applying checks it is still the same

    @property
    def blocking(self) -> list[str]:
        """The reasons the plan cannot be applied as it is (ambiguous and duplicated rows), in Chinese."""
        return [a.message for a in self.ambiguous] + [d.message for d in self.duplicated]

    def figures(self, *, accept_unmatched: bool = False, expected_digest: str | None = None) -> dict[ProjectId, Figure]:
        """Every matched project's figure, or :class:`PlanError` with every reason not to apply any.

        Unmatched rows stop the import unless the reviewer has seen them and accepts leaving them out
        (``accept_unmatched``): a file of the whole province lists projects outside the round. Passing the
        ``digest`` of the preview the reviewer saw refuses a plan that has changed since.
        """
        reasons = self.blocking
        if self.unmatched and not accept_unmatched:
            reasons += [f"{r.where}：未找到对应项目（{r.label}）" for r in self.unmatched]
        if expected_digest is not None and expected_digest != self.digest:
            reasons.append("导入预览已过期（文件或项目范围已变化），请重新预览后再确认")
        if reasons:
            raise PlanError(reasons)
        return {m.project.id: Figure(m.row.amount, m.row.as_of, m.row.where) for m in self.matched}


_SPACES = re.compile(r"\s+")
_BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")", "［": "(", "］": ")"})


def normalise(text: str | None, *, project_name: bool = False) -> str:
    """A name as the matcher compares it: NFKC (full-width to half), no spaces, one kind of bracket.

    A project name also loses a trailing 项目 (``校舍维修项目`` is ``校舍维修``), as exports and
    declarations disagree on it.
    """
    if not text:
        return ""
    out = _SPACES.sub("", unicodedata.normalize("NFKC", text)).translate(_BRACKETS).casefold()
    if project_name and out.endswith("项目") and len(out) > 2:
        out = out[:-2]
    return out


def normalise_code(code: str | None) -> str:
    """A project code as compared: NFKC, no spaces, upper case (``  2024-ab01`` is ``2024-AB01``)."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", code or "")).upper()


class _Index:
    """The projects by each key the matcher tries."""

    def __init__(self, projects: Iterable[Project]) -> None:
        self.by_code: dict[str, list[Project]] = defaultdict(list)
        self.by_department: dict[tuple[str, str, str], list[Project]] = defaultdict(list)
        self.by_unit: dict[tuple[str, str], list[Project]] = defaultdict(list)
        for p in projects:
            if p.code and normalise_code(p.code):
                self.by_code[normalise_code(p.code)].append(p)
            name, unit = normalise(p.name, project_name=True), normalise(p.unit)
            self.by_department[(normalise(p.department), unit, name)].append(p)
            self.by_unit[(unit, name)].append(p)

    def find(self, row: ExecutionRow) -> tuple[str, list[Project]]:
        """The first step that finds any project, and what it finds (empty: unmatched)."""
        code = normalise_code(row.code)
        if code and code in self.by_code:
            return "code", self.by_code[code]
        name, unit = normalise(row.name, project_name=True), normalise(row.unit)
        if not name:
            return "code", []
        department = normalise(row.department)
        if department and (found := self.by_department.get((department, unit, name))):
            return "department", found
        return "unit", self.by_unit.get((unit, name), [])


def plan(rows: Sequence[ExecutionRow], projects: Sequence[Project], as_of: date | None = None) -> ExecutionPlan:
    """Match every row to the projects in scope (code, then department + unit + name, then unit + name).

    ``as_of`` is the round's 截至 date: a row dated otherwise is noted (the export may be of another day).
    """
    index = _Index(projects)
    unmatched: list[ExecutionRow] = []
    ambiguous: list[Ambiguous] = []
    by_project: dict[ProjectId, list[Match]] = defaultdict(list)
    for row in rows:
        via, found = index.find(row)
        if not found:
            unmatched.append(row)
        elif len(found) > 1:
            ambiguous.append(Ambiguous(row, tuple(found), via))
        else:
            by_project[found[0].id].append(Match(row, found[0], via))
    matched = [group[0] for group in by_project.values() if len(group) == 1]
    duplicated = [
        Duplicated(group[0].project, tuple(m.row for m in group)) for group in by_project.values() if len(group) > 1
    ]
    missing = [p for p in projects if p.id not in by_project]
    over = [o for m in matched if (o := _over_budget(m)) is not None]
    return ExecutionPlan(
        matched=tuple(matched),
        unmatched=tuple(unmatched),
        ambiguous=tuple(ambiguous),
        duplicated=tuple(duplicated),
        missing=tuple(missing),
        over_budget=tuple(over),
        notes=tuple(_notes(matched, as_of)),
        digest=_digest(matched, unmatched, ambiguous, duplicated),
    )


def _over_budget(m: Match) -> OverBudget | None:
    """More paid than the project's budget (the export's own when the project has none), or None."""
    budget = m.project.budget if m.project.budget is not None else m.row.budget
    if budget is None or m.row.amount <= budget:
        return None
    return OverBudget(m.row, m.project, m.row.amount, budget)


_HEADER_DAY = re.compile(r"截[至止](?:\d{4}年)?(\d{1,2})月(\d{1,2})日")


def _column_notes(rows: Iterable[ExecutionRow], as_of: date | None) -> list[str]:
    """An amount column headed 截至6月30日… in a round as of another day: once per file and sheet."""
    out: list[str] = []
    seen: set[tuple[str, str | None]] = set()
    for row in rows:
        day = _HEADER_DAY.search(unicodedata.normalize("NFKC", row.column))
        if as_of is None or day is None or (row.file, row.sheet) in seen:
            continue
        seen.add((row.file, row.sheet))
        if (int(day[1]), int(day[2])) != (as_of.month, as_of.day):
            sheet = f" 工作表「{row.sheet}」" if row.sheet else ""
            out.append(f"{row.file}{sheet}：金额列「{row.column}」与本轮监控的截至日期 {as_of} 不同，请确认导出的日期")
    return out


def _notes(matched: Sequence[Match], as_of: date | None) -> list[str]:
    """What the reviewer should see before applying: a row of another date, a department named otherwise."""
    out = _column_notes((m.row for m in matched), as_of)
    for m in matched:
        if as_of is not None and m.row.as_of is not None and m.row.as_of != as_of:
            out.append(f"{m.row.where}：截止日期为 {m.row.as_of}，与本轮监控的截至日期 {as_of} 不同，请确认导出的日期")
        if m.via == "unit" and m.row.department and normalise(m.row.department) != normalise(m.project.department):
            out.append(
                f"{m.row.where}：主管部门写作「{m.row.department}」，按单位和项目名称对应到"
                f"「{m.project.department}」的项目 {m.project.name}，请确认"
            )
    return out


def _digest(
    matched: Sequence[Match],
    unmatched: Sequence[ExecutionRow],
    ambiguous: Sequence[Ambiguous],
    duplicated: Sequence[Duplicated],
) -> str:
    """A fingerprint of what the preview shows: each row's place, amount and project."""
    h = hashlib.sha256()
    for m in matched:
        h.update(f"m|{m.row.where}|{m.row.amount}|{m.row.as_of}|{m.project.id}\n".encode())
    for r in unmatched:
        h.update(f"u|{r.where}|{r.amount}\n".encode())
    for a in ambiguous:
        h.update(f"a|{a.row.where}|{[p.id for p in a.candidates]}\n".encode())
    for d in duplicated:
        h.update(f"d|{d.project.id}|{[r.where for r in d.rows]}\n".encode())
    return h.hexdigest()


def budgets_differ(plan_: ExecutionPlan) -> list[str]:
    """Rows whose printed 年度预算数 differs from the project's (information for the preview, both numbers)."""
    return [
        f"{m.row.where}：文件中的年度预算数 {m.row.budget} 元与项目的年度预算数 {m.project.budget} 元不一致"
        for m in plan_.matched
        if m.row.budget is not None and m.project.budget is not None and m.row.budget != m.project.budget
    ]


def totals(plan_: ExecutionPlan) -> Mapping[str, Decimal]:
    """The preview's sums: amount matched, unmatched, and held back (ambiguous or duplicated), 元."""
    return {
        "matched": sum((m.row.amount for m in plan_.matched), Decimal(0)),
        "unmatched": sum((r.amount for r in plan_.unmatched), Decimal(0)),
        "held": sum((a.row.amount for a in plan_.ambiguous), Decimal(0))
        + sum((r.amount for d in plan_.duplicated for r in d.rows), Decimal(0)),
    }
