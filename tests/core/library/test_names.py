"""Clustering indicator names: small wording differences cluster, different things with similar words do not."""

from __future__ import annotations

import pytest

from jixiao.core.library import cluster_key
from jixiao.core.library.names import parse_rules


@pytest.mark.parametrize(
    "names",
    [
        ("满意度", "满意率", "服务对象满意度", "受益群众满意度", "服务对象满意率", "满意度（%）", "服务对象 满意度。"),
        ("管理人员满意度", "管理人员满意率", "管理人员满意度指标", "管理人员满意度(%)"),
        ("贫困人口覆盖比例", "贫困人口覆盖率", "贫困人口覆盖比率"),
        ("完成及时率", "按时完成率", "及时率"),
        ("游客满意度(≥**%)", "游客满意度", "游客满意率"),
        ("培训人次", "培训人次(人次)", "培训人次情况"),
        ("ＡＢＣ系统可用率", "ABC系统可用率"),
    ],
)
def test_wordings_of_one_indicator_share_a_key(names: tuple[str, ...]) -> None:
    """Every wording in a group gets the same key."""
    assert len({cluster_key(n) for n in names}) == 1, {n: cluster_key(n) for n in names}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("培训人数", "培训次数"),
        ("覆盖率", "完成率"),
        ("医保参保人员覆盖率", "医保参保人员完成率"),
        ("管理人员满意度", "培训人员满意度"),
        ("管理人员满意度", "服务对象满意度"),
        ("项目(工程)验收合格率", "项目(工程)完成及时率"),
        ("投诉率", "满意度"),
    ],
)
def test_different_indicators_with_similar_words_stay_apart(a: str, b: str) -> None:
    """Names that count or measure different things keep different keys."""
    assert cluster_key(a) != cluster_key(b)


def test_a_bracket_with_words_keeps_its_words() -> None:
    """Only a unit or a placeholder in brackets is dropped; 项目(工程) keeps 工程."""
    assert cluster_key("项目(工程)验收合格率") == "项目工程验收合格率"
    assert cluster_key("覆盖率(%)") == "覆盖率"


def test_synonyms_are_data() -> None:
    """A synonym group given as data joins names the shipped rules keep apart."""
    rules = parse_rules({"replace": {}, "trailing": [], "synonyms": [{"names": ["道路完好率", "路况完好率"]}]})
    assert cluster_key("路况完好率", rules) == cluster_key("道路完好率", rules) == "道路完好率"
    assert cluster_key("路况完好率") != cluster_key("道路完好率")


def test_a_name_of_punctuation_only_has_no_key() -> None:
    """A name with nothing but punctuation is not an indicator."""
    assert cluster_key("——") == ""
