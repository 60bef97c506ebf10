"""Text sources: bytes in, numbered lines out. Knows nothing of the forms.

Published text extractions arrive as UTF-8 (with or without a BOM), UTF-16
with a BOM, or the GB18030 family (GBK, GB2312) that Chinese Windows tools
still write. Decoding is strict: a file that is none of these is refused
with the byte offset where it stops making sense, never half-read.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from jixiao.core.errors import EncodingError, Location, SourceError
from jixiao.documents.limits import MAX_BYTES, too_large
from jixiao.documents.oserrors import describe

TEXT_SUFFIXES = (".txt", ".md", ".text", ".markdown")


@dataclass(frozen=True, slots=True)  # one per line of a file of up to 20 MB: no per-object dict
class SourceLine:
    """One physical line of a source file (1-based ``number``), newline removed."""

    number: int
    text: str


@dataclass(frozen=True)
class TextSource:
    """A decoded text file: its name, the encoding found, and its lines."""

    name: str
    encoding: str
    lines: tuple[SourceLine, ...]


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode ``data``; return (text, encoding name) or raise :class:`EncodingError` naming where it fails."""
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8-sig", data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, body = "utf-16", data
    else:
        encoding, body = "", data
    if encoding:
        codec = "utf-8" if encoding == "utf-8-sig" else encoding
        try:
            return body.decode(codec), encoding
        except UnicodeDecodeError as exc:
            # offsets count from the start of the file, BOM included
            offset = exc.start + (len(data) - len(body))
            line = _line_of(data, offset) if codec == "utf-8" else None
            raise EncodingError(
                f"文件声明为 {encoding} 编码，但第 {offset} 字节处无法解码", Location(file=name, line=line)
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            line = _line_of(data, utf8_error.start)
            raise EncodingError(
                f"无法识别文件编码：既不是 UTF-8 也不是 GB18030/GBK（第 {utf8_error.start} 字节起无法解码）",
                Location(file=name, line=line),
            ) from None
    # GB18030 maps every byte sequence it accepts to some character; binary junk
    # decodes to control characters, which no real form contains.
    bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if bad > max(3, len(text) // 200):
        raise EncodingError("文件看起来不是文本（含大量控制字符），请提供文本提取结果", Location(file=name))
    return text, "gb18030"


def split_lines(text: str) -> tuple[SourceLine, ...]:
    """Number the lines of ``text``; form feeds (page breaks) end a line like a newline does."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return tuple(SourceLine(n, line) for n, line in enumerate(text.split("\n"), start=1))


def read_bytes(data: bytes, name: str) -> TextSource:
    """A :class:`TextSource` from raw bytes; refuses empty, oversized and binary input."""
    if len(data) > MAX_BYTES:
        raise SourceError(too_large(len(data), MAX_BYTES), Location(file=name))
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SourceError("文件含有二进制内容，不是文本提取结果", Location(file=name))
    text, encoding = decode(data, name)
    if not text.strip():
        raise SourceError("文件是空的", Location(file=name))
    return TextSource(name=name, encoding=encoding, lines=split_lines(text))


def read_path(path: Path) -> TextSource:
    """Read and decode one text file; unreadable files raise :class:`SourceError` naming the file."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SourceError(too_large(size, MAX_BYTES), Location(file=str(path)))
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"无法读取文件：{describe(exc)}", Location(file=str(path))) from None
    return read_bytes(data, str(path))
