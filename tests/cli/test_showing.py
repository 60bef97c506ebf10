"""``jixiao show`` marks the values a person should check: chosen by arithmetic or inferred, not simply read."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.cli import main

FUSED = (
    "2022年度项目支出绩效自评表项目名称委托业务项目主管部门某区财政局项目实施单位某区财政评审中心"
    "预算执行情况(万元)(20分)预算数(A)执行数(B)执行率(B/A)得分(20分*执行率)年度财政资金总额1010100%20"
    "年度绩效目标(80分)一级指标二级指标三级指标年初目标值(A)实际完成值(B)得分"
    "产出指标数量指标评审项目数≥30个35个40质量指标评审报告合格率100%100%40总分100\n"
)
CLEAN = "项目支出绩效自评表\n(2021年度)\n项目名称 禁毒经费\n主管部门 某市公安局 实施单位 禁毒支队\n" + (
    "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分\n产出指标 数量指标 宣传场次 ≥1场 1场 12 12\n"
)


def _show(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> str:
    source = tmp_path / "form.txt"
    source.write_text(text, encoding="utf-8")
    main(["show", str(source)])
    return capsys.readouterr().out


def test_values_chosen_by_arithmetic_are_marked_with_a_legend(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Figures split from ``1010100%20`` by the form's sums print with * and a line says what * means."""
    monkeypatch.setenv("COLUMNS", "200")
    out = _show(tmp_path, FUSED, capsys)
    assert "10*" in out and "100*" in out
    assert "标*的值不是直接读自所在的单元格" in out


def test_a_form_read_cell_by_cell_has_no_marks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Values read from their own cells print plain, without * and without the legend."""
    monkeypatch.setenv("COLUMNS", "200")
    out = _show(tmp_path, CLEAN, capsys)
    assert "宣传场次" in out
    assert "*" not in out and "标*" not in out


def test_marks_survive_the_json_that_import_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """show on the JSON written by import marks the same values: the reading travels with the document."""
    monkeypatch.setenv("COLUMNS", "200")
    source = tmp_path / "form.txt"
    source.write_text(FUSED, encoding="utf-8")
    main(["import", str(source), "--out-dir", str(tmp_path / "out")])
    capsys.readouterr()
    main(["show", str(tmp_path / "out" / "form.json")])
    out = capsys.readouterr().out
    assert "10*" in out and "标*" in out
