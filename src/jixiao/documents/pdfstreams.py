"""Bounded decoding of PDF streams: no filter chain may produce more than its file allows.

pdfminer.six (under pdfplumber) decodes a stream whole the first time it is read, in
``PDFStream.decode``: ``zlib.decompress`` for Flate, a list of ints for RunLength, each filter of the
chain applied to the whole output of the one before. A few kilobytes can so become gigabytes, and no
pattern matching of the raw file can tell which streams will be decoded how: filter names may be
abbreviated (``/Fl``), escaped (``/Flat#65Decode``), chained (``[/AHx /Fl]``, Flate twice), or given
far from the ``stream`` keyword.

So the reader decodes itself. :func:`install` replaces ``PDFStream.decode`` with :func:`_decode`,
which reads the filter chain exactly as pdfminer does (``get_filters``, which resolves names and
references) and runs each filter through a decoder that stops as soon as its output passes the room
left: at most :data:`MAX_STREAM` bytes out of any one filter, and :data:`MAX_DECODED` bytes kept for
the whole file (pdfminer keeps every decoded stream of the document). Inside :func:`bounded` the
budget is the file's; elsewhere (a test reading an exported PDF) each stream has its own.

Filters that only carry pictures (DCT, JPX, JBIG2, CCITT fax) are left encoded: the reader wants
text, and pdfminer's fax decoder is pure Python and unbounded in its output.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from io import BytesIO
from typing import Any

from jixiao.core.errors import Location, SourceError
from jixiao.documents import safety

MB = 1 << 20
MAX_STREAM = 32 * MB  # out of any one filter: a page's content is well under 1 MB, a whole CJK font under 20 MB
MAX_DECODED = 128 * MB  # kept for the whole file, all streams together
# decoded (and let go, one at a time) to check a file before pdfium renders it: 230 scanned pages of
# Flate-coded grey at 300 dpi, or 77 in colour (JPEG pages are not decoded); past this, a bomb
MAX_CHECKED = 2048 * MB
MAX_PREDICTED = 8 * MB  # pdfminer's predictors build a list of ints, eight bytes per byte
MAX_ROW = 1 * MB  # one row of a predictor (Columns × Colors × bits per component)
_STEP = 1 * MB  # inflate this much at a time, checking the room between steps


@dataclass
class Budget:
    """What one file may still decode, and the refusal once it has asked for more."""

    name: str
    left: int
    clock: safety.Deadline | None = None
    refusal: SourceError | None = None
    total: int = MAX_DECODED  # what ``left`` started at (named in the refusal)

    def tick(self) -> None:
        """Check the file's deadline between steps of a long decoding."""
        if self.clock is not None:
            try:
                self.clock.check()
            except SourceError as exc:
                self.refusal = self.refusal or exc
                raise

    def refuse(self, message: str) -> SourceError:
        """Remember and return the refusal (pdfplumber wraps what a decoder raises; the reader re-raises this)."""
        if self.refusal is None:
            self.refusal = SourceError(message, Location(file=self.name))
        return self.refusal


_BUDGET: ContextVar[Budget | None] = ContextVar("jixiao_pdf_budget", default=None)


@contextmanager
def bounded(name: str, clock: safety.Deadline | None = None, total: int = MAX_DECODED) -> Iterator[Budget]:
    """Decode the streams of file ``name`` within ``total`` bytes (and its deadline) while the block runs."""
    install()
    budget = Budget(name, total, clock, total=total)
    token = _BUDGET.set(budget)
    try:
        yield budget
    finally:
        _BUDGET.reset(token)


def install() -> None:
    """Make every ``PDFStream.decode`` of this process bounded (idempotent)."""
    from pdfminer.pdftypes import PDFStream

    PDFStream.decode = _decode  # type: ignore[method-assign]


def _too_big(budget: Budget, stream: Any, limit: int) -> SourceError:
    where = f"（对象 {stream.objid}）" if getattr(stream, "objid", None) else ""
    return budget.refuse(f"PDF 中的数据流{where}解压后超过 {limit // MB} MB，疑似“解压炸弹”，已拒绝")


def _inflate(data: bytes, room: int, budget: Budget, stream: Any) -> bytes:
    """Flate, one step at a time; a damaged stream gives what inflated before the damage (as pdfminer does)."""
    inflater = zlib.decompressobj()
    pieces: list[bytes] = []
    size = 0
    pending = data
    try:
        while pending and not inflater.eof:
            out = inflater.decompress(pending, _STEP)
            size += len(out)
            if size > room:
                raise _too_big(budget, stream, room)
            pieces.append(out)
            pending = inflater.unconsumed_tail
            budget.tick()
            if not out and not pending:
                break
    except zlib.error:
        pass  # keep what came out before the damage
    return b"".join(pieces)


def _runlength(data: bytes, room: int, budget: Budget, stream: Any) -> bytes:
    """RunLength (PDF 32000-1 §7.4.5): a length byte, then that many literal bytes or one byte repeated."""
    out = bytearray()
    at, end = 0, len(data)
    while at < end:
        length = data[at]
        if length == 128:
            break
        if length < 128:
            out += data[at + 1 : at + length + 2]
            at += length + 2
        else:
            out += data[at + 1 : at + 2] * (257 - length)
            at += 2
        if len(out) > room:
            raise _too_big(budget, stream, room)
    return bytes(out)


def _lzw(data: bytes, room: int, budget: Budget, stream: Any) -> bytes:
    from pdfminer.lzw import LZWDecoder

    pieces: list[bytes] = []
    size = 0
    for piece in LZWDecoder(BytesIO(data)).run():
        size += len(piece)
        if size > room:
            raise _too_big(budget, stream, room)
        pieces.append(piece)
    return b"".join(pieces)


def _ascii85(data: bytes, room: int, budget: Budget, stream: Any) -> bytes:
    from pdfminer.ascii85 import ascii85decode

    # five characters give four bytes, and ``z`` alone gives four zero bytes: an upper bound before decoding
    zeros = data.count(b"z")
    if 4 * zeros + (len(data) - zeros) * 4 // 5 > room:
        raise _too_big(budget, stream, room)
    return ascii85decode(data)


def _predict(data: bytes, params: Any, budget: Budget, stream: Any) -> bytes:
    """Undo a PNG or TIFF predictor with pdfminer's functions, once the row and the data are of sane size."""
    from pdfminer.pdftypes import int_value
    from pdfminer.utils import apply_png_predictor, apply_tiff_predictor

    predictor = int_value(params["Predictor"])
    if predictor == 1:
        return data
    colors = int_value(params.get("Colors", 1))
    columns = int_value(params.get("Columns", 1))
    bits = int_value(params.get("BitsPerComponent", 8))
    if not (0 < colors * columns * bits <= 8 * MAX_ROW) or len(data) > MAX_PREDICTED:
        raise _too_big(budget, stream, MAX_PREDICTED)
    if predictor == 2:
        return apply_tiff_predictor(colors, columns, bits, data)
    if predictor >= 10:
        return apply_png_predictor(predictor, colors, columns, bits, data)
    from pdfminer.pdfexceptions import PDFNotImplementedError

    raise PDFNotImplementedError(f"Unsupported predictor: {predictor!r}")


def _decode(self: Any) -> None:
    """``PDFStream.decode`` with every filter bounded (the same filters and order as pdfminer.six)."""
    from pdfminer import pdftypes
    from pdfminer.ascii85 import asciihexdecode
    from pdfminer.pdfexceptions import PDFNotImplementedError

    budget = _BUDGET.get()
    if budget is None:  # outside a reader: this stream alone is bounded
        budget = Budget(name="PDF", left=MAX_STREAM)
    if budget.refusal is not None:
        raise budget.refusal  # the file is refused already: decode nothing more of it
    data = self.rawdata
    if self.decipher:
        data = self.decipher(self.objid, self.genno, data, self.attrs)
    pictures = (
        *pdftypes.LITERALS_DCT_DECODE,
        *pdftypes.LITERALS_JBIG2_DECODE,
        *pdftypes.LITERALS_JPX_DECODE,
        *pdftypes.LITERALS_CCITTFAX_DECODE,
    )
    for kind, params in self.get_filters():
        room = min(MAX_STREAM, budget.left)
        if kind in pictures:
            break  # the pixels are never text; whatever follows a picture filter is the picture too
        if kind in pdftypes.LITERALS_FLATE_DECODE:
            data = _inflate(data, room, budget, self)
        elif kind in pdftypes.LITERALS_LZW_DECODE:
            data = _lzw(data, room, budget, self)
        elif kind in pdftypes.LITERALS_RUNLENGTH_DECODE:
            data = _runlength(data, room, budget, self)
        elif kind in pdftypes.LITERALS_ASCII85_DECODE:
            data = _ascii85(data, room, budget, self)
        elif kind in pdftypes.LITERALS_ASCIIHEX_DECODE:
            data = asciihexdecode(data)  # two characters give one byte
        elif kind == pdftypes.LITERAL_CRYPT:
            raise PDFNotImplementedError("/Crypt filter is unsupported")
        else:
            raise PDFNotImplementedError(f"Unsupported filter: {kind!r}")
        if params and "Predictor" in params:
            data = _predict(data, params, budget, self)
    if len(data) > budget.left:
        raise _too_big(budget, self, budget.total)
    budget.left -= len(data)
    self.data = data
    self.rawdata = None


def check_streams(data: bytes, name: str, max_pixels: int, clock: safety.Deadline | None = None) -> None:
    """Decode every stream of the PDF within the file's budget, and refuse a picture too large to render.

    The scan reader hands the PDF to pdfium, which decodes streams in C with no bound of ours: so every
    stream pdfium may inflate (page contents, fonts, Flate-coded pictures) is first decoded here, through
    the bounded decoders, and every image's declared size is checked against ``max_pixels``. Pictures in
    image codecs (DCT, JPX, JBIG2, fax) stay encoded here; their declared size is what is checked.

    Each stream is let go once checked: a scan's pages (26 MB each, Flate-coded RGB at 300 dpi) are
    held one at a time, and the file may decode :data:`MAX_CHECKED` bytes in all, not the
    :data:`MAX_DECODED` that pdfminer keeps.

    The scan reader checks a file more than once (is it a scan? then its pages): the last file's
    verdict is remembered by its digest, so that a file is decoded once, passed or refused.
    """
    global _LAST_CHECK
    key = (hashlib.blake2b(data, digest_size=16).digest(), len(data), max_pixels)
    if _LAST_CHECK is not None and _LAST_CHECK[0] == key:
        if _LAST_CHECK[1] is not None:
            raise SourceError(_LAST_CHECK[1].message, replace(_LAST_CHECK[1].location, file=name))
        return
    try:
        _check_streams(data, name, max_pixels, clock)
    except SourceError as exc:
        _LAST_CHECK = (key, exc)
        raise
    _LAST_CHECK = (key, None)


_LAST_CHECK: tuple[tuple[bytes, int, int], SourceError | None] | None = None


def _check_streams(data: bytes, name: str, max_pixels: int, clock: safety.Deadline | None) -> None:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFStream, resolve1

    with bounded(name, clock, MAX_CHECKED) as budget:
        try:
            document = PDFDocument(PDFParser(BytesIO(data)))
            for xref in document.xrefs:
                for objid in xref.get_objids():
                    try:
                        obj = document.getobj(objid)
                    except Exception:  # a dangling or damaged object: pdfium will say what it makes of it
                        continue
                    if not isinstance(obj, PDFStream):
                        continue
                    width, height = resolve1(obj.get("Width")), resolve1(obj.get("Height"))
                    if isinstance(width, int) and isinstance(height, int) and width * height > max_pixels:
                        raise budget.refuse(
                            f"PDF 中的图片（对象 {objid}）声明为 {width}×{height} 像素，"
                            "超过上限，疑似“解压炸弹”，已拒绝"
                        )
                    obj.get_data()
                    obj.data = None  # checked: let it go (pdfminer's object cache would keep it)
        except (SourceError, MemoryError):
            raise
        except Exception as exc:  # pdfminer raises many types for a broken file; a decoder's refusal first
            if budget.refusal is not None:
                raise budget.refusal from None
            from jixiao.documents.pdferrors import describe

            raise SourceError(describe(exc), Location(file=name)) from None
        if budget.refusal is not None:
            raise budget.refusal
