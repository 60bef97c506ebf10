"""Decoding text sources: encodings, BOMs, binary junk, empty files, the size limit and line numbering."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from jixiao.core.errors import EncodingError, SourceError
from jixiao.documents.text import MAX_BYTES, decode, read_bytes, read_path, split_lines

FORM = "财政项目支出绩效自评表\n项目名称\t社区老年人助餐服务点运营补贴\n总分\t100\t96.50\n"


def test_plain_utf8_is_read_as_utf8() -> None:
    """UTF-8 without a BOM decodes as ``utf-8``."""
    assert decode(FORM.encode("utf-8"), "a.txt") == (FORM, "utf-8")


def test_utf8_bom_is_removed_and_named() -> None:
    """A UTF-8 BOM is dropped from the text and the encoding is reported as ``utf-8-sig``."""
    text, encoding = decode(codecs.BOM_UTF8 + FORM.encode("utf-8"), "a.txt")
    assert text == FORM
    assert encoding == "utf-8-sig"


def test_gb18030_text_is_decoded() -> None:
    """Text written by a Chinese Windows tool in GB18030 decodes to the same characters."""
    assert decode(FORM.encode("gb18030"), "a.txt") == (FORM, "gb18030")


def test_gbk_text_is_read_through_gb18030() -> None:
    """GBK is a subset of GB18030, so a GBK file decodes and is reported as ``gb18030``."""
    assert decode(FORM.encode("gbk"), "a.txt") == (FORM, "gb18030")


@pytest.mark.parametrize("bom, codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_utf16_with_bom_in_either_byte_order(bom: bytes, codec: str) -> None:
    """UTF-16 with a little- or big-endian BOM decodes, the BOM not kept in the text."""
    text, encoding = decode(bom + FORM.encode(codec), "a.txt")
    assert text == FORM
    assert encoding == "utf-16"


def test_broken_utf16_after_its_bom_is_refused_naming_the_file() -> None:
    """A UTF-16 BOM followed by a lone surrogate is an EncodingError that names the file and the encoding."""
    with pytest.raises(EncodingError) as info:
        decode(codecs.BOM_UTF16_LE + b"\x00\xd8", "broken.txt")
    assert info.value.location.file == "broken.txt"
    assert "utf-16" in info.value.message


def test_undecodable_bytes_are_refused_with_their_line() -> None:
    """Bytes that are neither UTF-8 nor GB18030 raise an EncodingError naming the line where decoding stops."""
    data = "项目名称\t社区助餐\n主管部门\t某区民政局\n".encode() + b"\xff\xff\xff"
    with pytest.raises(EncodingError) as info:
        decode(data, "bad.txt")
    assert info.value.location.file == "bad.txt"
    assert info.value.location.line == 3


def test_control_character_junk_that_gb18030_accepts_is_refused() -> None:
    """Binary junk that happens to decode as GB18030 is refused because of its control characters."""
    junk = b"\x81\x30\x81\x30" + b"\x01\x02\x03\x04\x05\x06\x07" * 5
    with pytest.raises(EncodingError, match="控制字符"):
        decode(junk, "junk.txt")


def test_nul_bytes_mark_a_binary_file() -> None:
    """A NUL byte near the start (and no UTF-16 BOM) means a binary file, not a text extraction."""
    with pytest.raises(SourceError, match="二进制"):
        read_bytes(b"PK\x03\x04\x00\x00" + FORM.encode(), "form.docx.txt")


def test_utf16_with_bom_is_not_taken_for_binary() -> None:
    """UTF-16 text is full of NUL bytes, yet with its BOM it is read as text."""
    source = read_bytes(codecs.BOM_UTF16_LE + FORM.encode("utf-16-le"), "a.txt")
    assert source.encoding == "utf-16"
    assert source.lines[1].text == "项目名称\t社区老年人助餐服务点运营补贴"


@pytest.mark.parametrize("data", [b"", b"  \n\n\t \n", codecs.BOM_UTF8])
def test_empty_or_blank_file_is_refused(data: bytes) -> None:
    """An empty file, or one with only white space (or only a BOM), is a SourceError saying it is empty."""
    with pytest.raises(SourceError, match="空"):
        read_bytes(data, "empty.txt")


def test_bytes_over_the_limit_are_refused_before_decoding() -> None:
    """More than 20 MB of bytes is refused with the size (in MB) in the message."""
    with pytest.raises(SourceError, match="过大") as info:
        read_bytes(b"a" * (MAX_BYTES + 1), "big.txt")
    assert "20.1 MB" in info.value.message
    assert info.value.location.file == "big.txt"


def test_input_of_exactly_the_limit_is_accepted() -> None:
    """A source of exactly 20 MB is still read."""
    body = ("项目名称" * 10).encode()
    data = body * (MAX_BYTES // len(body))
    data += b"a" * (MAX_BYTES - len(data))
    source = read_bytes(data, "limit.txt")
    assert len(source.lines) == 1


def test_big_file_is_refused_from_its_size_on_disk(tmp_path: Path) -> None:
    """A file over 20 MB on disk is refused by read_path with the file named."""
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(SourceError, match="过大") as info:
        read_path(big)
    assert info.value.location.file == str(big)


def test_missing_file_is_a_source_error_naming_it(tmp_path: Path) -> None:
    """Reading a file that does not exist raises SourceError, not OSError, with the path."""
    missing = tmp_path / "没有这个文件.txt"
    with pytest.raises(SourceError, match="无法读取") as info:
        read_path(missing)
    assert info.value.location.file == str(missing)


def test_read_path_decodes_a_gb18030_file(tmp_path: Path) -> None:
    """read_path reads a GB18030 file from disk into numbered lines with the encoding found."""
    path = tmp_path / "自评表.txt"
    path.write_bytes(FORM.encode("gb18030"))
    source = read_path(path)
    assert source.name == str(path)
    assert source.encoding == "gb18030"
    assert [line.number for line in source.lines[:3]] == [1, 2, 3]
    assert source.lines[2].text == "总分\t100\t96.50"


def test_line_ends_and_form_feeds_all_end_lines() -> None:
    """CRLF, a lone CR and a form feed (page break) each end a line; numbering is 1-based."""
    lines = split_lines("项目名称\r\n主管部门\r实施单位\f总分")
    assert [(line.number, line.text) for line in lines] == [
        (1, "项目名称"),
        (2, "主管部门"),
        (3, "实施单位"),
        (4, "总分"),
    ]


def test_tabs_inside_lines_are_kept() -> None:
    """Splitting into lines keeps the tabs that separate cells."""
    (line,) = split_lines("一级指标\t二级指标\t三级指标")
    assert line.text.split("\t") == ["一级指标", "二级指标", "三级指标"]
