"""Reading files and folders: the entry points the CLI and the web use."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

from jixiao.core.errors import Location, SourceError
from jixiao.core.serialize import loads
from jixiao.documents import datapackage, safety
from jixiao.documents.department import settle_department
from jixiao.documents.limits import limit_for, too_large
from jixiao.documents.ocr.pages import IMAGE_SUFFIXES  # scanned pages, read by OCR (the extra ``.[ocr]``)
from jixiao.documents.oserrors import describe
from jixiao.documents.readers import read_source
from jixiao.documents.reading.provenance import CONFIDENCE, READ, FieldSource
from jixiao.documents.result import ImportResult, Progress, no_progress
from jixiao.documents.text import TEXT_SUFFIXES, read_bytes

# What a folder is searched for: text and JSON by default (``expand``); the commands that read
# published files (``jixiao import``, ``jixiao export``, ``jixiao demo --from``) ask for every format.
READABLE_SUFFIXES = (*TEXT_SUFFIXES, ".json")
CELL_SUFFIXES = (".xlsx", ".docx", ".pdf")
ALL_SUFFIXES = (*READABLE_SUFFIXES, *CELL_SUFFIXES, *IMAGE_SUFFIXES)


def _pages(progress: Progress) -> Callable[[int, int], None]:
    """The scan reader's page count as a stage of ``progress`` (OCR takes seconds a page)."""
    return lambda done, total: progress(done / max(total, 1), f"识别第 {done}/{total} 页")


def _read_cells(data: bytes, name: str, suffix: str, progress: Progress) -> ImportResult:
    """XLSX, DOCX and PDF: raw cells with their places, then the text pipeline (``tabular``).

    A scan (an image-only PDF, a Word file whose forms are pictures, a page image) goes to OCR instead.
    """
    from jixiao.documents import docx, ocr, pdf, tabular, xlsx

    parts = docx.read(data, name) if suffix == ".docx" else None
    scan = ocr.scan_pages(data, name, suffix, has_form=parts is not None and tabular.has_form(parts))
    if scan is not None:
        return ocr.read_scan(scan, name, _pages(progress))
    progress(0.0, {".xlsx": "读取工作表", ".docx": "读取 Word 表格", ".pdf": "读取 PDF 页面"}[suffix])
    if parts is None:
        parts = {".xlsx": xlsx.read, ".pdf": pdf.read}[suffix](data, name)
    return tabular.read_parts(parts, name, suffix.lstrip("."), separate=suffix == ".xlsx", progress=progress)


def scan_page_count(data: bytes, name: str) -> int:
    """How many pages OCR would read when the file is a scan (as :func:`import_bytes` decides), else 0.

    Nothing is rendered or recognised: the web asks before reading, to give a scan the time and memory
    OCR needs (seconds and about a gigabyte a page) and to refuse one with too many pages unread. A file
    that is not what its name says gives 0 here; reading it then says what is wrong.
    """
    from jixiao.documents import docx, tabular
    from jixiao.documents.ocr import pages

    suffix = Path(name).suffix.lower()
    try:
        if suffix in IMAGE_SUFFIXES:
            return pages.image_count(data) if len(data) <= safety.MAX_BYTES else 0
        if suffix not in (".pdf", ".docx"):
            return 0
        safety.check_format(data, name, suffix, "、".join(ALL_SUFFIXES))
        if suffix == ".pdf":
            return pages.scanned_pdf_pages(data, name)
        # a Word file is a scan when its body has pictures and its text no form: the pictures first (cheap)
        images = len(pages.docx_images(data, name))
        return 0 if not images or tabular.has_form(docx.read(data, name)) else images
    except SourceError:
        return 0


def _reading_of(text: str) -> dict[str, FieldSource]:
    """The sources ``jixiao import`` wrote beside a document (its ``reading``), so they survive a round trip."""
    try:
        tree = json.loads(text)
        fields = tree.get("reading", {}).get("fields", {}) if isinstance(tree, dict) else {}
        return {
            path: FieldSource(f.get("line"), f.get("column"), f.get("confidence", READ), f.get("note", ""))
            for path, f in fields.items()
            if isinstance(f, dict) and f.get("confidence", READ) in CONFIDENCE
        }
    except (ValueError, AttributeError):
        return {}  # the document itself was read by loads; a malformed reading record is left out


def _read_json(data: bytes, name: str, suffix: str, progress: Progress) -> ImportResult:
    """A document JSON (``jixiao import``'s output), with the reading record written beside it."""
    if len(data) > limit_for(suffix):
        raise SourceError(too_large(len(data), limit_for(suffix)), Location(file=name))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"JSON 文件必须是 UTF-8 编码（第 {exc.start} 字节处无法解码）", Location(file=name)) from None
    if datapackage.is_package(text):
        raise datapackage.refuse_alone(name)
    return ImportResult(source=name, document=loads(text, source=name), layout="json", fields=_reading_of(text))


def _refuse_alone(data: bytes, name: str, suffix: str, progress: Progress) -> ImportResult:
    """A CSV is one table of a data package: only its folder (or its ``datapackage.json``) can be read."""
    raise datapackage.refuse_alone(name)


def _read_text(data: bytes, name: str, suffix: str, progress: Progress) -> ImportResult:
    """Text (pdftotext output, tab-separated forms, Markdown): the encoding found, then the text pipeline."""
    progress(0.0, "识别编码")
    return read_source(read_bytes(data, name), progress)


# The one table of readers, by file type: (data, name, suffix, progress) -> the result.
Reader = Callable[[bytes, str, str, Progress], ImportResult]
READERS: dict[str, Reader] = {
    **dict.fromkeys(TEXT_SUFFIXES, _read_text),
    ".json": _read_json,
    ".csv": _refuse_alone,
    **dict.fromkeys(CELL_SUFFIXES, _read_cells),
    **dict.fromkeys(IMAGE_SUFFIXES, _read_cells),
}


def import_bytes(data: bytes, name: str, progress: Progress = no_progress) -> ImportResult:
    """Read one source given as bytes; ``name`` (a file name) decides the format and names the source.

    The content is checked against the extension first (:mod:`jixiao.documents.safety`), so a
    renamed, oversized or old-format file is refused before any parser sees it; then the reader of
    its type (:data:`READERS`) reads it. ``progress`` is told each stage (and each page of a scan:
    OCR takes seconds a page).
    """
    suffix = Path(name).suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        safety.check_size(len(data), name)  # an image has no container to check: its size only
    elif suffix in (*ALL_SUFFIXES, *safety.OLD_FORMATS):
        safety.check_format(data, name, suffix, "、".join(ALL_SUFFIXES))
    reader = READERS.get(suffix)
    if reader is None:
        allowed = "、".join(ALL_SUFFIXES)
        raise SourceError(f"不支持的文件类型 {suffix or '(无扩展名)'}；可读取：{allowed}", Location(file=name))
    result = reader(data, name, suffix, progress)
    # a department-wide form read like a project's: its goals and money moved to the department's places
    return result if reader is _read_json else settle_department(result)


def import_path(path: Path, progress: Progress = no_progress) -> ImportResult:
    """Read one file (or the folder of a CSV package written by ``jixiao export --to csv``)."""
    if path.is_dir() and (path / datapackage.DESCRIPTOR).is_file():
        return datapackage.read(path)
    try:
        size = path.stat().st_size
        limit = limit_for(path.suffix)
        if size > limit:
            raise SourceError(too_large(size, limit), Location(file=str(path)))
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"无法读取文件：{describe(exc)}", Location(file=str(path))) from None
    # a CSV package's descriptor is read with the tables beside it, which only a path can reach
    if path.suffix.lower() == ".json" and datapackage.is_package(data[:4096].decode("utf-8", "ignore")):
        return datapackage.read(path)
    return import_bytes(data, str(path), progress)


def expand(paths: list[Path], suffixes: tuple[str, ...] = READABLE_SUFFIXES) -> Iterator[Path]:
    """The readable files named by ``paths``; a folder is searched recursively, in name order.

    ``suffixes`` are the file types searched for in a folder (text and JSON by default).
    In a folder, hidden files and README files (a folder's own description)
    are passed over; a file named explicitly is always read.
    """
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if (
                    child.is_file()
                    and child.suffix.lower() in suffixes
                    and not hidden
                    and child.stem.lower() != "readme"
                ):
                    yield child
        else:
            yield path
