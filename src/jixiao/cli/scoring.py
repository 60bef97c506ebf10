"""``jixiao score`` and ``jixiao check``: recompute every score by the rules, list what a reviewer would flag.

Both read any input ``jixiao import`` reads. ``score`` prints each
indicator's target, actual, weight, recorded and suggested score and the
totals; ``check`` reviews every document and, given several, links the
same project across them for the cross-document checks. ``--format json``
prints machine-readable results; ``--rules`` names a rule pack or a pack
file. ``check`` exits 0 with no error finding, 1 with some, 2 on unusable
input.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from jixiao.cli.common import EXIT_OK, EXIT_UNUSABLE, EXIT_WARNINGS, print_error
from jixiao.cli.importing import collect
from jixiao.core.errors import JixiaoError
from jixiao.core.model import Document
from jixiao.core.review import Finding, Severity, has_errors, review_documents
from jixiao.core.scoring import RulePack, available_packs, load_pack, parse_pack, score_document
from jixiao.documents.importer import import_path

SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "提醒", Severity.INFO: "提示"}
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
    score = sub.add_parser("score", help="按规则重新计算每个指标的得分、执行率得分、总分和等级")
    _common(score)
    score.set_defaults(handler=run_score)
    check = sub.add_parser("check", help="读取、评分并审核，按项目列出审核发现")
    _common(check)
    check.set_defaults(handler=run_check)


def _pack(spec: str | None, err: Console) -> RulePack | None:
    if spec is None:
        return load_pack()
    try:
        path = Path(spec)
        if path.suffix == ".toml" and path.is_file():
            return parse_pack(path.read_text(encoding="utf-8"), path.stem)
        return load_pack(spec)
    except (JixiaoError, OSError) as exc:
        print_error(err, exc)
        return None


def _documents(paths: list[Path], err: Console) -> list[tuple[str, Document]] | None:
    found = collect(paths, err)
    if found is None:
        return None
    documents: list[tuple[str, Document]] = []
    failed = False
    for f in found[0]:
        try:
            documents.append((str(f), import_path(f).document))
        except JixiaoError as exc:
            print_error(err, exc)
            failed = True
    return None if failed else documents


def _n(value: object) -> str:
    return "—" if value is None else str(value)


def run_score(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Print the recorded and suggested score of every indicator, and the totals."""
    pack = _pack(args.rules, err)
    documents = _documents(args.paths, err)
    if pack is None or documents is None:
        return EXIT_UNUSABLE
    scored = [(source, score_document(doc, pack)) for source, doc in documents]
    if args.format == "json":
        data = [{"source": source, **result.to_dict()} for source, result in scored]
        out.print_json(json.dumps(data, ensure_ascii=False))
        return EXIT_OK
    for source, result in scored:
        out.rule(f"[bold]{source}[/]  规则：{result.pack}")
        for project in result.projects:
            table = Table(title=f"{project.name}（{project.unit or '单位未注明'}）", title_justify="left")
            for col, justify in (
                ("三级指标", "left"),
                ("指标值", "left"),
                ("实际完成值", "left"),
                ("分值", "right"),
                ("填报得分", "right"),
                ("建议得分", "right"),
                ("说明", "left"),
            ):
                table.add_column(col, justify=justify, overflow="fold")  # type: ignore[arg-type]
            indicators = documents[[s for s, _ in documents].index(source)][1]
            rows = {p.name: p for p in indicators.projects}
            doc_project = rows.get(project.name)
            for n, score in enumerate(project.indicators):
                ind = doc_project.indicators[n] if doc_project and n < len(doc_project.indicators) else None
                mark = "[yellow]≠[/] " if score.differs else ""
                table.add_row(
                    score.name,
                    _n(ind.target if ind else None),
                    _n(ind.actual if ind else None),
                    _n(score.weight),
                    _n(score.recorded),
                    mark + _n(score.suggested),
                    score.explanation if score.scorable else f"不能评分：{score.reason}",
                )
            out.print(table)
            if project.execution is not None:
                e = project.execution
                line = f"预算执行率得分：填报 {_n(e.recorded)}，按规则 {_n(e.suggested)}（{e.explanation}）"
                out.print(line, highlight=False)
            out.print(
                f"总分：表中 {_n(project.total_printed)}，按填报得分合计 {_n(project.total_recorded)}，"
                f"按建议得分 {_n(project.total_suggested)}；等级：表中 {_n(project.grade_printed)}，"
                f"按规则 {_n(project.grade_suggested)}",
                highlight=False,
            )
    return EXIT_OK


def _grouped(findings: list[Finding]) -> dict[tuple[str, str, str], list[Finding]]:
    groups: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        groups[(f.source or "", f.project, f.unit or "")].append(f)
    return groups


def run_check(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Review every document (and across them), print the findings by project."""
    pack = _pack(args.rules, err)
    documents = _documents(args.paths, err)
    if pack is None or documents is None:
        return EXIT_UNUSABLE
    findings = review_documents(documents, pack)
    if args.format == "json":
        out.print_json(json.dumps([f.to_dict() for f in findings], ensure_ascii=False))
    else:
        for (source, project, unit), group in _grouped(findings).items():
            out.print(f"\n[bold]{project}[/]（{unit or '单位未注明'}） [dim]{source}[/]", highlight=False)
            for f in group:
                style = SEVERITY_STYLES[f.severity]
                # the message names the indicator itself
                out.print(
                    f"  [{style}]{SEVERITY_LABELS[f.severity]}[/] [dim]{f.code}[/] {f.message}",
                    highlight=False,
                    soft_wrap=True,
                )
        counts: dict[Severity, int] = defaultdict(int)
        for f in findings:
            counts[f.severity] += 1
        out.print(
            f"\n共 {len(documents)} 个文件，{sum(len(d.projects) for _, d in documents)} 个项目："
            f"{counts[Severity.ERROR]} 个错误，{counts[Severity.WARNING]} 个提醒，{counts[Severity.INFO]} 个提示",
            highlight=False,
        )
    return EXIT_WARNINGS if has_errors(findings) else EXIT_OK


def finding_dicts(findings: list[Finding]) -> list[dict[str, Any]]:
    """The JSON objects of ``findings`` (code, severity, project, indicator, field, message, expected, found…)."""
    return [f.to_dict() for f in findings]
