"""采用建议分: the suggested scores fill the form per row or all at once, without JavaScript too; dates are scored."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.core.workflow import State
from jixiao.web.cycle import services
from jixiao.web.cycle.models import SelfEvaluation
from tests.web.conftest import DECLARATION_DATA, INDICATORS, advance, ctx, declare
from tests.web.test_cycle import _evaluation_form, _Fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(tree: Any, people: dict[str, Any]) -> SelfEvaluation:
    """A new self-evaluation of an approved declaration: nothing typed yet."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    return services.create_evaluation(ctx(people["staff_a1"]), decl)


def _typed(ev: SelfEvaluation) -> dict[str, str]:
    """The form with the actual values typed and no score yet (培训合格率 at 85% of ≥90%: 18.89 of 20)."""
    form = _evaluation_form(ev, ["", "", "", ""])
    return form | {"row-1-actual": "85%"}


def test_adopting_all_fills_every_score_without_saving(
    evaluation: SelfEvaluation, people: dict[str, Any], login: Any
) -> None:
    """Without JavaScript the button posts the form: the page comes back with the suggestions filled in, unsaved."""
    staff = login(people["staff_a1"])
    page = staff.post(f"/work/evaluations/{evaluation.pk}/edit/", _typed(evaluation) | {"adopt": "all"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "已填入建议得分" in text and "尚未保存" in text
    shown = _Fields()
    shown.feed(text)
    assert [shown.values[f"row-{n}-score"] for n in range(4)] == ["30.00", "18.89", "30.00", "10.00"]
    assert shown.values["execution_score"] == "9.50"
    assert (shown.values["total_score"], shown.values["grade"]) == ("98.39", "优")
    assert shown.values["row-1-actual"] == "85%"  # what was typed stays
    evaluation.refresh_from_db()
    assert evaluation.version == 1 and all(r.score is None for r in evaluation.indicators.all())

    # saving the page as it came back stores exactly the suggestions
    assert staff.post(f"/work/evaluations/{evaluation.pk}/edit/", shown.values | {"save": "1"}).status_code == 302
    stored = [r.score for r in evaluation.indicators.order_by("indicator__position")]
    assert stored == [Decimal("30.00"), Decimal("18.89"), Decimal("30.00"), Decimal("10.00")]


def test_adopting_one_row_fills_only_that_row(evaluation: SelfEvaluation, people: dict[str, Any], login: Any) -> None:
    """采用建议分 on row 2 fills row 2; the other rows keep what was typed (here nothing, and a typed 25)."""
    staff = login(people["staff_a1"])
    form = _typed(evaluation) | {"row-0-score": "25", "adopt": "1"}
    shown = _Fields()
    shown.feed(staff.post(f"/work/evaluations/{evaluation.pk}/edit/", form).content.decode())
    assert [shown.values[f"row-{n}-score"] for n in range(4)] == ["25", "18.89", "", ""]
    assert shown.values["total_score"] == ""  # the total is left to the filer until every row is adopted


def test_a_row_that_cannot_be_scored_has_no_suggestion_to_adopt(
    evaluation: SelfEvaluation, people: dict[str, Any], login: Any
) -> None:
    """A row without an actual value keeps its empty score; the page says why nothing was filled."""
    staff = login(people["staff_a1"])
    form = _typed(evaluation) | {"row-2-actual": "", "adopt": "2"}
    text = staff.post(f"/work/evaluations/{evaluation.pk}/edit/", form).content.decode()
    shown = _Fields()
    shown.feed(text)
    assert shown.values["row-2-score"] == ""
    assert "第3行「业务能力提升情况」没有建议得分" in text


def test_a_deadline_target_is_scored_against_the_date_done(tree: Any, people: dict[str, Any], login: Any) -> None:
    """「2026年10月底前」 against 「9月25日上线」 is met (full weight, not 「不能评分」); a late date scores 0."""
    rows = [
        *INDICATORS[:3],
        services.IndicatorInput("产出指标", "时效指标", "系统上线时间", "2026年10月底前", Decimal(10)),
    ]
    decl = services.create_declaration(
        ctx(people["staff_a1"]), tree.unit_a1, "信息系统升级", 2026, DECLARATION_DATA, rows
    )
    decl = advance(decl, people, "staff_a1", "dept_a", State.APPROVED)
    ev = services.create_evaluation(ctx(people["staff_a1"]), decl)
    staff = login(people["staff_a1"])
    on_time = staff.post(f"/work/evaluations/{ev.pk}/preview/", _typed(ev) | {"row-3-actual": "9月25日上线"}).json()
    row = on_time["indicators"][3]
    assert row["scorable"] and row["suggested"] == "10.00", row
    late = staff.post(f"/work/evaluations/{ev.pk}/preview/", _typed(ev) | {"row-3-actual": "11月3日上线"}).json()
    assert late["indicators"][3]["suggested"] == "0.00" and "晚于期限" in late["indicators"][3]["explanation"]
