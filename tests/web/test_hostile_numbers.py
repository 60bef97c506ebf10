"""No input gives a server error: hostile numbers and unknown actions on every form, preview, filter and action."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.core.model import Document, Indicator, Kind, Project
from jixiao.core.serialize import dumps
from jixiao.core.workflow import State
from jixiao.web.cycle.models import Adjustment, Declaration, DeclarationIndicator, SelfEvaluation
from tests.web.conftest import PASSWORD, advance, declare, evaluate
from tests.web.test_api import call, error_of, token_for
from tests.web.test_cycle import _declaration_form, _evaluation_form

pytestmark = pytest.mark.django_db

# what a person, a script or an attacker may type where a number belongs
HOSTILE = [
    "1e999999",
    "-1e999999",
    "NaN",
    "nan",
    "sNaN",
    "Infinity",
    "-inf",
    "1e20",
    "-5",
    "99999999999999999999999",
    "0.000000000000000000001",
    "1e-999999",
    "１２",  # full-width digits
    "²",  # a digit to str.isdigit(), not to int()
    "١٢",  # Arabic-Indic digits
    "12,5",
    " 30 ",
    "",
    "\x00",
    "3" * 5000,
]


def _client(user: Any) -> Client:
    """A signed-in client that returns a server error as a 500 response instead of raising it."""
    client = Client(raise_request_exception=False)
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


@pytest.fixture
def records(tree: Any, people: dict[str, Any]) -> dict[str, Any]:
    """A draft declaration, an approved one with a draft self-evaluation, and a published self-evaluation."""
    draft = declare(people["staff_a1"], tree.unit_a1, "草稿项目")
    approved = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    ev = evaluate(approved, people["staff_a1"])
    return {"draft": draft, "approved": approved, "evaluation": ev}


@pytest.mark.parametrize("action", ["edit", "adjust", "nonsense", "SUBMIT"])
def test_an_action_that_is_not_a_review_step_is_not_found(
    records: dict[str, Any], people: dict[str, Any], action: str
) -> None:
    """act/edit and act/adjust name workflow actions that are not review steps: 404, never 500, nothing changes."""
    for who, kind, record in (
        ("staff_a1", "declarations", records["draft"]),
        ("finance", "declarations", records["approved"]),
        ("staff_a1", "evaluations", records["evaluation"]),
    ):
        before = (record.state, record.version)
        response = _client(people[who]).post(f"/work/{kind}/{record.pk}/act/{action}/")
        assert response.status_code == 404, (who, kind, response.status_code)
        record.refresh_from_db()
        assert (record.state, record.version) == before


@pytest.mark.parametrize("value", HOSTILE)
def test_the_live_preview_answers_every_number(records: dict[str, Any], people: dict[str, Any], value: str) -> None:
    """1e999999, NaN, Infinity, 30 digits…: the preview answers 200 with scores for what it can read.

    A NUL byte is refused before any view, by NulByteMiddleware, with its own 400 page: never a 500.
    """
    ev = records["evaluation"]
    client = _client(people["staff_a1"])
    form = _evaluation_form(ev, ["30", "20", "30", "10"])
    for field in ("row-0-score", "executed_total", "adjusted_total", "execution_weight", "total_score", "rate_pct"):
        response = client.post(f"/work/evaluations/{ev.pk}/preview/", form | {field: value})
        if "\x00" in value:
            assert response.status_code == 400 and "NUL" in response.content.decode(), (field, response.status_code)
            continue
        assert response.status_code == 200, (field, value, response.status_code)
        assert "indicators" in response.json()


@pytest.mark.parametrize("value", ["99999999999999999999", "²", "١٢", "-1", "2025.0", "1e3"])
@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("staff_a1", "/work/declarations/"),
        ("staff_a1", "/work/evaluations/"),
        ("finance", "/work/summary/"),
        ("finance", "/work/summary/dashboard/"),
        ("finance", "/work/summary/download.csv"),
        (None, "/"),
    ],
)
def test_list_and_summary_filters_take_any_year(
    records: dict[str, Any], people: dict[str, Any], who: str | None, path: str, value: str
) -> None:
    """An out-of-range or odd year in a filter (SQLite holds 64 bits) is an empty filter, not a 500."""
    client = _client(people[who]) if who else Client(raise_request_exception=False)
    for key in ("year", "department", "unit", "page"):
        response = client.get(path, {key: value})
        assert response.status_code == 200, (path, key, value, response.status_code)


@pytest.mark.parametrize("value", ["1e20", "-5", "NaN", "500", "1e999999", "0"])
def test_a_weight_out_of_range_in_the_declaration_form_is_refused_and_stored_nowhere(
    records: dict[str, Any], people: dict[str, Any], value: str
) -> None:
    """The editor posts 1e20 or -5 as a weight: the form says why, and the stored weights stay as they were."""
    decl = records["draft"]
    before = list(decl.indicators.values_list("weight", flat=True))
    response = _client(people["staff_a1"]).post(
        f"/work/declarations/{decl.pk}/edit/", _declaration_form(decl, **{"ind-0-weight": value})
    )
    assert response.status_code == 200, response.status_code
    assert "分值" in response.content.decode()
    assert list(Declaration.objects.get(pk=decl.pk).indicators.values_list("weight", flat=True)) == before


@pytest.mark.parametrize("value", ["1e20", "-5", "500", "NaN", "1e999999", "abc", "90.001"])
def test_a_weight_adjustment_out_of_range_is_refused_and_stored_nowhere(
    records: dict[str, Any], people: dict[str, Any], value: str
) -> None:
    """Adjusting 分值 to 500, -5 or 1e20 is refused with a message; no adjustment, the weight unchanged."""
    decl = records["approved"]
    indicator = decl.indicators.get(name="培训场次")
    response = _client(people["finance"]).post(
        f"/work/declarations/{decl.pk}/adjust/",
        {"indicator": indicator.pk, "field": "weight", "value": value, "reason": "年中调整"},
        follow=True,
    )
    assert response.status_code == 200
    assert "分值" in response.content.decode()
    assert not Adjustment.objects.exists()
    assert DeclarationIndicator.objects.get(pk=indicator.pk).weight == Decimal("30")


# Every numeric field of the two forms and the preview, posted with whatever hypothesis makes of a number.
_NUMBERISH = st.one_of(
    st.sampled_from(HOSTILE),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.text(alphabet="0123456789eE+-.,٠١２ NaInfty", max_size=30),
)
_EVALUATION_NUMBERS = (
    "initial_total",
    "adjusted_total",
    "executed_total",
    "rate_pct",
    "execution_weight",
    "execution_score",
    "total_score",
    "row-0-score",
    "row-1-score",
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(_EVALUATION_NUMBERS), value=_NUMBERISH)
def test_no_number_posted_to_the_self_evaluation_gives_a_server_error(
    records: dict[str, Any], people: dict[str, Any], field: str, value: str
) -> None:
    """Property: any text in any number field of the form, the preview and 采用建议分 answers below 500."""
    ev = SelfEvaluation.objects.get(pk=records["evaluation"].pk)
    client = _client(people["staff_a1"])
    form = _evaluation_form(ev, ["30", "20", "30", "10"]) | {field: value}
    for path, extra in (("preview/", {}), ("edit/", {"save": "1"}), ("edit/", {"adopt": "all"})):
        response = client.post(f"/work/evaluations/{ev.pk}/{path}", form | extra)
        assert response.status_code < 500, (path, field, value)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=st.integers(min_value=0, max_value=2), value=_NUMBERISH)
def test_no_weight_posted_to_the_declaration_or_its_check_gives_a_server_error(
    records: dict[str, Any], people: dict[str, Any], row: int, value: str
) -> None:
    """Property: any text as a weight in the editor, its live share check, or an adjustment answers below 500."""
    decl = Declaration.objects.get(pk=records["draft"].pk)
    staff, finance = _client(people["staff_a1"]), _client(people["finance"])
    form = _declaration_form(decl, **{f"ind-{row}-weight": value})
    assert staff.post(f"/work/declarations/{decl.pk}/shares/", form).status_code < 500
    assert staff.post(f"/work/declarations/{decl.pk}/edit/", form).status_code < 500
    approved = records["approved"]
    indicator = approved.indicators.first()
    adjust = {"indicator": indicator.pk, "field": "weight", "value": value, "reason": "调整"}
    assert finance.post(f"/work/declarations/{approved.pk}/adjust/", adjust).status_code < 500


def test_a_document_with_a_negative_weight_is_refused_with_its_path(tree: Any, people: dict[str, Any]) -> None:
    """Posted through the API, a weight of -5 is a 422 naming the JSON path; nothing is stored."""
    indicators = (Indicator("产出指标", "数量指标", "培训场次", "≥4(次)", weight=Decimal("-5")),)
    project = Project(name="业务培训经费", department=tree.dept_a.name, unit=tree.unit_a1.name, indicators=indicators)
    body = dumps(Document(Kind.TARGET_DECLARATION, 2025, (project,)))
    response = call("post", "/api/v1/documents", token_for(people["finance"]), body)
    assert response.status_code == 422
    details = error_of(response)["details"]
    assert {"path": "$.projects[0].indicators[0].weight", "message": "分值和得分不能为负数，实为 -5"} in details
    assert not Declaration.objects.exists()


@pytest.mark.parametrize("field", ["execution_score", "execution_weight", "total_score", "rate_pct", "row-0-score"])
def test_a_negative_score_in_the_self_evaluation_form_is_refused(
    records: dict[str, Any], people: dict[str, Any], field: str
) -> None:
    """-5 points or a rate of -5% is refused at its field, with nothing stored."""
    ev = records["evaluation"]
    client = _client(people["staff_a1"])
    response = client.post(
        f"/work/evaluations/{ev.pk}/edit/", _evaluation_form(ev, ["30", "20", "30", "10"]) | {field: "-5"}
    )
    assert response.status_code == 200
    assert "确保该值大于或等于0" in response.content.decode()  # Django's own message, in Chinese, at the field
    stored = SelfEvaluation.objects.get(pk=ev.pk)
    assert stored.version == ev.version
