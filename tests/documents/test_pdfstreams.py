"""PDF streams are decoded within their bounds, whatever their filters; real streams decode as pdfminer does."""

from __future__ import annotations

import base64
import zlib
from typing import Any

import pytest
from pdfminer.psparser import LIT

from jixiao.core.errors import SourceError
from jixiao.documents import pdfstreams
from jixiao.documents.importer import import_bytes
from tests.hostile import MB, zeros_deflated


def _stream(data: bytes, **attrs: Any) -> Any:
    from pdfminer.pdftypes import PDFStream

    pdfstreams.install()
    stream = PDFStream(attrs, data)
    stream.set_objid(7, 0)
    return stream


def test_a_flate_stream_decodes_as_pdfminer_decodes_it() -> None:
    """A content stream comes out byte for byte, through one filter or a chain of two."""
    content = b"BT /F1 12 Tf 72 720 Td (hello) Tj ET\n" * 1000
    assert _stream(zlib.compress(content), Filter=LIT("FlateDecode")).get_data() == content
    hexed = zlib.compress(content).hex().encode() + b">"
    assert _stream(hexed, Filter=[LIT("AHx"), LIT("Fl")]).get_data() == content


def test_a_damaged_flate_stream_gives_what_inflated_before_the_damage() -> None:
    """A truncated stream is read as far as it goes, as pdfminer reads damaged files."""
    content = bytes(range(256)) * 400
    damaged = zlib.compress(content)[:-200]
    decoded = _stream(damaged, Filter=LIT("FlateDecode")).get_data()
    assert decoded and content.startswith(decoded)


def test_runlength_decodes_literal_and_repeated_runs() -> None:
    """RunLength: a literal run, a repeated run, the end mark (PDF 32000-1 §7.4.5)."""
    data = b"\x02abc" + b"\xfd\x7a" + b"\x80" + b"ignored"
    assert _stream(data, Filter=LIT("RunLengthDecode")).get_data() == b"abc" + b"z" * 4


def test_one_stream_past_its_limit_is_refused_outside_a_reader_too() -> None:
    """Any pdfminer use in the process is bounded: a stream inflating past 32 MB raises a refusal."""
    with pytest.raises(SourceError, match="解压炸弹"):
        _stream(zeros_deflated(64), Filter=LIT("FlateDecode")).get_data()


def test_an_ascii85_run_of_zeros_is_refused_before_decoding() -> None:
    """``z`` stands for four zero bytes: 9 MB of them would make 36 MB, and are refused unread."""
    with pytest.raises(SourceError, match="解压炸弹"):
        _stream(b"z" * (9 * MB) + b"~>", Filter=LIT("ASCII85Decode")).get_data()
    assert _stream(base64.a85encode(b"form") + b"~>", Filter=LIT("A85")).get_data() == b"form"


def test_a_predictor_with_absurd_columns_is_refused() -> None:
    """A predictor row of a billion columns (a list of a billion ints in pdfminer) is refused."""
    params = {"Predictor": 12, "Columns": 1_000_000_000}
    with pytest.raises(SourceError, match="解压炸弹"):
        _stream(zlib.compress(b"\x00" * 64), Filter=LIT("FlateDecode"), DecodeParms=params).get_data()


def test_picture_filters_are_left_encoded() -> None:
    """A fax-coded image is never decoded: its bytes are the picture, not text."""
    raw = b"\x00\x01\x02fax"
    assert _stream(raw, Filter=LIT("CCITTFaxDecode"), DecodeParms={"K": -1, "Columns": 10**9}).get_data() == raw


def test_streams_each_under_the_limit_are_refused_past_the_files_budget() -> None:
    """Five streams of 30 MB each pass one by one, but not in one file: a file may keep 128 MB decoded."""
    with pdfstreams.bounded("five.pdf") as budget:
        for _ in range(4):
            assert len(_stream(zeros_deflated(30), Filter=LIT("FlateDecode")).get_data()) == 30 * MB
        with pytest.raises(SourceError, match="解压炸弹") as info:
            _stream(zeros_deflated(30), Filter=LIT("FlateDecode")).get_data()
        assert info.value.location.file == "five.pdf"
        with pytest.raises(SourceError):  # once refused, nothing more of the file is decoded
            _stream(zlib.compress(b"small"), Filter=LIT("FlateDecode")).get_data()
    assert budget.left == 128 * MB - 4 * 30 * MB


def _pdf_with_stream(stream: bytes) -> bytes:
    """One page whose content is one Flate stream."""
    from tests.hostile import pdf

    return pdf(stream, b"/Filter /FlateDecode")


def test_a_refused_stream_is_reported_even_when_pdfplumber_wraps_it() -> None:
    """The refusal reaches the importer as itself, not as 「PDF 文件有误」 around it."""
    with pytest.raises(SourceError) as info:
        import_bytes(_pdf_with_stream(zeros_deflated(40)), "one.pdf")
    assert "解压炸弹" in info.value.message and "PdfminerException" not in info.value.message


# ``check_streams`` runs before a scan is handed to pdfium, which decodes in C with no bound of ours.


@pytest.mark.parametrize("bomb", ["nested", "abbreviated", "escaped", "padded", "runlength", "hex-flate"])
def test_check_streams_refuses_every_bomb_before_pdfium_sees_it(bomb: str) -> None:
    """Each PDF bomb of the hostile set is refused while its streams are decoded within the budget."""
    from tests import hostile

    name, data = {
        "nested": hostile.pdf_nested_flate,
        "abbreviated": hostile.pdf_abbreviated_filter,
        "escaped": hostile.pdf_escaped_filter,
        "padded": hostile.pdf_padded_filter,
        "runlength": hostile.pdf_runlength,
        "hex-flate": hostile.pdf_hex_then_flate,
    }[bomb]()
    with pytest.raises(SourceError, match="解压炸弹") as refused:
        pdfstreams.check_streams(data, name, max_pixels=48_000_000)
    assert refused.value.location.file == name


def test_check_streams_refuses_a_picture_declared_too_large() -> None:
    """An image XObject declaring 100,000 × 100,000 pixels is refused by its declared size, undecoded."""
    from tests import hostile

    data = hostile.pdf(b"\x00" * 16, b"/Type /XObject /Subtype /Image /Width 100000 /Height 100000 /BitsPerComponent 8")
    with pytest.raises(SourceError, match="100000×100000 像素"):
        pdfstreams.check_streams(data, "huge-image.pdf", max_pixels=48_000_000)


def test_check_streams_lets_an_ordinary_pdf_through() -> None:
    """A page with a small Flate-coded content stream and a modest image passes unchanged."""
    from tests import hostile

    content = zlib.compress(b"BT /F1 12 Tf 72 720 Td (form) Tj ET\n" * 200)
    pdfstreams.check_streams(hostile.pdf(content, b"/Filter /FlateDecode"), "form.pdf", max_pixels=48_000_000)
    picture = hostile.pdf(b"\x00" * 16, b"/Type /XObject /Subtype /Image /Width 2480 /Height 3508 /BitsPerComponent 8")
    pdfstreams.check_streams(picture, "page.pdf", max_pixels=48_000_000)


def test_a_file_checked_twice_is_decoded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scan reader checks a file more than once (is it a scan, then its pages): the verdict is remembered.

    A file refused is refused again, under the name it is read by now, without decoding it again; another
    file is checked afresh.
    """
    from tests.hostile import pdf

    calls: list[str] = []
    real = pdfstreams._check_streams

    def counted(data: bytes, name: str, max_pixels: int, clock: Any) -> None:
        calls.append(name)
        real(data, name, max_pixels, clock)

    monkeypatch.setattr(pdfstreams, "_check_streams", counted)
    bomb = pdf(zeros_deflated(64), b"/Filter /FlateDecode")
    for name in ("first.pdf", "again.pdf"):
        with pytest.raises(SourceError, match="解压炸弹") as caught:
            pdfstreams.check_streams(bomb, name, 1000)
        assert caught.value.location.file == name
    fine = pdf(zlib.compress(b"0 0 m 10 10 l S\n"), b"/Filter /FlateDecode")
    pdfstreams.check_streams(fine, "fine.pdf", 1000)
    pdfstreams.check_streams(fine, "fine.pdf", 1000)
    assert calls == ["first.pdf", "fine.pdf"]
