"""Size limits are said in MB, and a file over a limit never reads as the limit itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.core.errors import SourceError
from jixiao.documents import limits
from jixiao.documents.importer import import_bytes, import_path


@pytest.mark.parametrize(
    "size, said",
    [(20 * limits.MB, "20 MB"), (20 * limits.MB + 1, "20.1 MB"), (int(19.95 * limits.MB), "20 MB"), (512, "0.1 MB")],
)
def test_sizes_are_said_in_megabytes(size: int, said: str) -> None:
    """One decimal, rounded up."""
    assert limits.megabytes(size) == said


def test_an_oversized_text_is_refused_in_megabytes(tmp_path: Path) -> None:
    """A text one byte over 20 MB is refused as 「文件过大（20.1 MB，上限 20 MB）」, with no byte count."""
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (limits.MAX_BYTES + 1))
    with pytest.raises(SourceError) as info:
        import_path(big)
    assert info.value.message == "文件过大（20.1 MB，上限 20 MB）"
    with pytest.raises(SourceError) as info:
        import_bytes(big.read_bytes(), "big.txt")
    assert info.value.message == "文件过大（20.1 MB，上限 20 MB）"


def test_a_document_json_above_20_mb_is_read(tmp_path: Path) -> None:
    """A JSON is checked against its own, larger limit: 21 MB of document JSON is read, not refused for size."""
    from jixiao.core.model import Document, Indicator, Kind, Project
    from jixiao.core.serialize import dumps

    indicator = Indicator("产出指标", "数量指标", "培训次数" * 50, "≥1次", "1")
    projects = tuple(Project(name=f"项目{n}", indicators=(indicator,) * 100) for n in range(260))
    text = dumps(Document(kind=Kind.SELF_EVALUATION, year=2024, projects=projects))
    assert 20 * limits.MB < len(text.encode()) < limits.MAX_JSON_BYTES
    path = tmp_path / "big.json"
    path.write_text(text, encoding="utf-8")
    assert len(import_path(path).document.projects) == 260
    assert len(import_bytes(path.read_bytes(), "big.json").document.projects) == 260
