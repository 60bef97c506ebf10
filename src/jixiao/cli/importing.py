"""``jixiao import``: published forms in, one document JSON per input out."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from jixiao.cli.common import EXIT_OK, EXIT_UNUSABLE, EXIT_WARNINGS, print_error, print_warnings
from jixiao.core.errors import JixiaoError
from jixiao.documents.importer import ALL_SUFFIXES, expand, import_path
from jixiao.documents.result import ImportResult, reading_json

PROGRESS_FROM = 5  # files; fewer finish before a bar would be seen


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``import`` verb."""
    p = sub.add_parser("import", help="读取已发布的绩效表（文本提取结果），写出文档 JSON")
    p.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="文件或文件夹（文件夹递归读取其中的文本、JSON、XLSX、DOCX 和 PDF）",
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
            text += f"；{len(self.failed)} 个文件无法读取"
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
    """``<stem><suffix>`` in the output folder, keeping a folder input's subfolders apart."""
    root = roots.get(path)
    rel = path.relative_to(root).with_suffix(suffix) if root else Path(path.stem + suffix)
    target = out_dir / rel
    n = 2
    while target in taken:
        target = target.with_name(f"{rel.stem}-{n}{suffix}")
        n += 1
    taken.add(target)
    return target


class _NoProgress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def progress_for(count: int, err: Console) -> Progress | None:
    """A progress bar on the terminal when there are many files, else None."""
    if count < PROGRESS_FROM or not err.is_terminal:
        return None
    return Progress(
        TextColumn("读取中"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err, transient=True
    )


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Read each input, write its JSON, report warnings and a summary."""
    found = collect(args.paths, err)
    if found is None:
        return EXIT_UNUSABLE
    files, roots = found
    args.out_dir.mkdir(parents=True, exist_ok=True)
    tally = Tally()
    taken: set[Path] = set()
    bar = progress_for(len(files), err)
    with bar if bar is not None else _NoProgress():
        task = bar.add_task("import", total=len(files)) if bar is not None else None
        for f in files:
            tally.files += 1
            try:
                result = import_path(f)
            except JixiaoError as exc:
                tally.failed.append(str(f))
                print_error(err, exc)
            else:
                target = out_name(f, roots, taken, args.out_dir)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(reading_json(result), encoding="utf-8")
                tally.add(result)
                if not args.quiet:
                    print_warnings(result, err)
            if bar is not None and task is not None:
                bar.advance(task)
    out.print(tally.line(), highlight=False)
    if tally.failed:
        return EXIT_UNUSABLE
    return EXIT_WARNINGS if tally.warnings else EXIT_OK
