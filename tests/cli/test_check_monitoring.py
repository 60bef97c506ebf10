"""``jixiao check`` on monitoring forms written as JSON: the alerts printed in Chinese, the exit status, bad packs."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from jixiao.cli import EXIT_OK, EXIT_UNUSABLE, EXIT_WARNINGS, main
from jixiao.core.model import Document, FundRow, Funds
from jixiao.core.serialize import dumps
from tests.core.review.builders import D, mon_doc, monitoring, with_indicator


def _behind() -> Document:
    """A form at 30 June 2024 (schedule 50%): 39.99% spent, one forecast short, one likelihood without a remedy."""
    project = monitoring(
        as_of="2024-06-30",
        funds=Funds(
            total=FundRow(adjusted=D("100000.00"), executed=D("39990.00"), rate_pct=D("39.99"), forecast=D("95000.00"))
        ),
    )
    project = with_indicator(project, 1, forecast="85%", likelihood="有可能", cause=("人员保障",))
    return mon_doc(project)


def _write(folder: Path, name: str, document: Document) -> Path:
    path = folder / name
    path.write_text(dumps(document), encoding="utf-8")
    return path


def test_check_prints_the_monitoring_alerts_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Warnings only: exit 0, each alert under its Chinese title with its numbers, never its code."""
    monkeypatch.setenv("COLUMNS", "240")
    path = _write(tmp_path, "monitoring.json", _behind())
    assert main(["check", str(path)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "警告 预算执行进度落后于序时进度：截至2024年6月30日预算执行率 39.99%" in out
    assert "序时进度 50.00%（已过 6 个整月 ÷ 12），落后 10.01 个百分点" in out
    assert "警告 预计不能完成指标值：指标“培训考核合格率”预计不能完成：指标值 ≥90%，全年预计完成值 85%" in out
    assert "警告 缺少纠偏措施：指标“培训考核合格率”的完成目标可能性为“有可能”，没有填写纠偏措施。" in out
    assert "execution-behind-schedule" not in out
    assert "0 个错误，3 个警告，0 个提示" in out


def test_check_exits_1_on_a_monitoring_error_and_lists_codes_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """More spent than budgeted is an error: exit 1, as for any error finding; JSON keeps the codes and places."""
    document = mon_doc(
        monitoring(
            funds=Funds(total=FundRow(adjusted=D("100000.00"), executed=D("120000.00"), forecast=D("120000.00")))
        )
    )
    path = _write(tmp_path, "over.json", document)
    assert main(["check", str(path), "--format", "json"]) == EXIT_WARNINGS
    findings = json.loads(capsys.readouterr().out)
    over = [f for f in findings if f["code"] == "monitoring-executed-over-budget"]
    assert len(over) == 1 and over[0]["severity"] == "error" and over[0]["field"] == "funds.total.executed"
    assert over[0]["source"] == str(path) and over[0]["year"] == 2024


def test_check_on_a_folder_with_one_bad_file_still_prints_the_others_alerts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One unreadable file: exit 2, named with its place after the alerts of the readable one."""
    monkeypatch.setenv("COLUMNS", "240")
    _write(tmp_path, "a-monitoring.json", _behind())
    bad = tmp_path / "b-broken.json"
    text = dumps(_behind()).replace('"likelihood": "有可能"', '"likelihood": "大概能"')
    bad.write_text(text, encoding="utf-8")
    assert main(["check", str(tmp_path)]) == EXIT_UNUSABLE
    captured = capsys.readouterr()
    assert "预算执行进度落后于序时进度" in captured.out
    assert "b-broken.json" in captured.err and "likelihood" in captured.err and "大概能" in captured.err


def test_check_with_a_pack_file_applies_its_thresholds_and_refuses_a_bad_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--rules FILE.toml: a 15-point margin silences the alert; a margin of 100 is refused, naming the key."""
    text = resources.files("jixiao.core.scoring").joinpath("packs", "mof-2020.toml").read_text(encoding="utf-8")
    form = _write(tmp_path, "monitoring.json", _behind())
    lenient = tmp_path / "mof-2020.toml"
    lenient.write_text(text.replace("execution_margin_pct = 10", "execution_margin_pct = 15"), encoding="utf-8")
    assert main(["check", str(form), "--rules", str(lenient), "--format", "json"]) == EXIT_OK
    codes = [f["code"] for f in json.loads(capsys.readouterr().out)]
    assert "execution-behind-schedule" not in codes and "forecast-misses-target" in codes
    lenient.write_text(text.replace("execution_margin_pct = 10", "execution_margin_pct = 100"), encoding="utf-8")
    assert main(["check", str(form), "--rules", str(lenient)]) == EXIT_UNUSABLE
    err = capsys.readouterr().err
    assert "monitoring.execution_margin_pct" in err and "0 到 100" in err
