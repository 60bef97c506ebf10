"""Clustering on the real indicator names of ../shared (seeds and corpus): wordings join, different things do not."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from jixiao.core.errors import JixiaoError
from jixiao.core.library import Library, Miner, cluster_key
from jixiao.documents.importer import expand, import_path
from tests.shared import SEEDS, SHARED

pytestmark = pytest.mark.shared


@functools.cache
def _library() -> Library:
    miner = Miner()
    for f in expand([SEEDS, SHARED / "corpus" / "raw"]):
        try:
            miner.add(import_path(Path(f)).document)
        except JixiaoError:
            continue  # the corpus holds sidecars and excerpts that are not forms; test_library shows them named
    return miner.library()


def _names() -> set[str]:
    return {v for e in _library().entries for v in e.variants}


@pytest.mark.parametrize(
    "group",
    [
        ("管理人员满意度", "管理人员满意率", "管理人员满意度指标"),
        ("服务对象满意", "群众满意率", "群众满意度"),
    ],
)
def test_real_wordings_of_one_indicator_cluster(group: tuple[str, ...]) -> None:
    """Names printed in the seeds and corpus, worded differently, land in one entry."""
    assert set(group) <= _names()
    (entry,) = [e for e in _library().entries if group[0] in e.variants]
    assert set(group) <= set(entry.variants)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("管理人员满意度", "培训人员满意度"),
        ("系统监控覆盖率", "系统监控执勤率"),
        ("违规参保人员处理率", "违规参保人员追款完成率"),
        ("医保统计和信息工作学习交流培训参与率", "医保统计和信息工作学习交流培训覆盖率"),
    ],
)
def test_real_names_of_different_things_stay_apart(a: str, b: str) -> None:
    """Printed names that share most of their words but measure different things are different entries."""
    assert {a, b} <= _names()
    assert cluster_key(a) != cluster_key(b)


def test_real_library_counts_add_up() -> None:
    """Every indicator row read is counted in exactly one entry; the satisfaction entries carry % targets."""
    library = _library()
    assert sum(e.uses for e in library.entries) == library.indicators > 500
    managers = next(e for e in library.entries if e.name == "管理人员满意度")
    assert managers.unit == "%" and managers.direction == "越大越好" and managers.uses >= 16
    percent = next(t for t in managers.targets if t.unit == "%")
    assert percent.min <= percent.median <= percent.max
