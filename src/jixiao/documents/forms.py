"""Finding the forms in a text: what kind, which year, where each project starts and its sections."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from jixiao.core.model import Kind
from jixiao.documents.rows import Row
from jixiao.documents.vocab import FIELD_LABELS, GRADE_LABELS, TOTAL_LABELS, fund_row_key, squeeze

# 项目支出绩效目标执行监控表, 绩效运行监控表: checked first, since it also names 绩效目标
_TITLE_MONITORING = re.compile(r"执行监控(?:汇总)?表|运行监控(?:汇总)?表|绩效监控(?:汇总)?表|运行监控情况")
_TITLE_TRANSFER = re.compile(r"转移支付.*(?:自评表|自评报告)|区域绩效目标自评表")
_TITLE_SELF = re.compile(r"(?:项目)?(?:支出)?绩效自评表")
_TITLE_DECLARATION = re.compile(r"绩效目标(?:申报|汇总)表|绩效目标表")
_YEAR = re.compile(r"(20\d{2})\s*年\s*度")
_YEAR_IN_PARENS = re.compile(r"[(（]\s*(20\d{2})\s*年?\s*度?\s*[)）]")
_DATE = re.compile(r"(20\d{2})-\d{2}-\d{2}")
_NAME_LABEL = re.compile(r"^(?:项目名称|转移支付\(项目\)名称|转移支付名称|项目名称:)")
_FOOTER = re.compile(r"^(?:-\s*\d+\s*-|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|—\s*\d+\s*—)$")

# Vertical labels printed one or two characters per line, and other headings
# of merged cells that carry no value: placed, never read.
BOILERPLATE = frozenset(
    {
        "绩",
        "效",
        "指",
        "标",
        "绩效",
        "指标",
        "绩效指标",
        "年度",
        "总体",
        "目标",
        "年度总体目标",
        "项目绩效目标",
        "项目",
        "绩效目标",
        "总体目标完成情况",
        "项目资金",
        "资金投入情况",
    }
)


_PAGE_HEAD = re.compile(r"20\d{2}年.*(?:决算|预算|公开|报告)$|(?:局|委员会|政府|中心|办公室)$")


def _is_page_head(s: str) -> bool:
    return len(s) >= 8 and not any(p in s for p in "，、；,") and bool(_PAGE_HEAD.search(s))


def running_heads(rows: list[Row]) -> set[str]:
    """Page headers repeated on every page (``某某局2023年度部门决算``): lone lines printed twice or more.

    A lone line repeated is a running header only if it names a year, a
    publication or an office; a repeated name fragment such as ``管理人员满意度``
    must stay data.
    """
    seen: dict[str, int] = {}
    for row in rows:
        if len(row.filled) == 1:
            s = row.squeezed
            if _is_page_head(s):
                seen[s] = seen.get(s, 0) + 1
    return {s for s, n in seen.items() if n >= 2 and title_kind(s) is None}


def title_kind(text: str) -> Kind | None:
    """The kind of form a title line names, or None when the line is not a form title."""
    s = squeeze(text)
    if len(s) > 80:
        return None
    if _TITLE_MONITORING.search(s):
        return Kind.MONITORING
    if _TITLE_TRANSFER.search(s):
        return Kind.TRANSFER_SELF_EVALUATION
    if _TITLE_SELF.search(s):
        return Kind.SELF_EVALUATION
    if _TITLE_DECLARATION.search(s):
        return Kind.TARGET_DECLARATION
    return None


def is_footer(row: Row) -> bool:
    """True for a page number line such as ``- 7 -`` or ``第 3 页 共 9 页``."""
    return bool(_FOOTER.match(row.text.strip()))


_SIGNATURE = re.compile(r"^(?:填表人|填报人|联系人|联系电话|填报日期|审核人|单位负责人|财务负责人|项目负责人)[:：(（]")


def is_boilerplate(row: Row) -> bool:
    """True for lines that belong to the form's frame: vertical headings, page numbers, year lines, signatures."""
    s = row.squeezed
    if not s:
        return True
    if s in BOILERPLATE or is_footer(row) or _SIGNATURE.match(s):
        return True
    if title_kind(row.text) is not None and len(s) <= 60:
        return True
    return bool(_YEAR_IN_PARENS.fullmatch(s))


def is_project_start(row: Row) -> bool:
    """True for the row that opens a project: its 项目名称 label."""
    cells = row.filled
    return bool(cells) and bool(_NAME_LABEL.match(squeeze(cells[0])))


_TOTAL = re.compile(r"^(?:" + "|".join(TOTAL_LABELS) + r")(?::|$|\d)")


def is_total(row: Row) -> bool:
    """True for the 总分 row that closes an indicator table (``总分``, ``总分：100 得分：99.36``)."""
    cells = row.filled
    return bool(cells) and bool(_TOTAL.match(squeeze(cells[0])))


def is_grade(row: Row) -> bool:
    """True for the 评分等级 row."""
    cells = row.filled
    return bool(cells) and any(squeeze(cells[0]).startswith(g) for g in GRADE_LABELS)


@dataclass
class FormRegion:
    """The rows of one project's form, and the kind and year its title gave."""

    rows: list[Row]
    kind: Kind | None = None
    year: int | None = None
    titles: list[Row] = field(default_factory=list)


def _is_year_line(row: Row) -> bool:
    """A line that only states the year, such as ``(2022 年度)`` or ``2023年度``; never a sentence."""
    s = row.squeezed
    return len(s) <= 12 and year_of(s) is not None


def year_of(text: str) -> int | None:
    """The 年度 a title or year line prints, e.g. ``(2022 年度)`` -> 2022."""
    s = squeeze(text)
    m = _YEAR_IN_PARENS.search(s) or _YEAR.search(s)
    return int(m.group(1)) if m else None


_FORM_HEAD = re.compile(r"^(?:填报单位|单位[:：]|金额单位|\(?单位[:：]|表\d+$|附表\d*$)")


def _is_form_head(row: Row) -> bool:
    """A line printed above a form's 项目名称: its title, year, filing unit or money unit."""
    s = row.squeezed
    return bool(title_kind(row.text) or _YEAR_IN_PARENS.fullmatch(s) or _FORM_HEAD.match(s))


def split_projects(rows: list[Row]) -> tuple[list[Row], list[FormRegion]]:
    """Split rows into the preamble and one region per project.

    A region runs from the lines printed above its 项目名称 (title, year,
    filing unit, money unit) to the line before the next region.
    """
    starts = [i for i, row in enumerate(rows) if is_project_start(row)]
    for n, start in enumerate(starts):
        floor = starts[n - 1] + 1 if n else 0
        i = start
        while i - 1 >= floor and (rows[i - 1].blank or _is_form_head(rows[i - 1])):
            i -= 1
        while i < start and rows[i].blank:
            i += 1
        starts[n] = i
    if not starts:
        return rows, []
    preamble = rows[: starts[0]]
    regions: list[FormRegion] = []
    kind: Kind | None = None
    year: int | None = None
    # Titles before a start belong to that start's form.
    for pos, start in enumerate(starts):
        end = starts[pos + 1] if pos + 1 < len(starts) else len(rows)
        look_from = starts[pos - 1] if pos else 0
        head_end = next((i for i in range(start, end) if is_project_start(rows[i])), start)
        titles = [r for r in rows[look_from:head_end] if title_kind(r.text) or _is_year_line(r)]
        for r in titles:
            k = title_kind(r.text)
            if k is not None:
                kind = k
            y = year_of(r.text)
            if y is not None and len(r.squeezed) <= 80:
                year = y
        regions.append(FormRegion(rows=rows[start:end], kind=kind, year=year, titles=titles))
    return preamble, regions


def document_kind(preamble: list[Row], regions: list[FormRegion]) -> Kind | None:
    """The kind of the whole document: the most common form title, else guessed from its labels."""
    kinds = Counter(r.kind for r in regions if r.kind is not None)
    for row in preamble:
        k = title_kind(row.text)
        if k is not None:
            kinds[k] += 1
    if kinds:
        # A transfer-payment report names its own kind in the title; prefer it.
        if Kind.TRANSFER_SELF_EVALUATION in kinds:
            return Kind.TRANSFER_SELF_EVALUATION
        return kinds.most_common(1)[0][0]
    text = "".join(r.squeezed for region in regions for r in region.rows[:40])
    if "全年预计" in text or "完成目标可能性" in text:
        return Kind.MONITORING
    if "中央主管部门" in text or "资金管理情况" in text:
        return Kind.TRANSFER_SELF_EVALUATION
    if "实际完成值" in text or "得分" in text:
        return Kind.SELF_EVALUATION
    if "指标值" in text:
        return Kind.TARGET_DECLARATION
    return None


def document_year(preamble: list[Row], regions: list[FormRegion]) -> int | None:
    """The year printed most often in titles; else the year of the planned dates."""
    years = Counter(r.year for r in regions if r.year is not None)
    for row in preamble:
        if title_kind(row.text) or _YEAR_IN_PARENS.fullmatch(row.squeezed):
            y = year_of(row.text)
            if y is not None:
                years[y] += 1
    if years:
        return years.most_common(1)[0][0]
    for region in regions:
        for row in region.rows[:12]:
            m = _DATE.search(row.text)
            if m:
                return int(m.group(1))
    return None


# -- sections of one form ----------------------------------------------------

SECTIONS = ("identity", "funds", "fund_management", "goals", "table", "after")


def _is_funds_start(row: Row) -> bool:
    s = row.squeezed
    if s.startswith(("项目资金", "资金投入情况", "资金情况")):
        return True
    cells = row.filled
    if cells and fund_row_key(cells[0]) is not None:
        return True
    return "年初预算数" in s or "全年预算数" in s


def _is_goals_start(row: Row) -> bool:
    s = row.squeezed
    if any(k in s for k in ("预期目标", "项目总目标", "年度总体目标", "总体目标")) and len(s) < 40:
        return True
    # 年度总体目标 | 预期目标 | the goal text itself, in one row
    heads = [squeeze(c).rstrip(":").split(":")[0] for c in row.filled[:2]]
    return any(h in ("年度总体目标", "预期目标", "总体目标", "项目总目标", "年度目标") for h in heads)


def _is_table_start(row: Row) -> bool:
    s = row.squeezed
    if "一级指标" in s or "三级指标" in s or "指标名称" in s or s == "一级":
        return True
    # a keyed form: 绩效指标完成情况：, or its first level heading (（一）产出指标, 一、产出指标)
    return bool(re.match(r"^(?:绩效指标(?:完成情况)?:?$|[(（]?[一1][)）、.．]?(?:产出|成本)指标)", s))


def _is_identity_label(row: Row) -> bool:
    cells = row.filled
    return bool(cells) and squeeze(cells[0]).rstrip(":") in FIELD_LABELS


def split_sections(rows: list[Row]) -> dict[str, list[Row]]:
    """Cut one project's rows into identity, funds, fund management, goals, table and after.

    Sections follow each other in this order on every form; a section's
    first row is the heading that opens it.
    """
    out: dict[str, list[Row]] = {name: [] for name in SECTIONS}
    state = "identity"
    for row in rows:
        if state == "identity" and _is_funds_start(row) and not _is_identity_label(row):
            state = "funds"
        elif state in ("identity", "funds") and row.squeezed.startswith("资金管理情况"):
            state = "fund_management"
        elif state in ("identity", "funds", "fund_management") and _is_goals_start(row):
            state = "goals"
        elif state in ("identity", "funds", "fund_management", "goals") and _is_table_start(row):
            state = "table"
        elif state == "table" and (is_total(row) or row.squeezed in ("说明", "说明无") or _is_note(row)):
            state = "after"
        out[state].append(row)
    return out


def _is_note(row: Row) -> bool:
    cells = row.filled
    return bool(cells) and squeeze(cells[0]) == "说明"
