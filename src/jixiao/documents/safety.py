"""Checks before a file is parsed: size, content against extension, zip and PDF bombs, time limits.

Uploaded files are hostile until shown otherwise (reliability.md, "Files"). Every check here runs
on the raw bytes before any parser sees them, costs time bounded by the size limit, and refuses
with a :class:`~jixiao.core.errors.SourceError` that says in plain words what is wrong:

- at most :data:`MAX_BYTES` (20 MB) per file;
- the content must be what the extension says (a ``.xlsx`` that is a PDF, a ``.txt`` that is a zip
  archive, an encrypted Office file are refused, and ``.xls``/``.doc`` are named as old formats);
- an XLSX or DOCX (a zip archive) is checked from its directory before it is opened: number of
  entries, total and per-entry uncompressed size, compression ratio; no XML part may carry a
  document type definition (the vehicle of entity bombs; Office never writes one); and what its
  parts hold (cells, shared strings, elements) is counted by :mod:`jixiao.documents.ooxml`;
- a PDF's streams are decoded by the bounded decoders of :mod:`jixiao.documents.pdfstreams`;
- readers check a :class:`Deadline` as they go, and limit rows and pages.
"""

from __future__ import annotations

import re
import struct
import time
import zipfile
import zlib
from io import BytesIO

from jixiao.core.errors import Location, SourceError
from jixiao.documents import limits, ooxml, sniffing

MAX_BYTES = limits.MAX_BYTES
MAX_ZIP_ENTRIES = 10_000
MAX_UNCOMPRESSED = 256 * 1024 * 1024  # all entries together
MAX_ENTRY = 128 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for entries above RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_ROWS = 200_000  # rows read from all sheets of a workbook together
MAX_COLUMNS = 64
MAX_PAGES = 1_000
SECONDS = 60.0

_EMPTY_ZIP = b"PK\x05\x06"
OLD_FORMATS = {
    ".xls": "旧版 Excel 格式（.xls）不能读取：请在 Excel 或 WPS 中另存为 .xlsx 后再导入",
    ".doc": "旧版 Word 格式（.doc）不能读取：请在 Word 或 WPS 中另存为 .docx 后再导入",
    ".et": "WPS 表格格式（.et）不能读取：请另存为 .xlsx 后再导入",
    ".wps": "WPS 文字格式（.wps）不能读取：请另存为 .docx 后再导入",
}
_EXPECTED = {".xlsx": "zip", ".docx": "zip", ".pdf": "pdf"}
_MEMBER = {".xlsx": "xl/workbook.xml", ".docx": "word/document.xml"}


def _fail(name: str, message: str) -> SourceError:
    return SourceError(message, Location(file=name))


def check_size(size: int, name: str, limit: int = MAX_BYTES) -> None:
    """Refuse a file above ``limit`` (:data:`MAX_BYTES`, 20 MB, for a form) before reading it."""
    if size > limit:
        raise _fail(name, limits.too_large(size, limit))


def sniff(data: bytes) -> str:
    """What the bytes are: ``zip``, ``pdf``, ``ole`` (old or encrypted Office), ``text``, or another format.

    The other formats (``elf``, ``png``, ``gzip``, ``binary``…) are named by :mod:`jixiao.documents.sniffing`.
    """
    return sniffing.kind_of(data)


def check_format(data: bytes, name: str, suffix: str, readable: str = "") -> None:
    """Refuse content that does not match the extension, naming both (and ``readable``, what can be read)."""
    check_size(len(data), name, limits.limit_for(suffix))
    listed = f"（可读取：{readable}）" if readable else ""
    if suffix in OLD_FORMATS:
        raise _fail(name, OLD_FORMATS[suffix] + listed)
    found = sniff(data)
    expected = _EXPECTED.get(suffix, "text")
    if found == expected:
        return
    if found == "ole" and suffix in (".xlsx", ".docx"):
        raise _fail(
            name,
            "文件是加密的 Office 文档或旧版 .xls/.doc 格式，不能读取：请取消打开密码，或另存为 .xlsx/.docx 后再导入",
        )
    hint = listed
    shown = suffix or "(无)"
    if expected == "text":
        hint = "（二进制文件，不是文本提取结果）" + hint
    raise _fail(
        name,
        f"文件内容与扩展名不符：扩展名是 {shown}，内容却是{sniffing.label(found)}。"
        f"请确认文件格式或改用正确的扩展名{hint}",
    )


def _zip_entry_count(data: bytes) -> int | None:
    """The entry count the zip's end record declares, read before the directory is parsed."""
    # The end record sits in the last 22 bytes plus at most a 64 KB comment; reading the count
    # there costs nothing, while zipfile would build an object per directory entry first.
    tail = data[-(65536 + 22) :]
    at = tail.rfind(_EMPTY_ZIP)
    if at < 0 or at + 22 > len(tail):
        return None
    (total,) = struct.unpack("<H", tail[at + 10 : at + 12])
    return int(total)


_ROOT = re.compile(rb"<[A-Za-z_]")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _has_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """True when an XML part declares a DTD; only its prolog (before the root element) is read."""
    seen = b""
    with archive.open(info) as member:
        while True:
            chunk = member.read(65536)
            if not chunk:
                return bool(_DTD.search(seen))
            seen = seen[-16:] + chunk
            root = _ROOT.search(seen)
            if root is not None:
                return bool(_DTD.search(seen[: root.start()]))
            if _DTD.search(seen):
                return True


def check_zip(data: bytes, name: str, suffix: str) -> None:
    """Check an XLSX/DOCX archive before opening it: entries, sizes, ratio, DTDs, the expected part."""
    count = _zip_entry_count(data)
    if count is None:
        raise _fail(name, "文件不是完整的 Office 文档（压缩包结构损坏或被截断）")
    if count >= min(MAX_ZIP_ENTRIES, 0xFFFF):
        raise _fail(name, f"压缩包内的文件过多（{count} 个，上限 {MAX_ZIP_ENTRIES} 个），已拒绝")
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _fail(name, f"文件不是有效的 Office 文档（{exc}）") from None
    with archive:
        infos = archive.infolist()
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise _fail(name, "文件已加密，不能读取：请取消密码后再导入")
            total += info.file_size
            # declared sizes are enough: zipfile never inflates past them (and then fails the CRC)
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_ENTRY or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
                raise _fail(
                    name,
                    f"压缩包中的 {info.filename} 解压后过大（{info.file_size} 字节，压缩比 {ratio:.0f}:1），"
                    "疑似“压缩炸弹”，已拒绝",
                )
        if total > MAX_UNCOMPRESSED:
            raise _fail(name, f"压缩包解压后共 {total} 字节，超过上限 {MAX_UNCOMPRESSED} 字节，疑似“压缩炸弹”，已拒绝")
        member = _MEMBER.get(suffix)
        names = {i.filename for i in infos}
        if member and member not in names:
            other = next((k for k, v in _MEMBER.items() if v in names), None)
            what = f"却是 {other} 文件" if other else "但缺少其主体部分"
            raise _fail(name, f"文件内容与扩展名不符：扩展名是 {suffix}，{what}")
        try:
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and _has_dtd(archive, info):
                    raise _fail(
                        name,
                        f"文件中的 {info.filename} 含有 XML 文档类型定义（DTD/实体）；正常的 Office 文件不会有，"
                        "这可能是“XML 实体炸弹”，已拒绝",
                    )
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise _fail(name, f"文件中的压缩数据已损坏（{exc}）") from None
        ooxml.check(archive, infos, name, suffix)


class Deadline:
    """A time limit for one file; readers call :meth:`check` between rows or pages."""

    def __init__(self, name: str, seconds: float = SECONDS) -> None:
        self.name = name
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self, where: Location | None = None) -> None:
        """Refuse the file when its time is up."""
        if time.monotonic() > self.end:
            raise SourceError(
                f"读取超时（超过 {self.seconds:.0f} 秒），文件过大或结构异常，已停止", where or Location(file=self.name)
            )
