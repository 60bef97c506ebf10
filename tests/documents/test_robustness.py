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
from tests.shared import SEED_FILES

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


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-16", "utf-8-sig"])
def test_seed_in_other_encodings_reads_the_same(encoding: str) -> None:
    """A seed saved as GB18030, GBK, UTF-16 or UTF-8 with BOM reads to the same document as UTF-8."""
    text = SEED_TEXTS[2]
    expected = import_bytes(text.encode("utf-8"), "seed.txt").document
    assert import_bytes(text.encode(encoding), "seed.txt").document == expected


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


def test_utf16_without_bom_is_refused_clearly() -> None:
    """UTF-16 without a byte-order mark is binary to a text reader: refused with the file named."""
    outcome = _outcome(SEED_TEXTS[4].encode("utf-16-le"))
    assert isinstance(outcome, JixiaoError)
    assert "二进制" in outcome.message or "编码" in outcome.message


def test_bom_is_not_part_of_the_text() -> None:
    """A UTF-8 BOM does not end up in the first line."""
    data = codecs.BOM_UTF8 + SEED_TEXTS[1].encode("utf-8")
    result = _outcome(data)
    assert isinstance(result, ImportResult)
    assert result.encoding == "utf-8-sig"
