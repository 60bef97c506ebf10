"""Hostile files, made on the spot: decompression bombs in PDF filters, XLSX and DOCX archives, and a JSON nest.

Each maker returns ``(name, bytes)`` small enough to upload (under the 20 MB limit) and built in well under a
second, so the hostile-file tests and ``benchmarks/bench_hostile.py`` share them. :func:`read_in_child` reads one
file with ``jixiao.documents.importer.import_bytes`` in a fresh Python process and reports what happened with
the time and that process's peak resident memory: the figures the hostile-file suite asserts.
"""

from __future__ import annotations

import functools
import json
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

MB = 1 << 20


def zeros_deflated(megabytes: int) -> bytes:
    """A zlib stream that inflates to ``megabytes`` MB of zero bytes, made without compressing them.

    After a full flush every further megabyte of zeros compresses to the same block, so the stream is
    the first block, that block repeated, an empty final block and the Adler-32 of the zeros (a = 1,
    b = length mod 65521).
    """
    squeeze = zlib.compressobj(9)
    zero = bytes(MB)
    first = squeeze.compress(zero) + squeeze.flush(zlib.Z_FULL_FLUSH)
    block = squeeze.compress(zero) + squeeze.flush(zlib.Z_FULL_FLUSH)
    size = megabytes * MB
    return first + block * (megabytes - 1) + b"\x03\x00" + struct.pack(">I", ((size % 65521) << 16) | 1)


def pdf(stream: bytes, stream_dict: bytes) -> bytes:
    """A one-page PDF whose page content is ``stream`` under the stream dictionary entries ``stream_dict``."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" " + stream_dict + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def pdf_nested_flate() -> tuple[str, bytes]:
    """Two Flate layers: about 5 KB that inflate to 2 GB (the attack of issue 12)."""
    return "nested-flate.pdf", pdf(zlib.compress(zeros_deflated(2048), 9), b"/Filter [/FlateDecode /FlateDecode]")


def pdf_abbreviated_filter() -> tuple[str, bytes]:
    """The filter named by its abbreviation ``/Fl``: 1 MB that inflates to 1 GB."""
    return "abbreviated.pdf", pdf(zeros_deflated(1024), b"/Filter /Fl")


def pdf_escaped_filter() -> tuple[str, bytes]:
    """The filter name written with an escape (``/Flat#65Decode`` is ``/FlateDecode``)."""
    return "escaped.pdf", pdf(zeros_deflated(1024), b"/Filter /Flat#65Decode")


def pdf_padded_filter() -> tuple[str, bytes]:
    """``/FlateDecode`` followed by 4 KB of dictionary padding, far from the ``stream`` keyword."""
    return "padded.pdf", pdf(zeros_deflated(1024), b"/Filter /FlateDecode /Padding (" + b"x" * 4096 + b")")


def pdf_runlength() -> tuple[str, bytes]:
    """RunLengthDecode: 8 MB of runs, each two bytes for 128 zeros, 512 MB in all."""
    return "runlength.pdf", pdf(b"\x81\x00" * (4 * MB), b"/Filter /RunLengthDecode")


def pdf_hex_then_flate() -> tuple[str, bytes]:
    """A chain: hexadecimal text that is a Flate bomb (``[/AHx /Fl]``, 1 GB at the end)."""
    return "hex-flate.pdf", pdf(zeros_deflated(1024).hex().encode() + b">", b"/Filter [/AHx /Fl]")


def _archive(members: dict[str, bytes]) -> bytes:
    out = BytesIO()
    # level 1: the large members compress three times faster, and still well under the 20 MB upload limit
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


def _workbook_members() -> dict[str, bytes]:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "表1"
    ws.append(["项目名称", "测试项目"])
    buffer = BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(BytesIO(buffer.getvalue())) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


_SST_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_SST_REL = (
    b'<Relationship Id="rId99" Target="sharedStrings.xml" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
)


def xlsx_with_shared_strings(count: int) -> bytes:
    """A workbook of one two-cell sheet whose shared-string table holds ``count`` numbered strings."""
    members = _workbook_members()
    items = "".join([f"<si><t>项目名称{n:07d}</t></si>" for n in range(count)]).encode()
    members["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
        % (count, count)
        + items
        + b"</sst>"
    )
    if _SST_TYPE not in members["[Content_Types].xml"]:
        members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(b"</Types>", _SST_TYPE + b"</Types>")
        rels = "xl/_rels/workbook.xml.rels"
        members[rels] = members[rels].replace(b"</Relationships>", _SST_REL + b"</Relationships>")
    return _archive(members)


def xlsx_shared_strings_bomb() -> tuple[str, bytes]:
    """127 MB of shared strings that no cell uses, at a ratio of about 9 (under every zip limit before)."""
    return "shared-strings.xlsx", xlsx_with_shared_strings(3_500_000)


def _sheet(rows: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + rows
        + b"</sheetData></worksheet>"
    )


_COLS = [(k, (chr(65 + k // 26 - 1) if k >= 26 else "").encode() + chr(65 + k % 26).encode()) for k in range(30)]


def xlsx_many_cells() -> tuple[str, bytes]:
    """A sheet of 3,000,000 numeric cells (100 MB of XML at a ratio under 20), each one legal on its own."""
    rows = b"".join(
        b'<row r="%d">' % r
        + b"".join(b'<c r="%s%d"><v>%d</v></c>' % (col, r, r * 7 + k) for k, col in _COLS)
        + b"</row>"
        for r in range(1, 100_001)
    )
    members = _workbook_members()
    members["xl/worksheets/sheet1.xml"] = _sheet(rows)
    return "many-cells.xlsx", _archive(members)


def _raw_zip(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """An archive written by hand: ``(name, raw deflate data, crc, declared size, local header index)`` each.

    An entry whose index points at an earlier entry shares that entry's data (no local header of its own),
    which is how a non-recursive zip bomb overlaps its files.
    """
    out = BytesIO()
    offsets: list[int] = []
    central = BytesIO()
    for n, (name, data, crc, size, index) in enumerate(entries):
        encoded = name.encode()
        if index == n:
            offsets.append(out.tell())
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0))
            out.write(encoded + data)
        else:
            offsets.append(offsets[index])
        central.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offsets[n],
            )
            + encoded
        )
    start = out.tell()
    out.write(central.getvalue())
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), central.tell(), start, 0))
    return out.getvalue()


def _deflated_members(members: dict[str, bytes]) -> list[tuple[str, bytes, int, int, int]]:
    entries = []
    for n, (name, body) in enumerate(members.items()):
        squeeze = zlib.compressobj(6, zlib.DEFLATED, -15)
        entries.append((name, squeeze.compress(body) + squeeze.flush(), zlib.crc32(body), len(body), n))
    return entries


def _zeros_entry(name: str, megabytes: int, declared: int | None, index: int) -> tuple[str, bytes, int, int, int]:
    """An entry of ``megabytes`` MB of zeros, raw deflate (the zlib stream without its header and checksum)."""
    crc = 0
    zero = bytes(MB)
    for _ in range(megabytes):
        crc = zlib.crc32(zero, crc)
    raw = zeros_deflated(megabytes)[2:-4]
    return (name, raw, crc, megabytes * MB if declared is None else declared, index)


def _zeros_workbook(declared: int | None = None, copies: int = 0) -> bytes:
    members = _workbook_members()
    sheet = "xl/worksheets/sheet1.xml"
    entries = _deflated_members({k: v for k, v in members.items() if k != sheet})
    at = len(entries)
    entries.append(_zeros_entry(sheet, 1024, declared, at))
    entries += [(f"xl/worksheets/copy{n}.xml", *entries[at][1:4], at) for n in range(copies)]
    return _raw_zip(entries)


def xlsx_zeros() -> tuple[str, bytes]:
    """The classic zip bomb: a sheet that inflates from 1 MB to 1 GB, its size declared honestly."""
    return "zeros.xlsx", _zeros_workbook()


def xlsx_lying_sizes() -> tuple[str, bytes]:
    """A sheet whose archive entry claims 100 bytes but inflates to 1 GB."""
    return "lying.xlsx", _zeros_workbook(declared=100)


def xlsx_overlapping() -> tuple[str, bytes]:
    """Five directory entries sharing one deflated sheet (a non-recursive zip bomb): 5 GB declared in all."""
    return "overlapping.xlsx", _zeros_workbook(copies=4)


def docx_huge_body() -> tuple[str, bytes]:
    """A Word document whose body is 2,000,000 numbered paragraphs (about 100 MB of XML at a ratio under 30)."""
    from docx import Document

    buffer = BytesIO()
    Document().save(buffer)
    with zipfile.ZipFile(BytesIO(buffer.getvalue())) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    body = b"".join(b"<w:p><w:r><w:t>%d</w:t></w:r></w:p>" % (n * 7919) for n in range(2_000_000))
    document = members["word/document.xml"]
    members["word/document.xml"] = document.replace(b"<w:body>", b"<w:body>" + body, 1)
    return "huge-body.docx", _archive(members)


def json_nest() -> tuple[str, bytes]:
    """A JSON document nested a million arrays deep (the parser's recursion, not its memory)."""
    return "nest.json", b"[" * 1_000_000 + b"]" * 1_000_000


BOMBS: dict[str, Callable[[], tuple[str, bytes]]] = {
    "pdf-nested-flate": pdf_nested_flate,
    "pdf-abbreviated": pdf_abbreviated_filter,
    "pdf-escaped": pdf_escaped_filter,
    "pdf-padded": pdf_padded_filter,
    "pdf-runlength": pdf_runlength,
    "pdf-hex-flate": pdf_hex_then_flate,
    "xlsx-shared-strings": xlsx_shared_strings_bomb,
    "xlsx-many-cells": xlsx_many_cells,
    "xlsx-zeros": xlsx_zeros,
    "xlsx-lying-sizes": xlsx_lying_sizes,
    "xlsx-overlapping": xlsx_overlapping,
    "docx-huge-body": docx_huge_body,
    "json-nest": json_nest,
}


@functools.cache
def make(bomb: str) -> tuple[str, bytes]:
    """The bomb of that key, made once per test session (the web and the reader suites share it)."""
    return BOMBS[bomb]()


# What each refusal must say, so that the reader's own check refused it (not a crash or a time-out).
REASONS = {
    "pdf-nested-flate": "解压",
    "pdf-abbreviated": "解压",
    "pdf-escaped": "解压",
    "pdf-padded": "解压",
    "pdf-runlength": "解压",
    "pdf-hex-flate": "解压",
    "xlsx-shared-strings": "共享字符串",
    "xlsx-many-cells": "单元格",
    "xlsx-zeros": "压缩炸弹",
    "xlsx-lying-sizes": "损坏",
    "xlsx-overlapping": "压缩炸弹",
    "docx-huge-body": "过大",
    "json-nest": "嵌套",
}


@dataclass(frozen=True)
class Outcome:
    """What reading one file in a fresh process did."""

    refused: bool  # a SourceError (a refusal with its place), not a crash or a result
    message: str
    file: str  # the file the message names
    seconds: float
    peak_mb: float  # the reading process's peak resident memory
    base_mb: float  # its resident memory before reading (the interpreter and the readers' libraries)


_CHILD = r"""
import json, resource, sys, time
def peak_mb():
    # VmHWM, not ru_maxrss: after exec, Linux carries the parent's peak into ru_maxrss
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
path, name, cap = sys.argv[1], sys.argv[2], int(sys.argv[3])
# a safety cap, so that a bomb the reader lets through fails this process, never the machine
resource.setrlimit(resource.RLIMIT_AS, (cap << 20, cap << 20))
import openpyxl, pdfplumber, docx  # noqa: the readers' libraries count in the base, as in a worker
from jixiao.core.errors import JixiaoError
from jixiao.documents.importer import import_bytes
data = open(path, "rb").read()
base = peak_mb()
start = time.perf_counter()
try:
    import_bytes(data, name)
    out = {"refused": False, "message": "read", "file": name}
except JixiaoError as exc:
    out = {"refused": True, "message": exc.message, "file": exc.location.file}
except BaseException as exc:
    out = {"refused": False, "message": f"{type(exc).__name__}: {exc}"[:300], "file": ""}
out["seconds"] = time.perf_counter() - start
out["peak_mb"] = peak_mb()
out["base_mb"] = base
print(json.dumps(out, ensure_ascii=False))
"""


def read_in_child(data: bytes, name: str, cap_mb: int = 2048, timeout: float = 120) -> Outcome:
    """Read ``data`` as ``name`` with ``import_bytes`` in a fresh process; its time and peak memory."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload"
        path.write_bytes(data)
        try:
            proc = subprocess.run(
                [sys.executable, "-c", _CHILD, str(path), name, str(cap_mb)],
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return Outcome(False, f"still reading after {timeout:.0f} s", "", timeout, float("nan"), float("nan"))
    lines = proc.stdout.strip().splitlines()
    if not lines:
        return Outcome(False, f"the process died ({proc.returncode}): {proc.stderr[-300:]}", "", 0, 0, 0)
    return Outcome(**json.loads(lines[-1]))
