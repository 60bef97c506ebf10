"""Reading one file in a child process with a time and a memory limit, so that no file can take its caller down.

The readers bound what the bombs we know of may cost (:mod:`~jixiao.documents.pdfstreams`,
:mod:`~jixiao.documents.ooxml`), but a reader is also pdfminer, openpyxl and lxml, whose every path
nobody has measured: a page of a million drawing operators is no bomb to a decoder and still takes
minutes. So the web reads each uploaded file in a child process of its own, forked from a small server
process that has imported the readers once (multiprocessing's *forkserver*: a fork costs about 25 ms,
and the child inherits no database connection or thread of the web process):

- **memory**: the child's address space is limited (``RLIMIT_AS``) to its size at the start plus
  :attr:`Limits.memory_mb`; a reader that runs out meets ``MemoryError``, and the file is refused;
- **time**: at :attr:`Limits.seconds` an alarm interrupts whatever Python code is running (also inside
  pdfminer's parser, where the readers' own deadline is not checked); if the child is stuck in C code, the
  parent kills it :data:`GRACE` seconds later;
- **crash**: a segmentation fault or an abort ends the child only, and the file is refused.

A scan is the one file that rightly needs more: OCR takes seconds and about a gigabyte a page. The
child first asks, within the ordinary limits, whether the file is a scan and how many pages it has
(:func:`~jixiao.documents.importer.scan_page_count`, nothing rendered); a scan of more than
:attr:`Limits.scan_max_pages` is refused unread, any other scan gets :attr:`Limits.scan_memory_mb` and
:attr:`Limits.scan_seconds_per_page` a page on top of the ordinary time, and the parent is told the new
deadline. The child reports each page recognised (「识别第 k/N 页」) to the caller's ``progress``.

The child reads the file from its path (the bytes never pass through the caller) and returns the
:class:`~jixiao.documents.result.ImportResult` or the refusal, with its time and peak memory. The CLI
reads in its own process (``jixiao import``: a person's own files on their own machine), bounded by the
readers alone.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
import sys
import threading
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from types import FrameType
from typing import Any

from jixiao.core.errors import JixiaoError, Location, SourceError
from jixiao.documents.result import ImportResult, Progress, no_progress
from jixiao.documents.safety import MAX_BYTES

SECONDS = 60.0
MEMORY_MB = 1024
SCAN_MEMORY_MB = 2048  # RapidOCR peaks at about 1.1 GB resident, more in address space (ONNX Runtime's arenas)
SCAN_SECONDS_PER_PAGE = 30.0  # about 8 CPU seconds a page on one core, with room for a busy machine
SCAN_MAX_PAGES = 50
GRACE = 5.0  # after the alarm, before the child is killed
_PRELOAD = ["jixiao.documents.importer", "jixiao.documents.tabular", "openpyxl", "pdfplumber", "docx"]


@dataclass(frozen=True)
class Limits:
    """What reading one file may take: wall-clock seconds, and megabytes of memory beyond the child's start."""

    seconds: float = SECONDS
    memory_mb: int = MEMORY_MB
    scan_memory_mb: int = SCAN_MEMORY_MB
    scan_seconds_per_page: float = SCAN_SECONDS_PER_PAGE
    scan_max_pages: int = SCAN_MAX_PAGES

    def for_scan(self, pages: int) -> tuple[float, int]:
        """The seconds and megabytes reading a scan of ``pages`` pages may take."""
        return self.seconds + self.scan_seconds_per_page * pages, max(self.memory_mb, self.scan_memory_mb)


@dataclass(frozen=True)
class Reading:
    """What reading one file gave: the result or the refusal, and what it cost."""

    result: ImportResult | None
    error: JixiaoError | None
    seconds: float
    peak_mb: float  # the child's peak resident memory (the readers' libraries included)


class _Timeout(BaseException):
    """The alarm: a BaseException, so that no reader's ``except Exception`` turns it into a parse error."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Timeout


def _status(field: str) -> float:
    """A size from /proc/self/status (Linux), in MB; 0 where there is none."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _peak_mb() -> float:
    # VmHWM is this process's own peak; ru_maxrss may carry a parent's peak across fork and exec
    return _status("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _limit_memory(memory_mb: int, most_mb: int) -> float:
    """Limit the address space to its present size plus ``memory_mb`` (up to ``most_mb`` later); the size, in MB."""
    size = _status("VmSize")
    if size:
        # the hard limit is what a scan may be given: a process can raise its soft limit up to it, never past
        soft, hard = (int((size + mb) * 1024 * 1024) for mb in (memory_mb, max(memory_mb, most_mb)))
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    return size


def _lift_memory_limit() -> None:
    """Raise the soft limit on the address space to the hard one, so that a refusal can still be built and sent.

    After a ``MemoryError`` the space the reader filled is not all returned (the allocator keeps its arenas), and
    reading /proc, formatting the message or pickling the reply can fail in its turn: the child then dies with no
    word to the parent, which could only say that it crashed.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def _scan_budget(
    conn: Connection, data: bytes, name: str, limits: Limits, base: float, start: float
) -> tuple[float, int]:
    """When the file is a scan: refuse it past the page limit, else raise the limits for it; the limits now."""
    from jixiao.documents.importer import scan_page_count

    pages = scan_page_count(data, name)
    if not pages:
        return limits.seconds, limits.memory_mb
    if pages > limits.scan_max_pages:
        raise SourceError(
            f"扫描件共 {pages} 页，超过网页导入一次可识别的上限（{limits.scan_max_pages} 页）；"
            "请拆分成较小的文件分别上传，或在命令行用 jixiao import 读取",
            Location(file=name),
        )
    seconds, memory_mb = limits.for_scan(pages)
    if base:
        soft = int((base + memory_mb) * 1024 * 1024)
        resource.setrlimit(resource.RLIMIT_AS, (soft, resource.getrlimit(resource.RLIMIT_AS)[1]))
    signal.setitimer(signal.ITIMER_REAL, max(seconds - (time.perf_counter() - start), 0.001))
    conn.send(("scan", pages, seconds))  # the parent waits that long before it kills the child
    return seconds, memory_mb


def _out_of_memory(memory_mb: int) -> str:
    return f"读取所需内存超过上限（{memory_mb} MB），文件过大或结构异常，已停止"


def _reporter(conn: Connection) -> Progress:
    """The reading's progress sent to the parent: each new stage, and at most twice a second within one."""
    last_stage, last_at = "", 0.0

    def report(done: float, stage: str) -> None:
        nonlocal last_stage, last_at
        now = time.monotonic()
        if stage != last_stage or now - last_at >= 0.5:
            last_stage, last_at = stage, now
            conn.send(("progress", done, stage))

    return report


def _child(conn: Connection, path: str, name: str, limits: Limits) -> None:
    """Read one file and send back ("ok", result) or ("refused", message, location), with time and peak.

    Before it: ("scan", pages, seconds) when the file is a scan, and ("progress", done, stage) as it goes.
    """
    from jixiao.documents.importer import import_bytes

    start = time.perf_counter()
    reply: tuple[Any, ...]
    base = 0.0
    seconds, memory_mb = limits.seconds, limits.memory_mb
    try:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        base = _limit_memory(memory_mb, limits.scan_memory_mb)
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # one byte past the limit is enough to refuse the file
        seconds, memory_mb = _scan_budget(conn, data, name, limits, base, start)
        reply = ("ok", import_bytes(data, name, _reporter(conn)))
        del data
    except JixiaoError as exc:
        reply = ("refused", exc.message, asdict(exc.location))
    except _Timeout:
        reply = ("refused", f"读取超时（超过 {seconds:.0f} 秒），文件过大或结构异常，已停止", {"file": name})
    except MemoryError:
        _lift_memory_limit()  # before the refusal is built: that needs memory too
        reply = ("refused", _out_of_memory(memory_mb), {"file": name})
    except Exception as exc:  # whatever a library raises, the caller gets a refusal that names the file
        reply = ("refused", f"文件无法读取：{type(exc).__name__}: {exc}"[:300], {"file": name})
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        _lift_memory_limit()
    if reply[0] == "refused" and base and _status("VmPeak") - base >= 0.9 * memory_mb:
        # Out of address space, C code fails in its own words ("SystemError: error return without
        # exception set", "cannot allocate"), which a reader then reports as a broken file: say what it was.
        reply = ("refused", _out_of_memory(memory_mb), {"file": name})
    conn.send((*reply, time.perf_counter() - start, _peak_mb()))
    conn.close()


_context: Any = None


def _forkserver() -> Any:
    """The forkserver context, its server preloading the readers (started on first use, once per process)."""
    global _context
    if _context is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        _context = context
    return _context


_LAUNCH = threading.Lock()


@contextmanager
def _without_main() -> Iterator[None]:
    """Start a child without the caller's main module.

    multiprocessing has every child import the parent's ``__main__`` again: gunicorn's or pytest's script
    once per file, and a crash when the parent read its program from standard input. The reader needs
    nothing from it (its target lives in this module), so the main module is hidden while the child is
    launched. The lock keeps two threads of one process (a threaded development server) from swapping it at once.
    """
    with _LAUNCH:
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.modules["__main__"] = main


def read_file(path: str | Path, name: str, limits: Limits | None = None, progress: Progress = no_progress) -> Reading:
    """Read the file at ``path`` as ``name`` (which decides its format and names it) in a bounded child process.

    ``progress`` hears the reading's stages, and each page of a scan, as the child reports them.
    """
    limits = limits or Limits()
    context = _forkserver()
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, str(path), name, limits), name="jixiao-reader", daemon=True)
    start = time.monotonic()
    with _without_main():
        child.start()
    send.close()
    reply: tuple[Any, ...] | None = None
    seconds = limits.seconds  # a scan's child says how long it was given
    try:
        while reply is None:
            left = start + seconds + GRACE - time.monotonic()
            if left <= 0:
                break
            if receive.poll(min(left, 1.0)):
                message = receive.recv()
                if message[0] == "scan":
                    seconds = float(message[2])
                elif message[0] == "progress":
                    progress(float(message[1]), str(message[2]))
                else:
                    reply = message
            elif not child.is_alive() and not receive.poll(0):
                break
    except EOFError:  # the child died before it could answer
        reply = None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    elapsed = time.monotonic() - start
    if reply is None:
        if elapsed >= seconds:
            message = f"读取超时（超过 {seconds:.0f} 秒），文件过大或结构异常，已停止"
        else:
            message = f"读取进程意外终止（退出码 {child.exitcode}），文件过大或结构异常，已停止"
        return Reading(None, SourceError(message, Location(file=name)), elapsed, 0.0)
    if reply[0] == "ok":
        return Reading(reply[1], None, reply[2], reply[3])
    return Reading(None, SourceError(reply[1], Location(**reply[2])), reply[3], reply[4])
