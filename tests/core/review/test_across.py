"""Linking the same project across documents, pairing its indicators, comparing its targets."""

from __future__ import annotations

from dataclasses import replace

import pytest

from jixiao.core.model import Document, Kind
from jixiao.core.review import compare_targets, link_projects, review_documents
from jixiao.core.review.across import match_indicators
from tests.core.review.builders import decl_doc, declaration, eval_doc, evaluation, ind

P = declaration()


def test_links_tolerate_generic_words_and_small_differences() -> None:
    """专项工作经费 / 工作专项 and a dropped 工作 still name the same project of the same unit."""
    earlier = decl_doc(replace(P, name="少儿学生基本医疗保障专项工作经费"), year=2022)
    later = decl_doc(replace(P, name="少儿学生基本医疗保障工作专项"), year=2023)
    (link,) = link_projects([("a", earlier), ("b", later)])
    assert link.relation == "previous-year" and link.earlier.source == "a" and link.later.source == "b"


def test_reordered_name_links_when_the_indicators_agree() -> None:
    """A name whose words moved (医药服务管理 / 医药管理服务) links through shared indicators."""
    earlier = decl_doc(replace(P, name="医药服务管理工作专项"), year=2022)
    later = decl_doc(replace(P, name="医药管理服务专项经费"), year=2023)
    assert len(link_projects([("a", earlier), ("b", later)])) == 1
    stranger = decl_doc(replace(P, name="医药管理服务专项经费", indicators=(ind("车辆购置数量", "=1辆"),)), year=2023)
    assert link_projects([("a", earlier), ("b", stranger)]) == []


def test_same_name_of_another_unit_is_another_project() -> None:
    """Two units may run projects with the same name: they are not linked."""
    earlier = decl_doc(replace(P, name="信息化运维项目", unit="某市医疗保险事业管理中心"), year=2023)
    later = decl_doc(replace(P, name="信息化运维项目", unit="某市医疗保障局监督检查所"), year=2024)
    assert link_projects([("a", earlier), ("b", later)]) == []


def test_unit_names_tolerate_a_bracketed_alias() -> None:
    """A unit printed with its alias in brackets is the same unit."""
    earlier = decl_doc(replace(P, unit="某市医药采购事务管理所（某市医药采购中心）"), year=2023)
    later = decl_doc(replace(P, unit="某市医药采购事务管理所"), year=2024)
    assert len(link_projects([("a", earlier), ("b", later)])) == 1


def test_latest_earlier_year_wins_and_same_year_pairs_as_approved() -> None:
    """A 2024 evaluation links to its 2024 declaration (approved) and to 2023, not to 2022."""
    docs = [
        ("d2022", decl_doc(year=2022)),
        ("d2023", decl_doc(year=2023)),
        ("d2024", decl_doc(year=2024)),
        ("e2024", eval_doc(year=2024)),
    ]
    links = [(k.earlier.source, k.later.source, k.relation) for k in link_projects(docs)]
    assert ("d2024", "e2024", "approved") in links
    assert ("d2023", "e2024", "previous-year") in links
    assert ("d2022", "e2024", "previous-year") not in links
    assert ("d2022", "d2023", "previous-year") in links


def test_only_the_documents_named_earlier_are_compared_with() -> None:
    """A draft of 2023 is compared with 2022 but 2024 is compared with 2022, skipping the draft."""
    docs = [("d2022", decl_doc(year=2022)), ("draft2023", decl_doc(year=2023)), ("d2024", decl_doc(year=2024))]
    links = [(k.earlier.source, k.later.source) for k in link_projects(docs, earlier={0, 2})]
    assert links == [("d2022", "draft2023"), ("d2022", "d2024")]
    every = [(k.earlier.source, k.later.source) for k in link_projects(docs)]
    assert every == [("d2022", "draft2023"), ("draft2023", "d2024")]


def test_linkable_names_are_those_alike_directly_or_through_another() -> None:
    """A renamed project and the names alike to it are found; an unrelated name is not."""
    from jixiao.core.review.across import linkable

    names = ["业务培训经费", "信息系统运维项目", "业务培训专项经费", "业务培训专项", "机关服务管理费"]
    assert linkable(names, {0}) == {0, 2, 3}
    assert linkable(names, {1}) == {1}
    assert linkable(names, {4}) == {4}


def test_documents_without_a_year_are_not_linked() -> None:
    """Without a 年度 there is no order, so no cross-year comparison."""
    undated = Document(Kind.TARGET_DECLARATION, None, (P,))
    assert link_projects([("a", undated), ("b", decl_doc())]) == []


def test_indicators_pair_by_name_then_by_close_name() -> None:
    """Exact names pair first; 监督 / 监管 and 满意度 / 满意率 still pair; different indicators do not."""
    earlier = (ind("监督工作培训计划完成次数", "≥1次"), ind("培训人员满意度", "≥85%"), ind("车辆购置数量", "=1辆"))
    later = (ind("监管培训人员满意率", "≥85%"), ind("监管工作培训计划完成次数", "≥2次"), ind("档案整理数量", "≥10卷"))
    pairs, dropped, added = match_indicators(earlier, later)
    assert sorted(pairs) == [(0, 1), (1, 0)]
    assert dropped == [2] and added == [2]


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        (">=1次", "≥1.00(次)", "same"),
        ("=100%", "=100.00(%)", "same"),
        ("≥8.00(个)", "≥10.00(个)", "raised"),
        ("≥85%", "≥80%", "lowered"),
        ("≤15(工作日)", "≤10(工作日)", "raised"),
        ("≤15(工作日)", "≤20(工作日)", "lowered"),
        ("≤90(工作日)", "≤90(天)", "changed"),
        ("=2", "≥2个", "changed"),
        ("≥2次", "≤2次", "changed"),
        ("医疗机构≥40%病种≥70%", "医疗机构≥50%病种≥70%", "raised"),
        ("及时", "及时完成", "same"),
        ("无重大信息泄害安全事件发生", "无重大信息泄露安全事件发生", "same"),
        ("合格", "逐步提高", "changed"),
    ],
)
def test_compare_targets(old: str, new: str, kind: str) -> None:
    """Raised and lowered follow the direction (a lower ceiling asks for more); units and signs are changes."""
    assert compare_targets(old, new)[0] == kind


def test_cross_findings_point_at_the_later_project_and_name_the_earlier_source() -> None:
    """Year-over-year findings carry the later document's source and year and cite the earlier one."""
    later = decl_doc(replace(P, indicators=(*P.indicators[:4], replace(P.indicators[4], target="≥95%"))))
    findings = review_documents([("2023.json", decl_doc(year=2023)), ("2024.json", later)])
    (raised,) = [f for f in findings if f.code == "yoy-target-raised"]
    assert raised.source == "2024.json" and raised.year == 2024 and raised.indicator == "参训人员满意度"
    assert "2023.json" in raised.message and raised.expected == "≥90%" and raised.found == "≥95%"


def test_evaluation_total_is_not_compared_across_years() -> None:
    """Only targets and indicators are compared across documents, never one year's scores with another's."""
    findings = review_documents([("2023", eval_doc(year=2023)), ("2024", eval_doc(evaluation(), year=2024))])
    assert {f.code for f in findings} == {"yoy-targets-unchanged"}


def test_an_empty_target_reads_as_blank_never_none() -> None:
    """A row still being typed (no target yet), paired with last year's or new: its message says 空白, not None."""
    paired = decl_doc(replace(P, indicators=(*P.indicators[:4], replace(P.indicators[4], target=None))), year=2024)
    added = decl_doc(replace(P, indicators=(*P.indicators, ind("档案整理数量", None))), year=2024)
    for later in (paired, added):
        findings = review_documents([("2023.json", decl_doc(year=2023)), ("2024.json", later)])
        said = [f.message for f in findings if f.code.startswith("yoy-")]
        assert said and any("空白（未填写）" in m for m in said), said
        assert not any("None" in m for m in said), said
