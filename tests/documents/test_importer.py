"""Importer entry points: bytes by file name, JSON documents, files on disk, folders, limits and refusals."""

from __future__ import annotations

import codecs
import random
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest

from jixiao.core.errors import DocumentError, EncodingError, SourceError
from jixiao.core.model import Document, Indicator, Kind, Project
from jixiao.core.serialize import dumps
from jixiao.documents.importer import expand, import_bytes, import_path, scan_page_count
from jixiao.documents.limits import MAX_JSON_BYTES
from jixiao.documents.text import MAX_BYTES

FORM = """\
财政项目支出绩效自评表
(2024年度)
项目名称\t困难群众临时救助信息系统运维
主管部门\t某区民政局\t实施单位\t某区社会救助事务中心
一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施
产出指标\t数量指标\t系统巡检次数\t≥52.00(次)\t52.00(次)\t50.00\t50.00\t
满意度指标\t服务对象满意度指标\t街镇经办人员满意度\t满意\t部分达成指标并具有一定效果\t50.00\t40.00\t
总分\t\t\t\t\t100.00\t90.00\t
"""

DOCUMENT = Document(
    kind=Kind.TARGET_DECLARATION,
    year=2023,
    projects=(
        Project(
            name="市容环境卫生专项检查经费",
            money_unit="元",
            indicators=(Indicator(level1="产出指标", level2="数量指标", name="专项检查次数", target="≥12.00(次)"),),
        ),
    ),
)


@pytest.mark.parametrize(
    "data, encoding",
    [
        (FORM.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + FORM.encode("utf-8"), "utf-8-sig"),
        (FORM.encode("gb18030"), "gb18030"),
        (FORM.encode("gbk"), "gb18030"),
        (codecs.BOM_UTF16_LE + FORM.encode("utf-16-le"), "utf-16"),
    ],
)
def test_text_in_every_supported_encoding_reads_the_same(data: bytes, encoding: str) -> None:
    """UTF-8 (with or without BOM), GB18030, GBK and UTF-16 give the same document and report their encoding."""
    result = import_bytes(data, "自评表.txt")
    assert result.encoding == encoding
    (project,) = result.document.projects
    assert project.name == "困难群众临时救助信息系统运维"
    assert project.total_score == Decimal("90.00")
    assert result.ok


@pytest.mark.parametrize("name", ["a.txt", "a.TXT", "a.md", "a.text", "a.markdown"])
def test_text_suffixes_are_read_as_text(name: str) -> None:
    """Every text suffix, in any case, is read as a text extraction named after the file."""
    result = import_bytes(FORM.encode(), name)
    assert result.source == name
    assert result.document.kind is Kind.SELF_EVALUATION


@pytest.mark.parametrize("name, shown", [("form.pdf", ".pdf"), ("form.docx", ".docx"), ("form", "(无扩展名)")])
def test_unsupported_file_types_are_refused_with_the_readable_ones(name: str, shown: str) -> None:
    """Other suffixes are a SourceError naming the suffix and listing what can be read."""
    with pytest.raises(SourceError) as info:
        import_bytes(FORM.encode(), name)
    assert shown in info.value.message
    assert ".txt" in info.value.message and ".json" in info.value.message
    assert info.value.location.file == name


def test_json_document_round_trips_through_import_bytes() -> None:
    """A ``jixiao.document/1`` JSON is loaded as it is, with layout ``json``."""
    result = import_bytes(dumps(DOCUMENT).encode("utf-8"), "declarations.json")
    assert result.layout == "json"
    assert result.document == DOCUMENT
    assert result.warnings == ()


def test_json_with_a_utf8_bom_and_upper_case_suffix() -> None:
    """A BOM before the JSON and an upper-case ``.JSON`` suffix are accepted."""
    result = import_bytes(codecs.BOM_UTF8 + dumps(DOCUMENT).encode("utf-8"), "DECLARATIONS.JSON")
    assert result.document == DOCUMENT


def test_json_that_is_not_utf8_is_refused() -> None:
    """JSON must be UTF-8: GB18030 bytes are a SourceError naming the file."""
    with pytest.raises(SourceError, match="UTF-8") as info:
        import_bytes(dumps(DOCUMENT).encode("gb18030"), "gbk.json")
    assert info.value.location.file == "gbk.json"


def test_json_that_is_no_document_is_a_document_error() -> None:
    """JSON without the schema marker is a DocumentError that points at the path inside it."""
    with pytest.raises(DocumentError) as info:
        import_bytes(b'{"kind": "self_evaluation"}', "other.json")
    assert info.value.location.file == "other.json"
    assert info.value.location.path == "$.schema"


def test_oversized_json_is_refused() -> None:
    """A JSON input over its own limit (100 MB) is refused before parsing, the sizes said in MB."""
    with pytest.raises(SourceError, match=r"过大（100.1 MB，上限 100 MB）"):
        import_bytes(b" " * (MAX_JSON_BYTES + 1), "big.json")


def test_oversized_file_on_disk_is_refused_by_its_size(tmp_path: Path) -> None:
    """A text file over 20 MB on disk is refused, with its path and size."""
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.write(FORM.encode())
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(SourceError, match="过大") as info:
        import_path(big)
    assert info.value.location.file == str(big)
    assert "20.1 MB" in info.value.message


def test_binary_and_undecodable_files_are_refused(tmp_path: Path) -> None:
    """A binary file and a file in an unknown encoding are errors naming the file, never half-read."""
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"%PDF-1.7\x00\x00\x00" + bytes(range(256)))
    with pytest.raises(SourceError, match="二进制"):
        import_path(binary)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("项目名称\n".encode() + b"\x80\x80\xff")
    with pytest.raises(EncodingError) as info:
        import_path(latin)
    assert info.value.location.file == str(latin)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    """An empty text file is a SourceError, not an empty document."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(SourceError, match="空"):
        import_path(empty)


def test_import_path_reads_a_file_by_its_path(tmp_path: Path) -> None:
    """import_path reads a file and names the result after its path."""
    path = tmp_path / "2024自评.txt"
    path.write_text(FORM, encoding="utf-8")
    result = import_path(path)
    assert result.source == str(path)
    assert result.document.projects[0].indicators[1].score == Decimal("40.00")


def test_import_path_of_a_missing_file_names_it(tmp_path: Path) -> None:
    """A missing file is a SourceError with the path, not an OSError."""
    with pytest.raises(SourceError, match="无法读取") as info:
        import_path(tmp_path / "missing.txt")
    assert info.value.location.file == str(tmp_path / "missing.txt")


def _touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")


def test_folder_expands_to_readable_files_in_name_order(tmp_path: Path) -> None:
    """A folder is searched recursively; readable files come back sorted by path."""
    _touch(tmp_path, "b.txt", "a.md", "sub/c.json", "z.TXT", "scan.pdf", "notes.docx")
    found = [p.relative_to(tmp_path).as_posix() for p in expand([tmp_path])]
    assert found == ["a.md", "b.txt", "sub/c.json", "z.TXT"]


def test_folder_expansion_skips_readme_and_hidden_files(tmp_path: Path) -> None:
    """README files (any case, any readable suffix) and hidden files are a folder's own, not documents."""
    _touch(tmp_path, "form.txt", "README.md", "readme.txt", "sub/ReadMe.markdown", ".draft.txt", "sub/.cache.json")
    assert [p.name for p in expand([tmp_path])] == ["form.txt"]


def test_files_named_explicitly_are_always_yielded(tmp_path: Path) -> None:
    """A README or any other file named explicitly is passed through as named, in the order given."""
    _touch(tmp_path, "README.md", "x.pdf")
    named = [tmp_path / "x.pdf", tmp_path / "README.md"]
    assert list(expand(named)) == named


def test_files_and_folders_mixed_keep_the_order_given(tmp_path: Path) -> None:
    """Named files and folder contents come out in the order of the arguments."""
    _touch(tmp_path, "dir/b.txt", "dir/a.txt", "single.md")
    found = [p.name for p in expand([tmp_path / "single.md", tmp_path / "dir"])]
    assert found == ["single.md", "a.txt", "b.txt"]


def test_every_readable_file_type_has_one_reader_in_the_table() -> None:
    """The importer dispatches on one table: each type a folder is searched for has its reader there."""
    from jixiao.documents.importer import ALL_SUFFIXES, READERS

    assert set(ALL_SUFFIXES) <= set(READERS)
    assert READERS[".xlsx"] is READERS[".pdf"] is READERS[".png"]  # cells or a scan: one pipeline decides
    with pytest.raises(SourceError, match=r"不支持的文件类型 \.odt"):
        import_bytes(b"PK\x03\x04", "form.odt")


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "2024-self-evaluation-tabbed.txt"


def _printed_example() -> bytes:
    """The example self-evaluation as jixiao's PDF exporter prints it: a PDF with a text layer."""
    from jixiao.exporters import pdf
    from jixiao.exporters.report import build_report

    return pdf.render(build_report(import_path(EXAMPLE).document), font="cid")


def _scan_files() -> dict[str, bytes]:
    """A blank-page image PDF of three pages, a two-page TIFF, a PNG, Word files of pictures and of a form."""
    from docx import Document as Word
    from PIL import Image

    from tests.documents.ocr import testset

    blank = [Image.new("RGB", (620, 877), "white") for _ in range(3)]
    tiff, png = BytesIO(), BytesIO()
    blank[0].save(tiff, format="TIFF", save_all=True, append_images=blank[1:2])
    blank[0].save(png, format="PNG")
    pictures = Word()
    for seed in range(2):  # noise, so that each picture is a page-sized image (a few bytes are an icon)
        noisy = BytesIO()
        Image.frombytes("L", (400, 560), random.Random(seed).randbytes(400 * 560)).save(noisy, format="PNG")
        pictures.add_picture(BytesIO(noisy.getvalue()))
    form = Word()
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        form.add_paragraph(line)
    form.add_picture(BytesIO(noisy.getvalue()))
    words, with_form = BytesIO(), BytesIO()
    pictures.save(words)
    form.save(with_form)
    return {
        "scan.pdf": testset.image_pdf(blank, 75),
        "pages.tiff": tiff.getvalue(),
        "page.png": png.getvalue(),
        "pictures.docx": words.getvalue(),
        "form-with-logo.docx": with_form.getvalue(),
        "text.pdf": _printed_example(),
        "form.txt": EXAMPLE.read_bytes(),
        "fake.pdf": b"not a pdf at all",
    }


def test_a_scan_and_its_pages_are_told_before_anything_is_recognised() -> None:
    """The web asks how many pages OCR would read (nothing rendered): scans say, everything else is 0."""
    files = _scan_files()
    counts = {name: scan_page_count(data, name) for name, data in files.items()}
    assert counts == {
        "scan.pdf": 3,
        "pages.tiff": 2,
        "page.png": 1,
        "pictures.docx": 2,
        "form-with-logo.docx": 0,
        "text.pdf": 0,
        "form.txt": 0,
        "fake.pdf": 0,
    }
