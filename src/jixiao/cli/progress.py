"""What a long command shows while it works: a bar over its files, and the stages of a long file.

Shown on standard error, and only when standard error is a terminal: a person at the terminal
sees that a 20 MB file is moving (reading one takes tens of seconds), while a pipe, a log file or
a test gets only the results and the summary, never the control codes of a redrawn bar. Standard
output carries the results alone in every case, so ``--format json`` and redirected output stay
clean.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from jixiao.documents.limits import MB
from jixiao.documents.result import Progress as ProgressHook
from jixiao.documents.result import no_progress

PROGRESS_FROM = 5  # files; fewer finish before a bar over them would be seen
LONG_FILE = 1 * MB  # a file this large reads for a second or more: its stages are shown


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the read itself will say what is wrong with it


class Display:
    """The progress of one command over ``files``; use as a context manager, then :meth:`file` per file."""

    def __init__(self, err: Console, files: list[Path], doing: str) -> None:
        self.doing = doing
        long = any(_size(f) >= LONG_FILE for f in files)
        self.bar: Progress | None = None
        if err.is_terminal and (len(files) >= PROGRESS_FROM or long):
            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            )
        self.files = files
        self.overall: TaskID | None = None
        self.current: TaskID | None = None

    def __enter__(self) -> Display:
        if self.bar is not None:
            self.bar.start()
            if len(self.files) >= PROGRESS_FROM:
                self.overall = self.bar.add_task(f"{self.doing}文件", total=len(self.files))
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.bar is not None:
            self.bar.stop()

    def file(self, path: Path) -> ProgressHook:
        """The progress hook of one file: its stages on a bar of their own when the file is long."""
        if self.bar is None or _size(path) < LONG_FILE:
            return no_progress
        bar = self.bar
        task = bar.add_task(f"{path.name}：{self.doing}", total=100)
        self.current = task

        def report(fraction: float, stage: str) -> None:
            bar.update(task, completed=round(fraction * 100), description=f"{path.name}：{stage}")

        return report

    def finished(self) -> None:
        """The current file is done: its own bar goes, the bar over the files moves on."""
        if self.bar is None:
            return
        if self.current is not None:
            self.bar.remove_task(self.current)
            self.current = None
        if self.overall is not None:
            self.bar.advance(self.overall)
