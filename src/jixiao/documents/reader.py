"""From a text source to a document: forms found, each project read, every line accounted for."""

from __future__ import annotations

from jixiao.core.errors import Location, SourceError
from jixiao.core.model import Document, Execution, Kind, Project
from jixiao.documents import flow, keyed, tables
from jixiao.documents.fields import (
    Used,
    money_unit_in,
    read_after,
    read_fund_management,
    read_funds,
    read_goals,
    read_identity,
)
from jixiao.documents.forms import (
    FormRegion,
    document_kind,
    document_year,
    is_boilerplate,
    running_heads,
    split_projects,
    split_sections,
    title_kind,
)
from jixiao.documents.result import ImportResult, Problems, Progress, ProjectSource, no_progress
from jixiao.documents.rows import Row, make_rows
from jixiao.documents.text import TextSource


def _is_tabbed(rows: list[Row]) -> bool:
    filled = [r for r in rows if not r.blank]
    return bool(filled) and sum(r.tabbed for r in filled) * 2 >= len(filled)


def read_project(
    region: FormRegion, kind: Kind, problems: Problems, used: Used, widths: flow.Widths | None = None
) -> tuple[Project, ProjectSource]:
    """One project from the rows of its form."""
    parts = split_sections(region.rows)
    identity = read_identity(parts["identity"], used, problems)
    funds = read_funds(parts["funds"], kind, problems, used)
    goals = read_goals(parts["goals"], kind, used)
    fund_management = None
    if kind is Kind.TRANSFER_SELF_EVALUATION:
        fund_management = read_fund_management(parts["fund_management"], used)
    table_rows = parts["table"]
    total, grade, leftovers = read_after(parts["after"], used)
    if keyed.is_keyed(table_rows):
        drafts = keyed.read_keyed(table_rows, problems, used)
    elif _is_tabbed(table_rows):
        drafts = tables.read_table(table_rows, kind, problems, used)
        tables.adopt_labels_after_break(drafts)
        drafts = tables.drop_page_repeats(drafts)
    else:
        # a flowing table may find its displaced values after the 总分 line
        drafts, leftovers = flow.read_table(table_rows, leftovers, kind, problems, used, widths)
    for row in leftovers:
        if not row.blank and not is_boilerplate(row) and not title_kind(row.text):
            problems.warn(row.number, "表格之后的内容未能归入任何指标", row.text.strip())
        used.row(row)
    execution = None
    if funds.execution is not None:
        execution = Execution(*funds.execution)
    name = identity.pop("name", "")
    if not name:
        problems.warn(region.rows[0].number, "没有读到项目名称")
    project = Project(
        name=name,
        department=identity.get("department"),
        unit=identity.get("unit"),
        central_department=identity.get("central_department"),
        nature=identity.get("nature"),
        category=identity.get("category"),
        start_date=identity.get("start_date"),
        end_date=identity.get("end_date"),
        money_unit=funds.money_unit or money_unit_in(parts["identity"]),
        funds=funds.funds,
        execution=execution,
        goal=goals.get("goal"),
        overall_goal=goals.get("overall_goal"),
        outcome=goals.get("outcome"),
        fund_management=fund_management,
        indicators=tables.finish(drafts),
        total_score=total,
        grade=grade,
        as_of=identity.get("as_of"),
    )
    source = ProjectSource(
        first_line=region.rows[0].number,
        last_line=region.rows[-1].number,
        indicator_lines=tuple(d.lines[0] if d.lines else 0 for d in drafts),
    )
    return project, source


def read_text(source: TextSource, progress: Progress = no_progress) -> ImportResult:
    """Read every project of a text source; lines that fit nowhere become warnings.

    ``progress`` is told each stage and, while projects are read, how many are done: a 20 MB
    file takes tens of seconds, and a person should see that it is moving.
    """
    progress(0.02, "整理各行")
    rows = make_rows(source.lines)
    progress(0.30, "划分项目")
    problems = Problems(source.name)
    used = Used()
    heads = running_heads(rows)
    if heads:
        # a page header marks a page break, like a blank line; it is placed, not read
        used.rows([r for r in rows if r.squeezed in heads])
        rows = [Row(r.number, "", (), False, 0) if r.squeezed in heads else r for r in rows]
    preamble, regions = split_projects(rows)
    if not regions:
        raise SourceError(
            "没有找到任何项目：文中没有「项目名称」一栏，不像绩效目标表或绩效自评表",
            Location(file=source.name, line=1),
        )
    kind = document_kind(preamble, regions)
    if kind is None:
        raise SourceError(
            "无法判断表格种类（绩效目标申报表、绩效自评表或转移支付自评表）",
            Location(file=source.name, line=regions[0].rows[0].number),
        )
    year = document_year(preamble, regions)
    projects: list[Project] = []
    sources: list[ProjectSource] = []
    # Column widths are a property of the publication: learn them from all its tables.
    table_rows = [r for region in regions for r in split_sections(region.rows)["table"]]
    widths = None if _is_tabbed(table_rows) else flow.measure(table_rows)
    for n, region in enumerate(regions):
        progress(0.40 + 0.55 * n / len(regions), f"读取项目 {n + 1}/{len(regions)}")
        project, where = read_project(region, kind, problems, used, widths)
        projects.append(project)
        sources.append(where)
    progress(0.95, "核对未读取的行")
    _account_for_preamble(preamble, kind, used, problems)
    for row in rows:
        if row.number not in used.lines and not row.blank and not is_boilerplate(row) and not title_kind(row.text):
            problems.warn(row.number, "未能归入任何字段的内容", row.text.strip())
    document = Document(kind=kind, year=year, projects=tuple(projects))
    layout = "tabbed" if _is_tabbed(rows) else "flowing"
    return ImportResult(
        source=source.name,
        document=document,
        warnings=tuple(sorted(problems.items, key=lambda w: w.location.line or 0)),
        projects=tuple(sources),
        encoding=source.encoding,
        layout=layout,
    )


def _account_for_preamble(preamble: list[Row], kind: Kind, used: Used, problems: Problems) -> None:
    """Lines before the first form: titles, and a report's narrative.

    A 绩效自评报告 or a department's cover text restates or frames the forms
    in prose; the forms are what is read. The narrative is reported once,
    as a note with its line range, not line by line.
    """
    text_rows = [r for r in preamble if not r.blank]
    narrative = [r for r in text_rows if not (title_kind(r.text) or is_boilerplate(r) or "汇总表" in r.squeezed)]
    used.rows(text_rows)
    if narrative and kind is not Kind.TRANSFER_SELF_EVALUATION:
        first, last = narrative[0].number, narrative[-1].number
        problems.note(first, f"第{first}至{last}行是表格之前的说明文字，未作为项目读取", narrative[0].text.strip())
