"""The core owns the vocabulary: each word, list and encoder is defined once and used by every part."""

from __future__ import annotations

import ast
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.core.errors import DocumentError
from jixiao.core.model import FUND_MANAGEMENT_ITEMS, GRADES
from jixiao.core.review.findings import CHECKS, Severity, checks_for_people, title_of
from jixiao.core.scoring import available_packs, load_pack
from jixiao.core.serialize import json_text
from jixiao.core.workflow import FROZEN_STATES, State, is_frozen, status_sentence

SRC = Path(__file__).resolve().parents[2] / "src" / "jixiao"


def _assignments(name: str) -> list[str]:
    """Every module of src that assigns a module-level constant ``name`` (or ``_name``)."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else [node.target]
                if isinstance(node, ast.AnnAssign)
                else []
            )
            if any(isinstance(t, ast.Name) and t.id.lstrip("_") == name for t in targets):
                found.append(str(path.relative_to(SRC)))
    return found


@pytest.mark.parametrize(
    ("name", "home"),
    [("GRADES", "core/model.py"), ("FUND_MANAGEMENT_ITEMS", "core/model.py"), ("FROZEN_STATES", "core/workflow.py")],
)
def test_each_list_is_defined_once_in_core(name: str, home: str) -> None:
    """GRADES, FUND_MANAGEMENT_ITEMS and the frozen states have one definition, in core (others import it)."""
    assert _assignments(name) == [home]


def test_no_copy_of_the_severity_words_or_the_frozen_states_is_written_out() -> None:
    """No module or script of src writes 提醒 for a warning, a severity-word table or "approved or published".

    提醒 as a label of its own (quoted, in a tag, before a colon) is a severity word; inside a phrase
    (逾期提醒, 发送提醒: the notices' reminders) it is another word and allowed.
    """
    pattern = re.compile(
        r"[\"'>]提醒[\"'<：:]|审核提示|\"warning\":\s*\"|\(State\.APPROVED\.value,\s*State\.PUBLISHED\.value\)"
    )
    home = SRC / "core" / "review" / "findings.py"  # the one place: Severity.label
    offenders = [
        str(p.relative_to(SRC))
        for p in SRC.rglob("*")
        if p.suffix in {".py", ".html", ".js"}
        and p != home
        and "vendor" not in p.parts
        and "migrations" not in p.parts
        and pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_words_and_lists() -> None:
    """警告 for a warning; grades best first with every pack's bands; the frozen states are approved and published."""
    assert [s.label for s in Severity] == ["错误", "警告", "提示"]
    assert GRADES == ("优", "良", "中", "差")
    for name in available_packs():
        assert [g.grade for g in load_pack(name).grades] == list(GRADES)
    assert len(FUND_MANAGEMENT_ITEMS) == 7 and FUND_MANAGEMENT_ITEMS[0] == "分配科学性"
    assert {State.APPROVED, State.PUBLISHED} == FROZEN_STATES
    assert [s for s in State if is_frozen(s)] == [State.APPROVED, State.PUBLISHED] and is_frozen("published")


def test_status_sentences_per_record_kind() -> None:
    """Each state reads as a sentence; a self-evaluation approved by the bureau is simply 已财政批复。"""
    assert status_sentence(State.DEPT_APPROVED) == "已主管部门审核通过。"
    assert status_sentence("approved", evaluation=True) == "已财政批复。"
    assert status_sentence(State.APPROVED) == "已财政批复，绩效目标已确定。"
    assert status_sentence(State.RETURNED) == "已退回，待修改。"
    assert status_sentence(State.SUBMITTED) == "已提交，待主管部门审核。"
    assert status_sentence(State.PUBLISHED, evaluation=True) == "已公开。"
    assert all(status_sentence(s).endswith("。") for s in State)


def test_checks_for_people_are_by_severity_then_title() -> None:
    """Filters list checks by severity, then Chinese title, never by code; titles are unique."""
    ordered = checks_for_people()
    assert sorted(ordered, key=lambda c: (c.severity.rank, c.title)) == ordered
    assert [c.code for c in ordered] != sorted(c.code for c in CHECKS)
    assert len({c.title for c in CHECKS}) == len(CHECKS)
    assert title_of("weights-sum") != "weights-sum" or "weights-sum" not in {c.code for c in CHECKS}
    assert title_of("no-such-code") == "其他审核发现"


def test_the_one_json_encoder_keeps_digits() -> None:
    """Compact or indented, a Decimal keeps its digits; a non-finite number and an unknown type are refused."""
    tree = {"金额": Decimal("445000.00"), "rows": [Decimal("1E+2"), 1, True, None, "中"]}
    assert json_text(tree) == '{"金额":445000.00,"rows":[1E+2,1,true,null,"中"]}'
    assert json.loads(json_text(tree, indent=2)) == json.loads(json_text(tree))
    assert json_text({"d": object()}, default=lambda v: "x") == '{"d":"x"}'
    with pytest.raises(DocumentError):
        json_text(Decimal("NaN"))
    with pytest.raises(DocumentError):
        json_text(object())
