"""A file is read in a child process that cannot outlive its time or memory, nor take its caller down."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from jixiao.core.serialize import dumps
from jixiao.documents import isolated
from jixiao.documents.importer import import_path
from tests.hostile import pdf, pdf_nested_flate

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "2024-self-evaluation-tabbed.txt"


def _slow_pdf(tmp_path: Path) -> Path:
    """A page of 100,000 drawn lines: no bomb to any decoder, and minutes of pdfminer's time."""
    path = tmp_path / "lines.pdf"
    path.write_bytes(pdf(zlib.compress(b"0 0 m 10 10 l S\n" * 100_000), b"/Filter /FlateDecode"))
    return path


def test_a_file_reads_as_in_process_with_its_cost() -> None:
    """The child's result is the in-process result; the time and the peak memory come with it."""
    reading = isolated.read_file(EXAMPLE, "自评表.txt")
    assert reading.error is None and reading.result is not None
    assert dumps(reading.result.document) == dumps(import_path(EXAMPLE).document)
    assert reading.result.source == "自评表.txt"
    assert 0 < reading.seconds < 30 and 10 < reading.peak_mb < 300


def test_a_bomb_is_refused_with_the_readers_reason(tmp_path: Path) -> None:
    """The reader's own refusal comes back whole: message and file."""
    name, data = pdf_nested_flate()
    (tmp_path / "upload").write_bytes(data)
    reading = isolated.read_file(tmp_path / "upload", name)
    assert reading.result is None and reading.error is not None
    assert "解压炸弹" in reading.error.message and reading.error.location.file == name
    assert reading.peak_mb < 300


def test_reading_past_the_time_limit_is_stopped(tmp_path: Path) -> None:
    """The alarm stops pdfminer in the middle of a page; the refusal says how long was allowed."""
    start = time.monotonic()
    reading = isolated.read_file(_slow_pdf(tmp_path), "lines.pdf", isolated.Limits(seconds=2))
    assert time.monotonic() - start < 2 + isolated.GRACE + 1  # a second to start and reap the child on a busy machine
    assert reading.error is not None and "读取超时（超过 2 秒）" in reading.error.message
    assert reading.error.location.file == "lines.pdf"


def test_reading_past_the_memory_limit_is_stopped(tmp_path: Path) -> None:
    """Sixty megabytes beyond its start are not enough for that page: the child stops, the caller goes on.

    (Twenty would stop pdfium first, which aborts the process instead of failing: a crash, refused as such.)
    """
    reading = isolated.read_file(_slow_pdf(tmp_path), "lines.pdf", isolated.Limits(memory_mb=60))
    assert reading.error is not None and "内存超过上限（60 MB）" in reading.error.message
    assert isolated.read_file(EXAMPLE, "again.txt").result is not None  # the next file reads as ever


def test_after_running_out_the_child_gets_room_to_answer() -> None:
    """Out of memory, the child lifts its soft limit to the hard one: building and sending the refusal needs memory.

    (Without it the child sometimes died while answering, under load, and the caller could only say it crashed.)
    """
    program = (
        "import resource\n"
        "from jixiao.documents import isolated\n"
        "size = isolated._limit_memory(20, 200)\n"
        "try:\n"
        "    block = bytearray(100 * 1024 * 1024)\n"
        "    print('not limited')\n"
        "except MemoryError:\n"
        "    isolated._lift_memory_limit()\n"
        "    block = bytearray(100 * 1024 * 1024)  # within the hard limit: the room a refusal needs\n"
        "    soft, hard = resource.getrlimit(resource.RLIMIT_AS)\n"
        "    print('lifted' if size and soft == hard else 'not lifted')\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=False)
    assert done.stdout.strip() == "lifted", done.stderr


@contextmanager
def _signal_the_reader(signum: int) -> Iterator[None]:
    """Send ``signum`` to the reading child as soon as it exists."""

    def watch() -> None:
        for _ in range(500):
            children = [c for c in multiprocessing.active_children() if c.name == "jixiao-reader"]
            if children and children[0].pid:
                time.sleep(0.3)
                os.kill(children[0].pid, signum)
                return
            time.sleep(0.01)

    thread = threading.Thread(target=watch)
    thread.start()
    try:
        yield
    finally:
        thread.join()


def test_a_child_stuck_beyond_the_alarm_is_killed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A child that answers no signal (stopped, as if stuck in C code) is killed after the grace period."""
    monkeypatch.setattr(isolated, "GRACE", 1.0)
    start = time.monotonic()
    with _signal_the_reader(signal.SIGSTOP):
        reading = isolated.read_file(_slow_pdf(tmp_path), "stuck.pdf", isolated.Limits(seconds=2))
    assert 2 <= time.monotonic() - start < 10
    assert reading.error is not None and "读取超时" in reading.error.message
    assert not [c for c in multiprocessing.active_children() if c.name == "jixiao-reader"]


def test_a_crashed_child_is_a_refusal_not_a_crash(tmp_path: Path) -> None:
    """A segmentation fault in the child ends the child; the caller gets a refusal naming the file."""
    with _signal_the_reader(signal.SIGSEGV):
        reading = isolated.read_file(_slow_pdf(tmp_path), "crash.pdf")
    assert reading.error is not None and reading.error.location.file == "crash.pdf"
    assert "读取进程意外终止" in reading.error.message


def test_an_unreadable_path_is_a_refusal(tmp_path: Path) -> None:
    """Whatever goes wrong in the child comes back as a refusal naming the file."""
    reading = isolated.read_file(tmp_path / "missing", "缺失.txt")
    assert reading.error is not None and reading.error.location.file == "缺失.txt"
    assert "FileNotFoundError" in reading.error.message


def test_a_caller_whose_program_came_from_standard_input_can_read() -> None:
    """The child never imports the caller's main module (multiprocessing would, and fail on ``python -``)."""
    script = f"from jixiao.documents import isolated\nprint(isolated.read_file({str(EXAMPLE)!r}, 'x.txt').error)\n"
    done = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "None", done.stderr[-500:]


def _blank_scan(tmp_path: Path, pages: int) -> Path:
    """An image-only PDF of blank pages: a scan to the reader, though nothing on it is a form."""
    from PIL import Image

    from tests.documents.ocr import testset

    path = tmp_path / "scan.pdf"
    path.write_bytes(testset.image_pdf([Image.new("RGB", (620, 877), "white")] * pages, 75))
    return path


def test_a_scan_past_the_page_limit_is_refused_unread(tmp_path: Path) -> None:
    """A scan with more pages than allowed is refused before any page is recognised, saying how to read it."""
    stages: list[str] = []
    limits = isolated.Limits(scan_max_pages=2)
    reading = isolated.read_file(
        _blank_scan(tmp_path, 3), "扫描件.pdf", limits, lambda done, stage: stages.append(stage)
    )
    assert reading.result is None and reading.error is not None
    assert reading.error.message == (
        "扫描件共 3 页，超过网页导入一次可识别的上限（2 页）；"
        "请拆分成较小的文件分别上传，或在命令行用 jixiao import 读取"
    )
    assert str(reading.error).startswith("扫描件.pdf")
    assert stages == []  # refused before reading began


@pytest.mark.shared
@pytest.mark.ocr
def test_a_scan_gets_its_own_time_and_memory_and_reports_each_page(tmp_path: Path) -> None:
    """OCR needs more than the ordinary limits allow: a scan is given memory and time a page, and says each page.

    With no scan budget the same file is stopped (its memory), so the budget is what lets it through.
    """
    from tests.documents.ocr import testset

    path = tmp_path / "003.pdf"
    path.write_bytes(testset.scan_of("003", testset.VARIANTS["clean-300"]))
    stages: list[str] = []
    ordinary = isolated.Limits(seconds=5, memory_mb=1024, scan_memory_mb=1024, scan_seconds_per_page=60)
    refused = isolated.read_file(path, "003.pdf", ordinary)
    assert refused.error is not None and "内存超过上限（1024 MB）" in refused.error.message
    scan = isolated.Limits(seconds=5, memory_mb=1024, scan_memory_mb=2048, scan_seconds_per_page=60)
    reading = isolated.read_file(path, "003.pdf", scan, lambda done, stage: stages.append(stage))
    assert reading.error is None and reading.result is not None, reading.error
    assert reading.seconds > 5  # past the ordinary time: the pages' time let it finish
    assert [p.name for p in reading.result.document.projects] == [p.name for p in testset.gold_document("003").projects]
    assert [s for s in stages if s.startswith("识别")] == ["识别第 1/3 页", "识别第 2/3 页", "识别第 3/3 页"]
