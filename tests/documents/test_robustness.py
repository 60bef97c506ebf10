"""The importer never crashes: damaged seeds, random bytes and wrong encodings give a document or a located error."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.core.errors import JixiaoError
from jixiao.core.serialize import dumps, loads
from jixiao.documents.importer import import_bytes
from jixiao.documents.result import ImportResult
from tests.shared import SEED_FILES, SHARED

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in SEED_FILES]
# the project's own examples cover layouts the seeds do not (fused cells, key：value forms, aligned columns)
SOURCE_TEXTS = SEED_TEXTS + [
    p.read_text(encoding="utf-8")
    for p in sorted(EXAMPLES.glob("*"))
    if p.suffix in (".txt", ".md") and p.stem != "README"
]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _outcome(data: bytes, name: str = "damaged.txt") -> ImportResult | JixiaoError:
    """Import ``data``; only a result or a JixiaoError that says where are acceptable."""
    try:
        result = import_bytes(data, name)
    except JixiaoError as exc:
        assert exc.location.file == name, f"error without its file: {exc!r}"
        assert exc.message.strip()
        return exc
    # whatever was read must survive its own JSON
    assert loads(dumps(result.document)) == result.document
    for w in result.warnings:
        assert w.location.file == name and w.location.line is not None
    return result


@st.composite
def damaged_seed(draw: st.DrawFn) -> str:
    """A seed or example with lines dropped, duplicated, moved and characters replaced."""
    lines = draw(st.sampled_from(SOURCE_TEXTS)).split("\n")
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    ops = draw(st.lists(st.sampled_from(["drop", "dup", "move", "char", "shuffle_block"]), min_size=1, max_size=25))
    alphabet = "0123456789.%≥≤=<>—-\t 　：（）()指标产出效益满意度数量质量总分项目名称年度得分分值"
    for op in ops:
        if not lines:
            break
        i = rnd.randrange(len(lines))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "move":
            lines.insert(rnd.randrange(len(lines)), lines.pop(i))
        elif op == "char" and lines[i]:
            j = rnd.randrange(len(lines[i]))
            lines[i] = lines[i][:j] + rnd.choice(alphabet) + lines[i][j + 1 :]
        elif op == "shuffle_block":
            block = lines[i : i + 12]
            rnd.shuffle(block)
            lines[i : i + 12] = block
    return "\n".join(lines)


@pytest.mark.shared
@SETTINGS
@given(damaged_seed())
def test_damaged_seeds_never_crash(text: str) -> None:
    """A seed with lines dropped, duplicated, shuffled or characters replaced gives a document or a located error."""
    _outcome(text.encode("utf-8"))


@SETTINGS
@given(st.binary(max_size=4000))
def test_random_bytes_never_crash(data: bytes) -> None:
    """Random bytes give a document or a located error, never an exception of another kind."""
    _outcome(data)


@SETTINGS
@given(st.text(max_size=2000))
def test_random_text_never_crashes(text: str) -> None:
    """Arbitrary Unicode text gives a document or a located error."""
    _outcome(text.encode("utf-8"))


@pytest.mark.shared
@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-16", "utf-8-sig"])
def test_seed_in_other_encodings_reads_the_same(encoding: str) -> None:
    """A seed saved as GB18030, GBK, UTF-16 or UTF-8 with BOM reads to the same document as UTF-8."""
    text = SEED_TEXTS[2]
    expected = import_bytes(text.encode("utf-8"), "seed.txt").document
    assert import_bytes(text.encode(encoding), "seed.txt").document == expected


@pytest.mark.shared
@SETTINGS
@given(st.sampled_from(SEED_TEXTS), st.sampled_from(["latin-1", "cp1252", "utf-16-le", "utf-32", "big5"]))
def test_wrong_encodings_never_crash(text: str, encoding: str) -> None:
    """A seed decoded or encoded the wrong way gives a document or a located error."""
    data = text.encode("utf-8", errors="replace")
    if encoding in ("latin-1", "cp1252"):
        data = data.decode("latin-1").encode("utf-8")  # mojibake: UTF-8 read as Latin-1, saved again
    else:
        data = text.encode(encoding, errors="replace")
    _outcome(data)


def test_truncated_multibyte_is_a_located_error() -> None:
    """A UTF-8 file cut inside a character and not valid GB18030 either is refused with the line."""
    data = "项目名称\t测试\n".encode() + b"\xff\xfe\xfd"
    outcome = _outcome(data)
    assert isinstance(outcome, JixiaoError)
    assert outcome.location.line == 2


@pytest.mark.shared
def test_utf16_without_bom_is_refused_clearly() -> None:
    """UTF-16 without a byte-order mark is binary to a text reader: refused with the file named."""
    outcome = _outcome(SEED_TEXTS[4].encode("utf-16-le"))
    assert isinstance(outcome, JixiaoError)
    assert "二进制" in outcome.message or "编码" in outcome.message


@pytest.mark.shared
def test_bom_is_not_part_of_the_text() -> None:
    """A UTF-8 BOM does not end up in the first line."""
    data = codecs.BOM_UTF8 + SEED_TEXTS[1].encode("utf-8")
    result = _outcome(data)
    assert isinstance(result, ImportResult)
    assert result.encoding == "utf-8-sig"


# -- the stream reader: published forms as other issuers' extractions leave them ----------------------------

PUBLISHED = [
    "项目支出绩效自评表 | ||||\n(2021年度) | ||||\n项目名称 | 社区养老服务补助 | |||\n"
    "主管部门 | 某县民政局 | 实施单位 | 某县养老服务中心 |\n"
    "项目资金(万元) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
    "年度资金总额 | 32.4 | 32.4 | 31.69 | 10 | 97.80% | 9 |\n"
    "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |\n"
    "产出指标 | 数量指标 | 服务老人数 | ≥300人 | 320人 | 20 | 20 | 无 |\n"
    "质量指标 | 服务合格率 | ≥95% | 98% | 20 | 18 | 无 |\n"
    "效益指标(30分) | 社会效益指标 | 受益人数 | ≥500人 | 520人 | 30 | 30 | 无 |\n"
    "总分 | 100 | 97 |\n",
    "绩效目标申报表\n\n(2022年度)\n\n项目名称\n\n某县农田建设项目\n\n资金情况 (万元)\n\n年度资金总额:\n\n854\n\n"
    "一级指标\n\n二级指标\n\n三级指标\n\n年度\n\n指标值\n\n产出指标\n\n数量\n\n指标\n\n道路硬化里程\n\n≥100公里\n\n"
    "……\n\n效益指标\n\n经济效益\n\n指标\n\n年增粮食\n\n3500公斤\n",
]
CORPUS_RAW = SHARED / "corpus" / "raw"
# the corpus adds the real thing where it is present; the synthetic forms above run everywhere
PUBLISHED += [p.read_text(encoding="utf-8") for p in sorted(CORPUS_RAW.glob("*.txt"))] if CORPUS_RAW.is_dir() else []

_OCR = {"≥": ["2", ">", ">="], "0": ["O", "o"], "1": ["I", "l"], "元": ["兀"], "≤": ["<=", "W"]}
_PINYIN = ["(qū)", "(biāo)", "(xiàng)", "(shù)", "(zhì)", "(t"]


@st.composite
def extracted_form(draw: st.DrawFn) -> str:
    """A published form with its separators shuffled, cells split and fused, converted, and OCR-misread."""
    text = draw(st.sampled_from(PUBLISHED))
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    ops = draw(
        st.lists(st.sampled_from(["separators", "split", "fuse", "traditional", "ocr", "pad", "cut"]), max_size=6)
    )
    for op in ops:
        if op == "separators":
            sep = rnd.choice([" | ", "\t", "  ", "\n", "\n\n", " |\n", ""])
            text = text.replace(" | ", sep).replace("\n\n", rnd.choice(["\n", "\n\n"]))
        elif op == "split" and text:
            i = rnd.randrange(len(text))
            text = text[:i] + rnd.choice(["\n", "\n\n", " "]) + text[i:]
        elif op == "fuse":
            text = text.replace(rnd.choice([" | ", "\n\n", "\n", "\t"]), "", rnd.randrange(1, 30))
        elif op == "traditional":
            import opencc

            chars = list(opencc.OpenCC("s2t").convert(text))
            for _ in range(rnd.randrange(1, 12)):
                i = rnd.randrange(len(chars))
                if "\u4e00" <= chars[i] <= "\u9fff":
                    chars[i] += rnd.choice(_PINYIN)
            text = "".join(chars)
        elif op == "ocr":
            for _ in range(rnd.randrange(1, 10)):
                found = rnd.choice(list(_OCR))
                text = text.replace(found, rnd.choice(_OCR[found]), 1)
        elif op == "pad":
            lines = text.split("\n")
            i = rnd.randrange(len(lines) + 1)
            lines.insert(i, rnd.choice(["||||", "|", " |", "……", "指标2:", "/ / /"]))
            text = "\n".join(lines)
        elif op == "cut" and len(text) > 10:
            text = text[: rnd.randrange(len(text) // 2, len(text))]
    return text


@SETTINGS
@given(extracted_form())
def test_published_forms_as_any_extraction_never_crash(text: str) -> None:
    """Shuffled separators, split and fused cells, traditional conversion, OCR misreadings: a document or a
    located error, never a crash; every value's source names a line of the file."""
    outcome = _outcome(text.encode("utf-8"), "published.txt")
    if isinstance(outcome, ImportResult):
        lines = text.replace("\r\n", "\n").count("\n") + 1
        for source in outcome.fields.values():
            assert source.line is None or 1 <= source.line <= lines
