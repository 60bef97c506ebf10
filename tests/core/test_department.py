"""Department-wide performance in core: the model in JSON, the score per class, the roll-up and its findings.

The department here is the one the exporter tests write (tests/exporters/helpers.py): 4,753.66 万元 by
source and by nature to the fen, three numbered goals, seven indicators over 产出/效益/满意度.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from jixiao.core.department import ProjectMoney, money_of, rollup, score_department
from jixiao.core.errors import DocumentError
from jixiao.core.model import DepartmentFunds, FundRow, Funds, Kind, Project
from jixiao.core.review import review_document
from jixiao.core.scoring.packs import load_pack, parse_pack
from jixiao.core.serialize import dumps, loads
from tests.exporters.helpers import department_document


def _department(**changes: object) -> Project:
    return replace(department_document().projects[0], **changes)  # type: ignore[arg-type]


def _codes(project: Project, kind: Kind = Kind.DEPARTMENT_SELF_EVALUATION, pack: object = None) -> list[str]:
    doc = replace(department_document(kind), projects=(project,))
    return [f.code for f in review_document(doc, pack)]  # type: ignore[arg-type]


# -- the model in the document JSON ---------------------------------------------------------------


def test_department_form_round_trips_through_json_with_its_splits_and_goals() -> None:
    """funds_by_source, funds_by_nature and goals are written and read back exactly, digits kept (0.00 stays)."""
    doc = department_document()
    text = dumps(doc)
    assert '"funds_by_source"' in text and '"goals"' in text and '"government_fund": {\n' in text
    assert loads(text) == doc
    assert loads(text).projects[0].department_funds.government_fund.initial.as_tuple().exponent == -2  # type: ignore[union-attr]


def test_project_forms_carry_no_department_keys() -> None:
    """Other kinds' JSON is unchanged: the department keys are written only where present."""
    doc = replace(department_document(), kind=Kind.SELF_EVALUATION)
    doc = replace(doc, projects=(replace(doc.projects[0], name="某项目", department_funds=None, goals=None),))
    assert "funds_by_source" not in dumps(doc) and '"goals"' not in dumps(doc)


def test_an_unknown_source_is_refused_naming_its_place() -> None:
    """A misspelt source key is an error with its JSON path, in Chinese."""
    text = dumps(department_document()).replace('"special_account"', '"special"')
    with pytest.raises(DocumentError) as err:
        loads(text, source="dept.json")
    assert "funds_by_source.special" in str(err.value) and "未知字段" in str(err.value)


def test_department_declaration_is_a_kind_of_its_own() -> None:
    """部门整体支出绩效目标申报表: its own kind and label, a department kind like the self-evaluation."""
    assert Kind("department_declaration").label == "部门（单位）整体支出绩效目标申报表"
    assert Kind.DEPARTMENT_DECLARATION.is_department and Kind.DEPARTMENT_SELF_EVALUATION.is_department
    assert not Kind.SELF_EVALUATION.is_department


# -- review -------------------------------------------------------------------------------------------


def test_a_consistent_department_form_raises_no_finding() -> None:
    """The built department adds up, scores 10 + 90, explains its shortfalls: nothing to say."""
    assert _codes(_department()) == []
    assert _codes(department_document(Kind.DEPARTMENT_DECLARATION).projects[0], Kind.DEPARTMENT_DECLARATION) == []


def test_sources_that_do_not_make_the_total_are_an_error_with_the_numbers() -> None:
    """一般公共预算 80 万元 short: the finding names both sums and the difference."""
    p = _department()
    split = replace(p.department_funds, general_budget=replace(p.department_funds.general_budget, initial=D("3793.66")))  # type: ignore[arg-type]
    doc = replace(department_document(), projects=(replace(p, department_funds=split),))
    (f,) = [f for f in review_document(doc) if f.code == "department-sources-do-not-add-up"]
    assert f.severity.value == "error" and f.field == "funds_by_source.initial"
    assert "4,673.66 万元" in f.message and "4,753.66 万元" in f.message and "相差 80.00 万元" in f.message


def test_natures_that_do_not_make_the_total_are_an_error() -> None:
    """基本支出 + 项目支出 must make the total, column by column."""
    p = _department()
    split = replace(p.department_funds, project=replace(p.department_funds.project, executed=D("2000.00")))  # type: ignore[arg-type]
    assert "department-natures-do-not-add-up" in _codes(replace(p, department_funds=split))


def test_one_printed_row_of_a_split_is_not_summed() -> None:
    """A split with one row cannot be told from one whose other rows were blank: no sum finding."""
    p = _department(department_funds=DepartmentFunds(other=FundRow(initial=D("2880"))))
    assert "department-sources-do-not-add-up" not in _codes(p)


def test_weights_and_totals_follow_the_department_split() -> None:
    """Indicator weights summing to 80 with execution 10: the total cannot be 100 (an error)."""
    p = _department()
    inds = (replace(p.indicators[0], weight=D("10"), score=D("10")), *p.indicators[1:])
    assert "weights-do-not-add-up" in _codes(replace(p, indicators=inds))


def test_score_beyond_weight_and_total_beyond_100_are_errors() -> None:
    """An indicator scored above its weight, a total above 100."""
    p = _department()
    inds = (replace(p.indicators[0], score=D("25")), *p.indicators[1:])
    codes = _codes(replace(p, indicators=inds, total_score=D("102.58")))
    assert "score-out-of-range" in codes and "total-over-maximum" in codes


def test_an_impossible_execution_rate_is_an_error() -> None:
    """80.45% printed where 3,824.26 ÷ 4,753.66 gives 80.45%: fine; 90% is not possible."""
    p = _department()
    total = replace(p.funds.total, rate_pct=D("90.00"))  # type: ignore[arg-type]
    assert "execution-rate-mismatch" in _codes(replace(p, funds=Funds(total=total)))


def test_classes_come_from_the_pack() -> None:
    """The default pack's classes are 产出/效益/满意度; a province's pack may use 履职效能/管理效率/社会效应."""
    p = _department()
    assert "department-class-unknown" not in _codes(p)
    text = load_pack_text().replace(
        "[display]", '[department]\nclasses = ["履职效能", "管理效率", "社会效应"]\n\n[display]', 1
    )
    province = parse_pack(text.replace('name = "mof-2020"', 'name = "province"'), "province")
    assert province.department.classes == ("履职效能", "管理效率", "社会效应")
    codes = _codes(p, pack=province)
    assert codes.count("department-class-unknown") == 7 and "department-class-missing" in codes
    relabelled = tuple(
        replace(i, level1=c)
        for i, c in zip(p.indicators, ["履职效能"] * 3 + ["管理效率"] * 2 + ["社会效应"] * 2, strict=True)
    )
    assert _codes(replace(p, indicators=relabelled), pack=province) == []


def load_pack_text() -> str:
    from importlib import resources

    return resources.files("jixiao.core.scoring").joinpath("packs/mof-2020.toml").read_text(encoding="utf-8")


def test_a_bad_department_table_is_refused_naming_the_key() -> None:
    """Fewer than two classes, or an unknown key, is refused with the key's name."""
    from jixiao.core.scoring.packs import PackError

    base = load_pack_text().replace('name = "mof-2020"', 'name = "bad"')
    for table, key in (
        ('classes = ["产出"]', "department.classes"),
        ("execution_weightt = 10", "department.execution_weightt"),
    ):
        with pytest.raises(PackError) as err:
            parse_pack(base.replace("[display]", f"[department]\n{table}\n\n[display]", 1), "bad")
        assert key in str(err.value)


# -- scoring ------------------------------------------------------------------------------------------


def test_score_is_execution_plus_indicators_with_points_per_class() -> None:
    """8.04 + 89.54 = 97.58, 优; 产出 50/50, 效益 30 of which 28.54 recorded, 满意度 10/10."""
    s = score_department(_department())
    assert s.score.total_recorded == D("97.58") and s.score.grade_recorded == "优"
    assert s.score.execution is not None and s.score.execution.suggested == D("8.04")
    by = {c.name: c for c in s.classes}
    assert (by["产出"].weight, by["产出"].recorded, by["产出"].indicators) == (D(50), D(50), 3)
    assert (by["效益"].weight, by["效益"].recorded) == (D(30), D("29.54"))
    assert by["效益"].suggested == D("29.54")  # 10 × 1093 ÷ 1100 = 9.94; 10 × 480 ÷ 500 = 9.60
    assert s.unclassed == ()


# -- roll-up ------------------------------------------------------------------------------------------


def _projects() -> list[ProjectMoney]:
    """Three project records: two in 万元, one in 元, that sum to the department's 项目支出 exactly."""
    return [
        ProjectMoney("造林工程", "万元", D("1500.00"), D("1500.00"), D("1100.00")),
        ProjectMoney("森林抚育", "万元", D("985.50"), D("985.50"), D("724.16")),
        ProjectMoney("有害生物防治", "元", D("5000000.00"), D("5000000.00"), D("3000000.00")),
    ]


def test_rollup_sums_projects_in_the_department_unit_exactly() -> None:
    """1,500 + 985.5 + 500 (5,000,000 元) = 2,985.50 万元; executed 2,124.16; rate 71.15%; nothing differs."""
    r = rollup(_department(), _projects())
    assert (r.projects, r.money_unit) == (3, "万元")
    assert (r.funds.initial, r.funds.adjusted, r.funds.executed) == (D("2985.50"), D("2985.50"), D("2124.16"))
    assert r.funds.rate_pct == D("71.15")
    assert r.findings == ()


def test_rollup_finds_where_the_typed_figures_differ_with_the_numbers() -> None:
    """The department typed 项目支出 2,985.50 but its projects spent 2,024.16: both figures and the difference."""
    projects = _projects()
    projects[1] = replace(projects[1], executed=D("624.16"))
    r = rollup(_department(), projects, source="dept.json", year=2024)
    (f,) = r.findings
    assert f.code == "department-rollup-differs" and f.field == "funds_by_nature.project.executed"
    assert f.expected == "2024.16" and f.found == "2124.16" and f.source == "dept.json"
    assert "2,124.16 万元" in f.message and "3 个项目" in f.message and "2,024.16 万元" in f.message
    assert "相差 100.00 万元" in f.message


def test_rollup_checks_the_typed_rate_against_the_summed_amounts() -> None:
    """A typed 项目支出 rate of 75% where the projects give 71.15%."""
    p = _department()
    split = replace(p.department_funds, project=replace(p.department_funds.project, rate_pct=D("75.00")))  # type: ignore[arg-type]
    (f,) = rollup(replace(p, department_funds=split), _projects()).findings
    assert f.code == "department-rollup-rate-differs" and f.expected == "71.15%" and f.found == "75.00%"


def test_rollup_tolerance_comes_from_the_pack() -> None:
    """A 1% tolerance lets 20 万元 of 2,985.50 pass; the default (0) does not."""
    projects = [*_projects(), ProjectMoney("小项目", "万元", D("20.00"), D("20.00"), D("0.00"))]
    assert [f.code for f in rollup(_department(), projects).findings].count("department-rollup-differs") == 2
    text = load_pack_text().replace("[display]", "[department]\nrollup_tolerance_pct = 1\n\n[display]", 1)
    lenient = parse_pack(text.replace('name = "mof-2020"', 'name = "lenient"'), "lenient")
    assert rollup(_department(), projects, lenient).findings == ()


def test_rollup_leaves_a_column_unsummed_when_a_project_lacks_it() -> None:
    """A declaration's record has no executed figure: executed is not summed, nothing is claimed about it."""
    projects = [*_projects()[:2], ProjectMoney("新项目", "万元", D("500.00"), None, None)]
    r = rollup(_department(), projects)
    assert r.funds.initial == D("2985.50") and r.funds.executed is None and r.funds.rate_pct is None
    assert r.findings == ()


def test_money_of_reads_a_project_form() -> None:
    """A project's 年度资金总额 row; a declaration's 申请数 stands for its initial budget."""
    declared = Project(name="甲", money_unit="元", funds=Funds(total=FundRow(requested=D("100.00"))))
    assert money_of(declared) == ProjectMoney("甲", "元", D("100.00"), None, None)
    assert load_pack().department.execution_weight == D(10)
