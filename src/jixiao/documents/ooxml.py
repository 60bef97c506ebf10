"""What the XML parts of an XLSX or DOCX hold, counted before openpyxl or python-docx parses them.

The directory checks of :func:`jixiao.documents.safety.check_zip` bound how much an archive inflates
to, but not what parsing it costs: a workbook whose shared-string table holds millions of strings no
cell uses is small, under every ratio, and took a minute and a gigabyte to open (issue 12). What a
parser spends follows what is in the parts, so each XML part is inflated once, a step at a time (never
held whole), and counted; counting stops at the first limit passed, so a bomb is refused after the
first few megabytes of it:

- a workbook's cells (``<c>``, counted in every part) and its shared strings (``<si>``): at most
  :data:`MAX_CELLS` cells, and no more strings than cells (Excel and WPS keep only the strings their
  cells use), give or take :data:`SPARE_STRINGS`;
- the XML openpyxl parses whole (every part but the worksheets it streams): at most
  :data:`MAX_WHOLE_XML` bytes; python-docx parses every part whole, so a document's XML is bounded
  by :data:`MAX_DOCUMENT_XML` bytes and :data:`MAX_ELEMENTS` elements;
- one cell or string is at most :data:`MAX_ITEM` bytes of XML (Excel holds 32,767 characters in a
  cell): a stretch of a sheet or of the string table that long without a cell, row or string is one
  giant item, and refused.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass

from jixiao.core.errors import Location, SourceError

MB = 1 << 20
MAX_CELLS = 500_000  # a year's forms of a whole department fit in tens of thousands
SPARE_STRINGS = 1_000
MAX_WHOLE_XML = 32 * MB
MAX_DOCUMENT_XML = 16 * MB
MAX_ELEMENTS = 500_000  # a hundred pages of tables have about 200,000
MAX_ITEM = 2 * MB
_STEP = 1 * MB

# Counted with bytes.count, find and rfind (many times faster than regular expressions); a part with a
# namespace prefix (``<x:c r="A1">``) is counted with a regular expression.
_PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.-]{0,15}:c[\s/>]")
_PREFIXED_STRING = re.compile(rb"<[A-Za-z_][\w.-]{0,15}:si[\s/>]")
# what starts or ends a cell, a row or a string: a long stretch without one is a single huge item
_MARKS = (b"<c ", b"<c>", b":c ", b":c>", b"<si", b":si", b"<row", b":row", b"</row>", b"</si>")
# the end of the sheet's data or of the string table ends the watch (merged cells and the like follow)
_ENDS = (b"</sheetData>", b":sheetData>", b"</sst>", b":sst>")


@dataclass
class Counts:
    """What the XML parts of one archive hold (so far: counting stops at the first limit passed)."""

    cells: int = 0
    strings: int = 0
    elements: int = 0
    xml: int = 0  # inflated bytes of every XML part
    whole_xml: int = 0  # of the parts a workbook reader parses whole (all but worksheets)

    def add(self, chunk: bytes) -> None:
        """Count one inflated chunk."""
        self.cells += chunk.count(b"<c ") + chunk.count(b"<c>")
        self.strings += chunk.count(b"<si ") + chunk.count(b"<si>")
        if b":c" in chunk or b":si" in chunk:  # a part written with a namespace prefix (rare): count exactly
            self.cells += len(_PREFIXED_CELL.findall(chunk))
            self.strings += len(_PREFIXED_STRING.findall(chunk))
        # start tags: every < but those of end tags, declarations and processing instructions
        self.elements += chunk.count(b"<") - chunk.count(b"</") - chunk.count(b"<!") - chunk.count(b"<?")


def _fail(name: str, message: str) -> SourceError:
    return SourceError(message, Location(file=name))


def _too_big_document(name: str, size: int, elements: int | None = None) -> SourceError:
    found = f"解压后 {size / MB:.1f} MB" + (f"、{elements} 个元素以上" if elements is not None else "")
    return _fail(
        name,
        f"Word 文件的内容过大（{found}，上限 {MAX_DOCUMENT_XML // MB} MB、{MAX_ELEMENTS} 个元素），"
        "已拒绝：请拆分后再导入",
    )


def _limits(counts: Counts, name: str, suffix: str) -> None:
    """Refuse as soon as the counts so far pass a limit (the rest of the archive is never inflated)."""
    if suffix == ".docx":
        if counts.xml > MAX_DOCUMENT_XML or counts.elements > MAX_ELEMENTS:
            raise _too_big_document(name, counts.xml, counts.elements)
        return
    if counts.cells > MAX_CELLS:
        raise _fail(name, f"工作簿有超过 {MAX_CELLS} 个单元格，已拒绝：请拆分后再导入")
    # no more strings than cells; the cells may be counted later, but never more than MAX_CELLS of them
    if counts.strings > MAX_CELLS + SPARE_STRINGS:
        raise _strings(name, counts)


def _giant(name: str, info: zipfile.ZipInfo) -> SourceError:
    return _fail(name, f"{info.filename} 中有超过 {MAX_ITEM // MB} MB 的单元格或字符串，已拒绝")


def _strings(name: str, counts: Counts) -> SourceError:
    return _fail(
        name,
        f"工作簿的共享字符串表有 {counts.strings} 项以上，而工作表只有 {counts.cells} 个单元格："
        "正常保存的 Excel 文件不会这样，疑似“压缩炸弹”，已拒绝",
    )


def _first(chunk: bytes, needles: tuple[bytes, ...]) -> int:
    """Where the first of ``needles`` starts in ``chunk`` (-1: none)."""
    found = [at for needle in needles if (at := chunk.find(needle)) >= 0]
    return min(found, default=-1)


def _last(chunk: bytes, needles: tuple[bytes, ...]) -> int:
    """Where the last of ``needles`` ends in ``chunk`` (-1: none)."""
    found = [at + len(needle) for needle in needles if (at := chunk.rfind(needle)) >= 0]
    return max(found, default=-1)


def _measure(archive: zipfile.ZipFile, info: zipfile.ZipInfo, counts: Counts, name: str, suffix: str) -> None:
    """Inflate one XML part a step at a time, counting it; refuse at the first limit passed."""
    streamed = False
    size = 0
    watching = False  # inside a sheet's data or the string table
    since_mark = 0  # bytes since the last mark there
    with archive.open(info) as member:
        while chunk := member.read(_STEP):
            size += len(chunk)
            counts.xml += len(chunk)
            counts.add(chunk)
            streamed = streamed or b"sheetData" in chunk
            first = _first(chunk, _MARKS + _ENDS)
            if first < 0:
                since_mark += len(chunk)
            else:
                if watching and since_mark + first > MAX_ITEM:
                    raise _giant(name, info)
                mark, end = _last(chunk, _MARKS), _last(chunk, _ENDS)
                watching = mark > end
                since_mark = len(chunk) - max(mark, end)
            if watching and since_mark > MAX_ITEM:
                raise _giant(name, info)
            _limits(counts, name, suffix)
    if not streamed:
        counts.whole_xml += size


def check(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str, suffix: str) -> None:
    """Refuse an XLSX or DOCX whose XML would cost more to parse than any real form does."""
    parts = [info for info in infos if info.filename.endswith((".xml", ".rels"))]
    declared = sum(info.file_size for info in parts)
    if suffix == ".docx" and declared > MAX_DOCUMENT_XML:
        raise _too_big_document(name, declared)  # the declared sizes suffice: zipfile never inflates past them
    counts = Counts()
    try:
        for info in parts:
            _measure(archive, info, counts, name, suffix)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise _fail(name, f"文件中的压缩数据已损坏（{exc}）") from None
    if suffix == ".docx":
        return
    if counts.strings > counts.cells + SPARE_STRINGS:
        raise _strings(name, counts)
    if counts.whole_xml > MAX_WHOLE_XML:
        raise _fail(
            name,
            f"工作簿中工作表以外的部分（共享字符串、样式等）解压后共 {counts.whole_xml / MB:.0f} MB，"
            f"超过上限 {MAX_WHOLE_XML // MB} MB，已拒绝",
        )
