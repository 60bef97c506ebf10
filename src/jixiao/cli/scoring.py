"""``jixiao score`` and ``jixiao check``: recompute every score by the rules, list what a reviewer would flag.

Both read any input ``jixiao import`` reads; an input that cannot be read is
listed (with its place) after the results of the others, never hides them.
``score`` prints each project's indicators as a table narrow enough for an
80-column terminal (target, actual, weight, recorded and suggested score),
the reasoning of every score that differs from the recorded one below it,
the totals, and the rule basis once per project; a declaration, which has
no scores, gets one line. ``--explain`` gives every row's reasoning,
``--format json`` everything. ``check`` reviews every document and, given
several, links the same project across them for the cross-document checks;
a monitoring form gets the monitoring alerts instead of scores.
``--rules`` names a rule pack or a pack file. Exit status: 0 when all is
well, 1 when ``check`` finds an error, 2 when some input could not be read
or on wrong usage."""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from jixiao.cli.common import EXIT_OK, EXIT_UNUSABLE, EXIT_WARNINGS, READS, epilog, exit_codes, print_error
from jixiao.cli.importing import collect
from jixiao.cli.progress import Display
from jixiao.core.errors import JixiaoError, Location
from jixiao.core.model import Document, Kind, Project
from jixiao.core.review import Finding, Severity, has_errors, review_documents
from jixiao.core.review.findings import title_of
from jixiao.core.scoring import (
    RulePack,
    available_packs,
    choose_pack,
    load_pack,
    pack_for_year,
    parse_pack,
    score_document,
)
from jixiao.core.scoring.results import ProjectScore
from jixiao.documents.importer import import_path
from jixiao.documents.oserrors import describe

SEVERITY_STYLES = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="文件或文件夹（文件夹递归读取）")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    p.add_argument(
        "--rules",
        metavar="PACK",
        help=f"评分规则包：{'、'.join(available_packs())}，或规则包文件（.toml）；默认 mof-2020",
    )


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``score`` and ``check`` verbs."""
    score = sub.add_parser(
        "score",
        help="按规则重新计算每个指标的得分、执行率得分、总分和等级",
        description=(
            "按评分规则重新计算自评表中每个指标的建议得分、预算执行率得分、总分和等级，与表中填报的得分对照。"
            "表格适合 80 列的终端；与填报不同的得分在表下说明计算过程，评分依据每个项目列一次。"
            "申报表只有指标值，没有得分，只打印一行。"
        ),
        epilog=epilog(
            READS,
            exit_codes(
                "0  全部读取并评分",
                "2  有文件无法读取（其余文件照样评分，无法读取的在最后列出），或用法错误",
            ),
        ),
    )
    _common(score)
    score.add_argument(
        "--explain", action="store_true", help="在表下列出每个指标的计算过程（默认只列出与填报得分不同的指标）"
    )
    score.set_defaults(handler=run_score)
    check = sub.add_parser(
        "check",
        help="读取、评分并审核，按项目列出审核发现",
        description=(
            f"读取、评分并审核每个文件，按项目列出审核发现（{'、'.join(s.label for s in Severity)}）；给出多个文件时，"
            "同一项目跨文件、跨年度对照（如指标值调低、资金变化）。"
            "绩效运行监控表不评分，给出运行监控预警（执行进度落后于序时进度、预计不能完成指标值、缺少纠偏措施等，"
            "阈值见规则包的 [monitoring]）。"
        ),
        epilog=epilog(
            READS,
            exit_codes(
                "0  没有“错误”级的审核发现",
                "1  有“错误”级的审核发现",
                "2  有文件无法读取（其余文件照样审核，无法读取的在最后列出），或用法错误",
            ),
        ),
    )
    _common(check)
    check.set_defaults(handler=run_check)


def _pack(spec: str | None, err: Console) -> RulePack | None:
    """The pack named by ``--rules`` (a name or a .toml file); None, after saying why, when it cannot be read."""
    if spec is None:
        return load_pack()
    path = Path(spec)
    try:
        if path.suffix == ".toml":
            return parse_pack(path.read_text(encoding="utf-8"), path.stem)
        return load_pack(spec)
    except JixiaoError as exc:
        print_error(err, exc)
    except OSError as exc:
        print_error(err, JixiaoError(f"无法读取规则包文件：{describe(exc)}", Location(file=spec)))
    return None


@dataclass
class Batch:
    """The documents read from the inputs, and the inputs that could not be read (with their error)."""

    documents: list[tuple[str, Document]] = field(default_factory=list)
    failed: list[tuple[str, JixiaoError]] = field(default_factory=list)

    def report_failures(self, err: Console) -> None:
        """List every unreadable input with its place, after the results, so none scrolls away unseen."""
        if not self.failed:
            return
        err.print(f"[red]{len(self.failed)} 个文件无法读取：[/]", highlight=False)
        for _, exc in self.failed:
            print_error(err, exc)


def _documents(paths: list[Path], err: Console) -> Batch | None:
    """Read every input; one that cannot be read is kept aside and the others are still read."""
    found = collect(paths, err)
    if found is None:
        return None
    batch = Batch()
    with Display(err, found[0], "读取") as display:
        for f in found[0]:
            try:
                batch.documents.append((str(f), import_path(f, display.file(f)).document))
            except JixiaoError as exc:
                batch.failed.append((str(f), exc))
            display.finished()
    return batch


def _packs_by_year(batch: Batch, pack: RulePack, named: bool) -> dict[str, RulePack]:
    """The pack of each document: the named one where its years cover the form's, else the file is refused.

    Without ``--rules`` each form takes the default pack, or the shipped pack that covers its year. A form
    no pack fits joins the batch's unreadable files, with the reason, and the others are still scored.
    """
    chosen: dict[str, RulePack] = {}
    kept: list[tuple[str, Document]] = []
    for source, doc in batch.documents:
        try:
            chosen[source] = pack_for_year(pack, doc.year) if named else choose_pack(doc.year)
        except JixiaoError as exc:
            batch.failed.append((source, JixiaoError(exc.message, Location(file=source))))
            continue
        kept.append((source, doc))
    batch.documents = kept
    return chosen


def _n(value: object) -> str:
    return "—" if value is None else str(value)


# The rule basis that ends every explanation (engine._cite): printed once per project instead of on every row.
_CITATION = re.compile(r"（(?:依据：(?P<basis>[^（）]*?)，)?规则包 (?P<pack>[^）]+)）$")


def _split_citation(explanation: str) -> tuple[str, str | None]:
    """(explanation without its closing citation, the cited document and article, or None)."""
    match = _CITATION.search(explanation)
    if match is None:
        return explanation, None
    return explanation[: match.start()], match["basis"] or ""


def _citation_line(bases: list[str], pack: str) -> str:
    """``评分依据：财预〔2020〕10号 第十八条、第十三条（规则包 mof-2020）``: one document named once."""
    articles: dict[str, list[str]] = {}
    for basis in bases:
        document, _, article = basis.partition(" ")
        if document:
            listed = articles.setdefault(document, [])
            if article and article not in listed:
                listed.append(article)
    cited = "；".join(f"{doc} {'、'.join(arts)}".strip() for doc, arts in articles.items())
    return f"评分依据：{cited}（规则包 {pack}）" if cited else f"评分依据：规则包 {pack}"


def _summary(batch: Batch, what: str) -> str:
    text = f"共 {len(batch.documents) + len(batch.failed)} 个文件：{what}"
    if batch.failed:
        text += f"；{len(batch.failed)} 个文件无法读取"
    return text


def _score_table(project: ProjectScore, doc_project: Project | None) -> Table:
    """The indicators' numbers, narrow enough for an 80-column terminal; the reasoning goes below it."""
    table = Table(title=f"{project.name}（{project.unit or '单位未注明'}）", title_justify="left", box=box.SIMPLE_HEAD)
    for col, justify, ratio in (
        ("三级指标", "left", 4),
        ("指标值", "left", 2),
        ("实际完成值", "left", 2),
        ("分值", "right", None),
        ("填报", "right", None),
        ("建议", "right", None),
    ):
        table.add_column(col, justify=justify, overflow="fold", ratio=ratio)  # type: ignore[arg-type]
    for n, score in enumerate(project.indicators):
        ind = doc_project.indicators[n] if doc_project and n < len(doc_project.indicators) else None
        mark = "[yellow]≠[/]" if score.differs else ""
        table.add_row(
            score.name,
            _n(ind.target if ind else None),
            _n(ind.actual if ind else None),
            _n(score.weight),
            _n(score.recorded),
            mark + _n(score.suggested),
        )
    return table


def _print_project(project: ProjectScore, doc_project: Project | None, explain: bool, out: Console) -> None:
    out.print(_score_table(project, doc_project))
    bases: list[str] = []

    def note(text: str) -> str:
        body, basis = _split_citation(text)
        if basis is not None:
            bases.append(basis)
        return body

    def line(markup: str) -> None:
        # wrapped lines keep the indent, so a long explanation still reads as one item
        out.print(Padding(Text.from_markup(markup), (0, 0, 0, 2)), highlight=False)

    # one line per reason: a transfer-payment form prints no weights, and saying so 26 times helps nobody
    unscorable: dict[str, list[str]] = defaultdict(list)
    for score in project.indicators:
        if not score.scorable:
            unscorable[score.reason or ""].append(score.name)
    for reason, names in unscorable.items():
        if len(names) == len(project.indicators) and len(names) > 1:
            line(f"[cyan]全部 {len(names)} 个指标不能评分[/]：{escape(reason)}")
        elif len(names) == 1:
            line(f"[cyan]不能评分[/] {escape(names[0])}：{escape(reason)}")
        else:
            line(f"[cyan]{len(names)} 个指标不能评分[/]：{escape(reason)}（{escape('、'.join(names))}）")
    for score in project.indicators:
        if not score.scorable:
            continue
        if score.differs or explain:
            text = note(score.explanation)
            mark = "[yellow]≠[/] " if score.differs else ""
            line(f"{mark}{escape(score.name)}：{escape(text)}")
        else:
            note(score.explanation)
    if project.execution is not None:
        e = project.execution
        out.print(
            f"预算执行率得分：填报 {_n(e.recorded)}，按规则 {_n(e.suggested)}（{note(e.explanation)}）",
            highlight=False,
        )
    out.print(
        f"总分：表中 {_n(project.total_printed)}，按填报得分合计 {_n(project.total_recorded)}，"
        f"按建议得分 {_n(project.total_suggested)}；等级：表中 {_n(project.grade_printed)}，"
        f"按规则 {_n(project.grade_suggested)}",
        highlight=False,
    )
    out.print(_citation_line(bases, project.pack), style="dim", highlight=False, markup=False)


def run_score(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Print the recorded and suggested score of every indicator, and the totals; a declaration in one line."""
    pack = _pack(args.rules, err)
    batch = _documents(args.paths, err)
    if pack is None or batch is None:
        return EXIT_UNUSABLE
    packs = _packs_by_year(batch, pack, args.rules is not None)
    scored = [(source, doc, score_document(doc, packs[source])) for source, doc in batch.documents]
    if args.format == "json":
        data = [{"source": source, **result.to_dict()} for source, _, result in scored]
        out.print_json(json.dumps(data, ensure_ascii=False))
    else:
        declarations = 0
        for source, doc, result in scored:
            if doc.kind is Kind.TARGET_DECLARATION:
                declarations += 1
                # a declaration states targets only: nothing was achieved yet, so nothing can be scored
                out.print(
                    f"{source}：申报表没有得分（{len(doc.projects)} 个项目只有指标值，没有实际完成值）",
                    highlight=False,
                    soft_wrap=True,
                )
                continue
            out.rule(f"[bold]{source}[/]  规则：{result.pack}")
            projects = {p.name: p for p in doc.projects}
            for project in result.projects:
                _print_project(project, projects.get(project.name), args.explain, out)
        what = f"评分 {len(scored) - declarations} 个" + (f"，{declarations} 个申报表没有得分" if declarations else "")
        out.print(_summary(batch, what), highlight=False)
    batch.report_failures(err)
    if args.format == "json" and batch.failed:
        err.print(_summary(batch, f"评分 {len(scored)} 个"), highlight=False)
    return EXIT_UNUSABLE if batch.failed else EXIT_OK


def _grouped(findings: list[Finding]) -> dict[tuple[str, str, str], list[Finding]]:
    groups: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        groups[(f.source or "", f.project, f.unit or "")].append(f)
    return groups


def run_check(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Review every document (and across them), print the findings by project."""
    pack = _pack(args.rules, err)
    batch = _documents(args.paths, err)
    if pack is None or batch is None:
        return EXIT_UNUSABLE
    packs = _packs_by_year(batch, pack, args.rules is not None)
    documents = batch.documents
    # a form whose year the common pack does not cover is reviewed by its own (project by project)
    own = {p.name: packs[s].name for s, d in documents for p in d.projects if packs[s].name != pack.name}
    findings = review_documents(documents, pack, project_packs=own or None)
    if args.format == "json":
        out.print_json(json.dumps([f.to_dict() for f in findings], ensure_ascii=False))
    else:
        for (source, project, unit), group in _grouped(findings).items():
            out.print(f"\n[bold]{project}[/]（{unit or '单位未注明'}） [dim]{source}[/]", highlight=False)
            for f in group:
                style = SEVERITY_STYLES[f.severity]
                # the check's title, never its code (JSON keeps codes); the message names the indicator itself
                out.print(
                    f"  [{style}]{f.severity.label}[/] [dim]{escape(title_of(f.code))}：[/]{escape(f.message)}",
                    highlight=False,
                    soft_wrap=True,
                )
        counts: dict[Severity, int] = defaultdict(int)
        for f in findings:
            counts[f.severity] += 1
        out.print(
            f"\n共 {len(documents)} 个文件，{sum(len(d.projects) for _, d in documents)} 个项目："
            + "，".join(f"{counts[s]} 个{s.label}" for s in Severity)
            + (f"；{len(batch.failed)} 个文件无法读取" if batch.failed else ""),
            highlight=False,
        )
    batch.report_failures(err)
    if args.format == "json" and batch.failed:
        err.print(f"{len(batch.failed)} 个文件无法读取，审核只包括其余 {len(documents)} 个文件", highlight=False)
    if batch.failed:
        return EXIT_UNUSABLE
    return EXIT_WARNINGS if has_errors(findings) else EXIT_OK


def finding_dicts(findings: list[Finding]) -> list[dict[str, Any]]:
    """The JSON objects of ``findings`` (code, severity, project, indicator, field, message, expected, found…)."""
    return [f.to_dict() for f in findings]
