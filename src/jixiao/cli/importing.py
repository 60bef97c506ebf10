"""``jixiao import``: published forms in, one document JSON per input out."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from jixiao.cli.common import (
    EXIT_OK,
    EXIT_UNUSABLE,
    EXIT_WARNINGS,
    READS,
    epilog,
    exit_codes,
    make_out_dir,
    print_error,
    print_warnings,
    write_error,
)
from jixiao.cli.progress import Display
from jixiao.core.errors import JixiaoError, Location
from jixiao.documents.datapackage import DESCRIPTOR
from jixiao.documents.importer import ALL_SUFFIXES, expand, import_path
from jixiao.documents.limits import limit_for, megabytes
from jixiao.documents.result import ImportResult, iter_reading_json
from jixiao.documents.result import Progress as ProgressHook


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``import`` verb."""
    p = sub.add_parser(
        "import",
        help="读取已发布的绩效表（文本、Excel、Word、PDF），写出文档 JSON",
        description=(
            "读取已发布的绩效目标申报表、绩效自评表和转移支付区域绩效目标自评表，每个输入写出一个"
            " jixiao 文档 JSON（jixiao.document/1）。未能归入任何字段的每一行都报告其文件和位置；"
            "一个文件无法读取时，其余文件照样读取，最后一行是汇总。"
        ),
        epilog=epilog(
            READS,
            exit_codes(
                "0  全部读取，没有警告",
                "1  全部读取，但有警告（JSON 照样写出）",
                "2  有文件无法读取或无法写出（其余文件照样读取），或用法错误",
            ),
        ),
    )
    p.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="文件或文件夹（文件夹递归读取其中的文本、JSON、XLSX、DOCX、PDF 和扫描图片 PNG/JPEG/TIFF）",
    )
    p.add_argument("--out-dir", type=Path, default=Path("."), metavar="DIR", help="输出文件夹（默认当前文件夹）")
    p.add_argument("--quiet", "-q", action="store_true", help="只打印汇总行和错误")
    p.set_defaults(handler=run)


@dataclass
class Tally:
    """Counts for the closing summary line."""

    files: int = 0
    projects: int = 0
    indicators: int = 0
    warnings: int = 0
    notes: int = 0
    failed: list[str] = field(default_factory=list)

    def add(self, result: ImportResult) -> None:
        """Count one file that was read."""
        self.projects += len(result.document.projects)
        self.indicators += result.document.indicator_count
        self.warnings += len(result.problems)
        self.notes += len(result.warnings) - len(result.problems)

    def line(self) -> str:
        """The summary: files, projects, indicators, warnings (and notes, failures)."""
        text = f"共 {self.files} 个文件：{self.projects} 个项目，{self.indicators} 个指标，{self.warnings} 条警告"
        if self.notes:
            text += f"，{self.notes} 条提示"
        if self.failed:
            text += f"；{len(self.failed)} 个文件无法读取或写出"
        return text


def collect(paths: list[Path], err: Console) -> tuple[list[Path], dict[Path, Path]] | None:
    """The files named by ``paths`` (folders expanded) and, for each, the folder it was found in."""
    roots: dict[Path, Path] = {}
    files: list[Path] = []
    for given in paths:
        if not given.exists():
            err.print(f"[red]{given}: 文件或文件夹不存在[/]", highlight=False)
            return None
        for f in expand([given], ALL_SUFFIXES):
            if given.is_dir():
                roots[f] = given
            files.append(f)
    if not files:
        err.print(f"[red]没有可读取的文件（可读取：{'、'.join(ALL_SUFFIXES)}）[/]")
        return None
    return files, roots


def out_name(path: Path, roots: dict[Path, Path], taken: set[Path], out_dir: Path, suffix: str = ".json") -> Path:
    """``<stem><suffix>`` in the output folder, keeping a folder input's subfolders apart.

    A CSV package (its ``datapackage.json``) is named after its folder, as ``export`` named it.
    """
    root = roots.get(path)
    if path.name == DESCRIPTOR:
        folder = path.parent
        inside = folder.relative_to(root) if root and folder != root else Path()
        rel = inside.parent / (folder.name + suffix) if inside.parts else Path(folder.name + suffix)
    else:
        rel = path.relative_to(root).with_suffix(suffix) if root else Path(path.stem + suffix)
    target = out_dir / rel
    n = 2
    while target in taken:
        target = target.with_name(f"{rel.stem}-{n}{suffix}")
        n += 1
    taken.add(target)
    return target


def write_json(result: ImportResult, target: Path, progress: ProgressHook) -> None:
    """Write a document's JSON to ``target`` piece by piece, whole or not at all.

    The text goes to a hidden file beside the target, renamed over it at the end: a stopped
    command never leaves half a JSON. A JSON above the limit the readers accept is refused
    before it replaces anything, so every file ``import`` writes can be read back.
    """
    limit = limit_for(".json")
    partial = target.with_name(f".{target.name}.part")
    written = 0
    count = max(len(result.document.projects), 1)
    try:
        with partial.open("w", encoding="utf-8") as handle:
            for n, piece in enumerate(iter_reading_json(result)):
                written += len(piece.encode("utf-8"))
                if written > limit:
                    raise JixiaoError(
                        f"读取结果的 JSON 超过 {megabytes(limit)}（jixiao 能读取的文档 JSON 上限），未写出："
                        "请把原文件分成几份再导入",
                        Location(file=str(target)),
                    )
                handle.write(piece)
                progress(min(n / count, 1.0), "写出 JSON")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def page_lines(path: Path, err: Console, quiet: bool, progress: ProgressHook) -> ProgressHook:
    """``progress``, and a line on stderr per page of a scan when stderr is no terminal (a log).

    OCR takes seconds a page: on a terminal the file's progress line shows each page, and in a log
    each page gets a line of its own, so a long scan is never silent. ``--quiet`` prints nothing.
    """

    def report(fraction: float, stage: str) -> None:
        progress(fraction, stage)
        if stage.startswith("识别第") and not quiet and not err.is_terminal:
            err.print(f"识别 {path.name}：{stage.removeprefix('识别')}", highlight=False)

    return report


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Read each input, write its JSON, report warnings and a summary."""
    found = collect(args.paths, err)
    if found is None:
        return EXIT_UNUSABLE
    files, roots = found
    if not make_out_dir(args.out_dir, err):
        return EXIT_UNUSABLE
    tally = Tally()
    taken: set[Path] = set()
    with Display(err, files, "读取") as display:
        for f in files:
            tally.files += 1
            progress = display.file(f)
            try:
                result = import_path(f, page_lines(f, err, args.quiet, progress))
                target = out_name(f, roots, taken, args.out_dir)
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    write_json(result, target, progress)
                except OSError as exc:
                    raise write_error(target, exc) from None
            except JixiaoError as exc:
                tally.failed.append(str(f))
                print_error(err, exc)
            else:
                tally.add(result)
                if not args.quiet:
                    print_warnings(result, err)
            display.finished()
    out.print(tally.line(), highlight=False)
    if tally.failed:
        return EXIT_UNUSABLE
    return EXIT_WARNINGS if tally.warnings else EXIT_OK
