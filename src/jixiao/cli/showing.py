"""``jixiao show``: a document (a text extraction, its JSON, a workbook, a PDF or a scan) printed as tables.

Values read from a scan with low confidence are marked 〔?〕 and listed with their page, cell and box.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from jixiao.cli.common import (
    EXIT_OK,
    EXIT_UNUSABLE,
    EXIT_WARNINGS,
    READS,
    epilog,
    exit_codes,
    print_error,
    print_warnings,
)
from jixiao.core.errors import JixiaoError
from jixiao.core.model import FUND_ROW_LABELS, Document, Kind, Project
from jixiao.documents.importer import import_path
from jixiao.documents.ocr import confidence
from jixiao.documents.reading.provenance import CONFIDENCE_LABELS
from jixiao.documents.result import ImportResult

MARK = "*"  # after a value the reader chose by arithmetic or inferred: a person should check it
UNSURE = "〔?〕"  # after a value read from a scan with low confidence: check it against the page


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``show`` verb."""
    p = sub.add_parser(
        "show",
        help="以表格显示一个文件的读取结果",
        description="以表格显示一个文件的读取结果：每个项目的基本信息、资金、目标和绩效指标，以及读取时的警告。",
        epilog=epilog(
            READS.replace("文件夹递归读取其中所有这些文件（隐藏文件和 README 除外）。", ""),
            exit_codes("0  读取完整，没有警告", "1  读取了，但有警告", "2  文件无法读取，或用法错误"),
        ),
    )
    p.add_argument("path", type=Path, metavar="PATH", help="一个文件（任何 jixiao 能读取的格式，扫描件和图片也可以）")
    p.add_argument("--project", metavar="名称", help="只显示名称包含此文字的项目")
    p.set_defaults(handler=run)


def _fmt(value: Decimal | str | None) -> str:
    if value is None:
        return "—"
    return str(value)


class _Marks:
    """Marks the values of one project a person should check: chosen or inferred by the reader (*),
    or recognised from a scan with low confidence (〔?〕)."""

    def __init__(self, result: ImportResult) -> None:
        self.fields = result.fields
        self.unsure = {path: r for path, r in result.recognised.items() if r.confidence < confidence.LOW}
        self.base = ""
        self.used = False

    def __call__(self, path: str, text: str) -> str:
        """``text`` (escaped for rich) with the marks of the value at ``path`` of the current project."""
        if not text or text == "—":
            return escape(text)
        key = f"{self.base}.{path}"
        source = self.fields.get(key)
        marked = escape(text)
        if source is not None and source.uncertain:
            self.used = True
            marked = f"[yellow]{marked}{MARK}[/]"
        if key in self.unsure:
            marked = f"{marked}[bold yellow]{UNSURE}[/]"
        return marked


def _print_unsure(result: ImportResult, marks: _Marks, console: Console) -> None:
    if not marks.unsure:
        return
    console.print(
        f"[bold yellow]{UNSURE}[/] 标出的 {len(marks.unsure)} 个值识别把握较低"
        f"（低于 {confidence.LOW:.0%}），请对照原件核对：",
        highlight=False,
    )
    for path, r in sorted(marks.unsure.items(), key=lambda item: (item[1].page, item[1].box[1], item[1].box[0])):
        where = result.locations.get(path)
        place = str(replace(where, file=None)) if where is not None else f"第{r.page}页"
        box = "，".join(f"{v:g}" for v in r.box)
        console.print(
            f"  {place}（位置 {box} 磅）：{path}，把握 {r.confidence:.0%}（识别 {r.ocr:.0%}，核对 {r.reader:.0%}）",
            highlight=False,
            soft_wrap=True,  # one value a line, never cut: the list is read and searched line by line
        )


def _project_tables(p: Project, doc: Document, console: Console, mark: _Marks | None = None) -> None:
    if mark is None:
        mark = _Marks(ImportResult(source="", document=doc))
    console.rule(f"[bold]{escape(p.name or p.department or '')}[/]")
    info = Table.grid(padding=(0, 2))
    info.add_column(style="dim")
    info.add_column()
    for label, value in (
        ("主管部门", p.department),
        ("实施单位", p.unit),
        ("中央主管部门", p.central_department),
        ("项目性质", p.nature),
        ("项目类别", p.category),
        ("计划期间", f"{p.start_date} 至 {p.end_date}" if p.start_date or p.end_date else None),
        ("监控截止日期", p.as_of),
    ):
        if value:
            info.add_row(label, value)
    console.print(info)
    rows = p.funds.rows()
    monitored = doc.kind is Kind.MONITORING
    if rows:
        funds = Table(title=f"项目资金（{p.money_unit or '单位未注明'}）", title_justify="left")
        funds.add_column("", overflow="fold")
        fund_columns = _MONITORED_FUND_COLUMNS if monitored else _FUND_COLUMNS
        for _, col in fund_columns:
            funds.add_column(col, justify="right")
        cols = tuple(c for c, _ in fund_columns)
        for key, row in rows:
            funds.add_row(
                FUND_ROW_LABELS[key],
                *(mark(f"funds.{key}.{c}", _fmt(getattr(row, c))) for c in cols),
            )
        console.print(funds)
    if p.execution is not None:
        e = p.execution
        console.print(
            f"预算执行率：分值 {mark('execution.weight', _fmt(e.weight))}，"
            f"执行率 {mark('execution.rate_pct', _fmt(e.rate_pct))}%，得分 {mark('execution.score', _fmt(e.score))}",
            highlight=False,
        )
    outcome = "截至监控日完成情况" if monitored else "实际完成情况"
    for label, text in (("项目总目标", p.overall_goal), ("年度目标", p.goal), (outcome, p.outcome)):
        if text:
            console.print(f"[dim]{label}[/]  {text}", highlight=False)
    if p.fund_management:
        fm = Table(title="资金管理情况", title_justify="left")
        for col in ("项目", "情况说明", "存在问题和改进措施"):
            fm.add_column(col)
        for r in p.fund_management:
            fm.add_row(r.item, r.description or "", r.remedy or "")
        console.print(fm)
    console.print(_monitored_table(p, mark) if monitored else _indicator_table(p, mark))
    if p.total_score is not None or p.grade:
        console.print(
            f"总分 {mark('total_score', _fmt(p.total_score))}"
            + (f"    评分等级 {mark('grade', p.grade)}" if p.grade else ""),
            highlight=False,
        )


_FUND_COLUMNS = (
    ("initial", "年初预算数"),
    ("adjusted", "全年预算数"),
    ("executed", "全年执行数"),
    ("requested", "申请总额"),
    ("rate_pct", "执行率(%)"),
)
_MONITORED_FUND_COLUMNS = (
    ("adjusted", "年度预算数"),
    ("executed", "截至监控日执行数"),
    ("rate_pct", "执行率(%)"),
    ("forecast", "全年预计执行数"),
)


def _level_labels(p: Project) -> list[tuple[str, str]]:
    """Each indicator's level labels as the table prints them: once at the head of each run."""
    out: list[tuple[str, str]] = []
    last: tuple[str, str | None] = ("", None)
    for ind in p.indicators:
        l1 = ind.level1 if ind.level1 != last[0] else ""
        l2 = (ind.level2 or "") if (ind.level1, ind.level2) != last else ""
        last = (ind.level1, ind.level2)
        out.append((l1, l2))
    return out


def _monitored_table(p: Project, mark: _Marks) -> Table:
    """A monitoring form's indicators: the value to date, the year's forecast, causes, likelihood and remedy."""
    table = Table(title="绩效指标执行监控", title_justify="left", show_lines=False)
    for col in (
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "截至监控日完成值",
        "全年预计完成值",
        "偏差原因类型",
        "偏差原因分析",
        "完成目标可能性",
        "纠偏措施",
    ):
        table.add_column(col, overflow="fold")
    for k, (ind, (l1, l2)) in enumerate(zip(p.indicators, _level_labels(p), strict=True)):
        at = f"indicators[{k}]."
        table.add_row(
            mark(at + "level1", l1),
            mark(at + "level2", l2),
            mark(at + "name", ind.name),
            mark(at + "target", ind.target or "—"),
            mark(at + "actual", ind.actual or ""),
            mark(at + "forecast", ind.forecast or ""),
            mark(at + "cause", "、".join(ind.cause or ())),
            mark(at + "deviation", ind.deviation or ""),
            mark(at + "likelihood", ind.likelihood or ""),
            mark(at + "remedy", ind.remedy or ""),
        )
    return table


def _indicator_table(p: Project, mark: _Marks) -> Table:
    """The project's indicators, level labels printed once per run, each value marked as read."""
    table = Table(title="绩效指标", title_justify="left", show_lines=False)
    for col, just in (
        ("一级指标", "left"),
        ("二级指标", "left"),
        ("三级指标", "left"),
        ("指标值", "left"),
        ("实际完成值", "left"),
        ("分值", "right"),
        ("得分", "right"),
        ("偏差原因分析及改进措施", "left"),
    ):
        table.add_column(col, justify=just, overflow="fold")  # type: ignore[arg-type]
    last: tuple[str, str | None] = ("", None)
    for k, ind in enumerate(p.indicators):
        l1 = ind.level1 if ind.level1 != last[0] else ""
        l2 = (ind.level2 or "") if (ind.level1, ind.level2) != last else ""
        last = (ind.level1, ind.level2)
        at = f"indicators[{k}]."
        table.add_row(
            mark(at + "level1", l1),
            mark(at + "level2", l2),
            mark(at + "name", ind.name),
            mark(at + "target", ind.target or "—"),
            mark(at + "actual", ind.actual or ""),
            mark(at + "weight", _fmt(ind.weight) if ind.weight is not None else ""),
            mark(at + "score", _fmt(ind.score) if ind.score is not None else ""),
            mark(at + "deviation", ind.deviation or ""),
        )
    return table


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Print one source's document as readable tables."""
    if not args.path.exists():
        err.print(f"[red]{args.path}: 文件不存在[/]")
        return EXIT_UNUSABLE
    try:
        result = import_path(args.path)
    except JixiaoError as exc:
        print_error(err, exc)
        return EXIT_UNUSABLE
    doc = result.document
    out.print(
        f"[bold]{args.path.name}[/]：{doc.kind.label}，{doc.year or '年度未注明'}年度，"
        f"{len(doc.projects)} 个项目，{doc.indicator_count} 个指标",
        highlight=False,
    )
    marks = _Marks(result)
    for n, project in enumerate(doc.projects):
        if args.project and args.project not in project.name:
            continue
        marks.base = f"projects[{n}]"
        _project_tables(project, doc, out, marks)
    if marks.used:
        kinds = "、".join(CONFIDENCE_LABELS[c] for c in ("arithmetic", "inferred"))
        out.print(f"[yellow]标{MARK}的值不是直接读自所在的单元格（{kinds}），请核对；依据见下方提示。[/]")
    _print_unsure(result, marks, out)
    print_warnings(result, err)
    return EXIT_WARNINGS if result.problems else EXIT_OK
