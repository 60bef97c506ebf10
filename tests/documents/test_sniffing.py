"""Content sniffing: a binary file with a document extension is refused naming what it really is."""

from __future__ import annotations

import gzip
import sqlite3
import sys
from io import BytesIO
from pathlib import Path

import pytest

from jixiao.cli import EXIT_OK, EXIT_UNUSABLE, main
from jixiao.core.errors import SourceError
from jixiao.documents import sniffing
from jixiao.documents.importer import import_bytes
from tests.shared import SEEDS


def _image(fmt: str) -> bytes:
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, fmt)
    return buffer.getvalue()


def _sqlite(tmp_path: Path) -> bytes:
    path = tmp_path / "db.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("create table t (x)")
    return path.read_bytes()


def _program() -> bytes:
    """The running Python interpreter: a real executable of this machine."""
    return Path(sys.executable).resolve().read_bytes()[:65536]


@pytest.mark.parametrize(
    "name, make, said",
    [
        ("form.pdf", lambda _: _image("PNG"), "PNG 图片"),
        ("form.xlsx", lambda _: _image("JPEG"), "JPEG 图片"),
        ("form.docx", lambda _: _image("GIF"), "GIF 图片"),
        ("form.txt", lambda _: _image("BMP"), "BMP 图片"),
        ("form.pdf", lambda _: _image("TIFF"), "TIFF 图片"),
        ("form.json", lambda _: gzip.compress(b"{}"), "gzip 压缩文件"),
        ("form.xlsx", _sqlite, "SQLite 数据库"),
        ("form.txt", lambda _: bytes(range(256)) * 4, "二进制文件"),
    ],
)
def test_a_binary_with_a_document_extension_is_named(name: str, make: object, said: str, tmp_path: Path) -> None:
    """Images, archives and databases under a document's extension are refused for what they are."""
    data = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(SourceError) as info:
        import_bytes(data, name)
    message = str(info.value)
    assert f"扩展名是 {Path(name).suffix}" in message and f"内容却是{said}" in message
    assert "内容却是文本" not in message


def test_an_executable_named_xlsx_is_called_a_program() -> None:
    """This machine's Python interpreter renamed .xlsx is refused as an ELF program, not as text."""
    data = _program()
    assert data.startswith(b"\x7fELF")  # the interpreter of a Linux machine
    with pytest.raises(SourceError) as info:
        import_bytes(data, "预算.xlsx")
    assert "内容却是Linux 可执行程序或程序库（ELF）" in str(info.value)


@pytest.mark.parametrize(
    "head",
    [
        "BM医保局绩效自评表".encode(),
        b"MZ-2024 project list\n",
        "ID3 项目名称\t测试".encode(),
        "GIF 补助资金".encode("gb18030"),
    ],
)
def test_text_that_starts_like_a_signature_is_still_text(head: bytes) -> None:
    """A text that happens to start with a format's letters (BM, MZ, ID3) is not taken for a binary."""
    assert sniffing.kind_of(head + "项目名称\t补助\n".encode() * 20) == "text"


def test_utf16_text_with_its_byte_order_mark_is_text() -> None:
    """UTF-16 (with BOM) is full of NUL bytes and still text."""
    assert sniffing.kind_of("项目名称\t补助\n".encode("utf-16")) == "text"


@pytest.mark.shared
def test_cli_folder_with_a_picture_and_a_program_names_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """import of a folder with a PNG as .pdf and a program as .xlsx reads the good file and names the others."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "004.txt").write_bytes((SEEDS / "004_b2949c82b0b28d4f.txt").read_bytes())
    (folder / "截图.pdf").write_bytes(_image("PNG"))
    (folder / "工具.xlsx").write_bytes(_program())
    assert main(["import", str(folder), "--out-dir", str(tmp_path / "out"), "-q"]) == EXIT_UNUSABLE
    err = capsys.readouterr().err
    assert "截图.pdf" in err and "PNG 图片" in err
    assert "工具.xlsx" in err and "ELF" in err
    assert (tmp_path / "out" / "004.json").is_file()
    assert main(["import", str(folder / "004.txt"), "--out-dir", str(tmp_path / "out"), "-q"]) == EXIT_OK
