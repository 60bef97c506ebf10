"""Cases that once read wrongly, each kept with the reading a user expects."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from jixiao.documents.fused import unfuse
from jixiao.documents.importer import expand, import_bytes

SELF_HEAD = (
    "财政项目支出绩效自评表\n(2024年度)\n项目名称\t\t测试项目\n主管部门\t\t测试局\t\t实施单位\t\t测试中心\n"
    "项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
    "\t年度资金总额\t10.00\t10.00\t9.00\t10\t90.00%\t9.00\n"
    "\t上年结转资金\t\t6.40\t6.40\t—\t—\t—\n"
    "年度总体目标\t预期目标\t\t实际完成情况\n\t完成培训。\t\t已完成。\n"
    "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
)


def _read(text: str):  # type: ignore[no-untyped-def]
    return import_bytes(text.encode("utf-8"), "case.txt")


def test_empty_actual_cell_keeps_weight_score_and_note_in_place() -> None:
    """An empty 实际完成值 cell stays empty; 分值, 得分 and the note stay in their columns."""
    doc = _read(
        SELF_HEAD + "产出指标\t数量指标\t培训场次\t≥6场\t\t10\t8\t受疫情影响未完成。\n总分\t\t\t\t\t100\t98\n"
    ).document
    (ind,) = doc.projects[0].indicators
    assert (ind.target, ind.actual, ind.weight, ind.score) == ("≥6场", None, D("10"), D("8"))
    assert ind.deviation == "受疫情影响未完成。"


def test_empty_money_cell_is_read_by_position() -> None:
    """A funding row with its 年初预算数 left empty keeps 全年预算数 and 全年执行数 in their columns."""
    doc = _read(SELF_HEAD + "产出指标\t数量指标\t培训场次\t≥6场\t6场\t10\t10\t\n").document
    row = doc.projects[0].funds.carryover
    assert row is not None and (row.initial, row.adjusted, row.executed) == (None, D("6.40"), D("6.40"))


def test_numbered_prefix_never_eats_a_names_digits() -> None:
    """指标1： is stripped, but 2.5G网络覆盖率 and 10：00前开门率 keep their digits."""
    rows = "".join(
        f"产出指标\t数量指标\t{name}\t≥90%\t95%\t10\t10\t\n"
        for name in ("指标1：培训次数", "2.5G网络覆盖率", "10：00前开门率")
    )
    names = [i.name for i in _read(SELF_HEAD + rows).document.projects[0].indicators]
    assert names == ["培训次数", "2.5G网络覆盖率", "10：00前开门率"]


def test_fused_two_decimal_weight_and_score_split() -> None:
    """Run-together 10.0010.00 is 分值 10.00 and 得分 10.00; 总分100.0098.51 is 98.51."""
    out = unfuse(
        [
            "项目名称测试项目",
            "绩效指标一级指标二级指标三级指标年度指标值实际完成值分值得分偏差原因分析及改进措施",
            "产出指标数量指标签约服务人数≥6.5万人6.72万人10.0010.00",
            "2型糖尿病患者规范管理人数1.6万人1.7万人1010",
            "总分100.0098.51",
        ]
    )
    assert out[2].split("\t") == ["产出指标", "数量指标", "签约服务人数", "≥6.5万人", "6.72万人", "10.00", "10.00"]
    assert out[3].split("\t") == ["2型糖尿病患者规范管理人数", "1.6万人", "1.7万人", "10", "10"]
    assert out[4].split("\t") == ["总分", "100.00", "98.51"]


def test_year_comes_from_title_not_from_a_goal_sentence() -> None:
    """A goal that mentions 2024年度 does not change the form's (2023年度)."""
    form = (
        "项目名称\t\t项目{n}\n主管部门\t\t测试局\t\t实施单位\t\t测试中心\n"
        "年度总体目标\t预期目标\t\t实际完成情况\n\t为2024年度扩面做好准备。\t\t已完成。\n"
        "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
        "产出指标\t数量指标\t培训场次\t≥6场\t6场\t90\t90\t\n"
    )
    text = "财政项目支出绩效自评表\n（2023年度）\n" + "".join(form.format(n=n) for n in range(3))
    assert _read(text).document.year == 2023


def test_hidden_folders_are_passed_over(tmp_path: Path) -> None:
    """Files inside a hidden folder (.git, .cache) are not read when a folder is imported."""
    (tmp_path / "sub" / ".git").mkdir(parents=True)
    (tmp_path / "sub" / ".git" / "d.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub" / "form.txt").write_text("x", encoding="utf-8")
    assert [p.name for p in expand([tmp_path])] == ["form.txt"]


def test_unreadable_planned_date_is_a_warning_not_a_value() -> None:
    """计划开始日期 2024年3月 is not a date: the field stays empty and a warning says so."""
    text = (
        "财政项目支出绩效目标申报表\n(2024年度)\n项目名称\t测试项目\t项目性质\t经常性项目\n"
        "主管部门\t测试局\t实施单位\t测试中心\n计划开始日期\t2024年3月\t计划完成日期\t2024年12月31日\n"
        "一级指标\t二级指标\t三级指标\t年度(/项目)指标值\n产出指标\t数量指标\t培训场次\t≥6场\n"
    )
    result = _read(text)
    project = result.document.projects[0]
    assert (project.start_date, project.end_date) == (None, "2024-12-31")
    assert any("计划开始日期不是日期" in w.message for w in result.warnings)


def test_grade_list_in_the_label_is_not_the_grade() -> None:
    """评分等级（优/良/中/差） followed by 良 reads 良."""
    text = (
        SELF_HEAD
        + "产出指标\t数量指标\t培训场次\t≥6场\t6场\t90\t90\t\n总分\t\t\t\t\t100\t99\n评分等级（优/良/中/差）\t良\n"
    )
    assert _read(text).document.projects[0].grade == "良"
