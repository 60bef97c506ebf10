"""Every figure printed must be possible: weights within the pack's shares, totals never above 100, on every path."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from docx import Document as Word
from openpyxl import load_workbook
from pdfminer.high_level import extract_text

from jixiao.core.model import Document, Execution, Indicator, Kind, Project
from jixiao.core.serialize import dumps
from jixiao.core.workflow import State
from jixiao.documents.importer import import_path
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context
from jixiao.web.cycle import services
from jixiao.web.cycle.models import Adjustment, Declaration, Publication, SelfEvaluation
from jixiao.web.cycle.services.loading import LoadError, load_document
from jixiao.web.imports.models import ImportJob
from tests.web.conftest import INDICATORS, advance, ctx, declare, evaluate
from tests.web.test_api import call, error_of, token_for
from tests.web.test_cycle import _declaration_form, _evaluation_form, _Fields
from tests.web.test_imports import EXAMPLE, confirm, upload

pytestmark = pytest.mark.django_db

# The form: indicator weights of 100 leave no room for the 10 points of the execution row.
HUNDRED = {"ind-0-weight": "30", "ind-1-weight": "40", "ind-2-weight": "30"}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    """Uploaded files go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _edit(client: Client, decl: Declaration, **changes: str) -> Any:
    """Post the declaration form as the edit page renders it (every field read back), with ``changes`` typed in."""
    fields = _Fields()
    fields.feed(client.get(f"/work/declarations/{decl.pk}/edit/").content.decode())
    shown = {k: v for k, v in fields.values.items() if not k.startswith("ind-__prefix__")}
    return client.post(f"/work/declarations/{decl.pk}/edit/", shown | changes, follow=True)


def test_a_declaration_whose_weights_take_the_execution_rows_points_cannot_be_submitted(
    tree: Any, people: dict[str, Any], login: Any
) -> None:
    """Weights of 100 are kept as a draft, told on the page, and refused on 保存并提交; at 90 the submission goes."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    staff = login(people["staff_a1"])
    staff.post(f"/work/declarations/{decl.pk}/edit/", _declaration_form(decl, **HUNDRED))  # three rows of 100
    page = _edit(staff, Declaration.objects.get(pk=decl.pk), submit="1")
    decl.refresh_from_db()
    assert decl.state == State.DRAFT.value
    text = page.content.decode()
    assert "各指标分值合计为 100 分，应为 90 分" in text
    assert not AuditEvent.objects.filter(event=AuditEvent.Type.SUBMIT).exists()
    assert list(decl.indicators.values_list("weight", flat=True)) == [Decimal(30), Decimal(40), Decimal(30)]

    _edit(staff, decl, **{"ind-2-weight": "20", "submit": "1"})
    decl.refresh_from_db()
    assert decl.state == State.SUBMITTED.value


def test_the_editor_reads_the_shares_as_the_weights_are_typed(tree: Any, people: dict[str, Any], login: Any) -> None:
    """The live check answers for the rows as typed: the sum against 90, each level-1 class, what blocks."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    staff = login(people["staff_a1"])
    wrong = staff.post(f"/work/declarations/{decl.pk}/shares/", _declaration_form(decl, **HUNDRED)).json()
    assert (wrong["sum"], wrong["expected"], wrong["blocking"]) == ("100", "90", True)
    assert any("合计为 100 分，应为 90 分" in f["message"] for f in wrong["findings"])
    right = staff.post(f"/work/declarations/{decl.pk}/shares/", _declaration_form(decl)).json()
    assert (right["sum"], right["blocking"]) == ("90", False)
    assert {c["name"]: (c["sum"], c["expected"]) for c in right["level1"]} == {
        "产出指标": ("30", "50"),
        "效益指标": ("40", "30"),
        "满意度指标": ("20", "10"),
    }
    # a row marked for deletion does not count; a weight that is not a number is named, not summed
    deleted = _declaration_form(decl, **HUNDRED) | {"ind-2-DELETE": "on"}
    assert staff.post(f"/work/declarations/{decl.pk}/shares/", deleted).json()["sum"] == "70"
    odd = staff.post(f"/work/declarations/{decl.pk}/shares/", _declaration_form(decl, **{"ind-0-weight": "三十"}))
    assert odd.status_code == 200 and odd.json()["blocking"] is True
    assert any("培训场次" in m for m in odd.json()["missing"])
    # only who may edit the declaration may ask
    assert login(people["staff_b1"]).post(f"/work/declarations/{decl.pk}/shares/", {}).status_code == 404


def test_every_weight_is_needed_to_submit(tree: Any, people: dict[str, Any], login: Any) -> None:
    """A project declaration without a weight on a row cannot be submitted: the self-evaluation could not score it."""
    decl = declare(people["staff_a1"], tree.unit_a1)
    staff = login(people["staff_a1"])
    page = _edit(staff, decl, **{"ind-3-weight": "", "submit": "1"})
    assert "第4行「参训人员满意度」：请填写分值" in page.content.decode()
    decl.refresh_from_db()
    assert decl.state == State.DRAFT.value


def _legacy_evaluation(tree: Any, people: dict[str, Any]) -> SelfEvaluation:
    """A declaration with weights of 100 approved before the check existed, and its self-evaluation scored to 110."""
    rows = [*INDICATORS[:3], services.IndicatorInput("满意度指标", "服务对象满意度指标", "参训人员满意度", "≥85%", 20)]
    decl = services.create_declaration(
        ctx(people["staff_a1"]), tree.unit_a1, "业务培训经费", 2025, {"goal": "全年培训4次。"}, rows
    )
    Declaration.objects.filter(pk=decl.pk).update(state=State.APPROVED.value)  # as stored by an older version
    return evaluate(Declaration.objects.get(pk=decl.pk), people["staff_a1"])


def test_a_self_evaluation_totalling_110_never_moves_on(tree: Any, people: dict[str, Any], login: Any) -> None:
    """The issue's chain: 109.09 with grade 优 is refused at submission, both approvals and publication."""
    ev = _legacy_evaluation(tree, people)
    staff = login(people["staff_a1"])
    form = _evaluation_form(ev, ["30", "20", "30", "19.59"]) | {"total_score": "109.09", "grade": "优"}
    page = staff.post(f"/work/evaluations/{ev.pk}/edit/", form | {"submit": "1"}, follow=True).content.decode()
    ev.refresh_from_db()
    assert ev.state == State.DRAFT.value and ev.total_score == Decimal("109.09")
    assert "超过了满分 100 分" in page and "不等于总分 100 分" in page
    for state, who, action in (
        (State.SUBMITTED, "dept_a", "dept_approve"),
        (State.DEPT_APPROVED, "finance", "finance_approve"),
        (State.APPROVED, "finance", "publish"),
    ):
        SelfEvaluation.objects.filter(pk=ev.pk).update(state=state.value)  # stored so by an older version
        response = login(people[who]).post(f"/work/evaluations/{ev.pk}/act/{action}/", follow=True)
        assert "超过了满分 100 分" in response.content.decode(), action
        ev.refresh_from_db()
        assert ev.state == state.value, action
    assert not Publication.objects.exists()
    assert not AuditEvent.objects.filter(event__in=[AuditEvent.Type.APPROVE, AuditEvent.Type.PUBLISH]).exists()


def test_the_live_preview_tells_what_blocks_a_total_above_100(tree: Any, people: dict[str, Any], login: Any) -> None:
    """The preview's 提交前需要处理 list says the total exceeds 100 while it is typed."""
    ev = _legacy_evaluation(tree, people)
    form = _evaluation_form(ev, ["30", "20", "30", "19.59"]) | {"total_score": "109.09"}
    data = login(people["staff_a1"]).post(f"/work/evaluations/{ev.pk}/preview/", form).json()
    assert any("超过了满分 100 分" in p for p in data["problems"])


def _over_100_file(tmp_path: Path) -> Path:
    """The example's first form with one indicator weighted 25 instead of 15: weights 110, total 106.70."""
    lines = EXAMPLE.read_text("utf-8").split("\n")[:26]
    text = "\n".join(lines)
    text = text.replace("=24.00(个)\t24.00(个)\t15.00\t15.00", "=24.00(个)\t24.00(个)\t25.00\t25.00")
    text = text.replace("总分\t\t\t\t\t100.00\t96.70", "总分\t\t\t\t\t110.00\t106.70")
    assert "25.00\t25.00" in text and "106.70" in text
    path = tmp_path / "总分超过100.txt"
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize("state", ["approved", "published", "draft"])
def test_an_imported_form_totalling_more_than_100_is_refused_with_its_place(
    people: dict[str, Any], login: Any, tmp_path: Path, state: str
) -> None:
    """Importing it would make an approved declaration of 110 points: the job fails naming file and project."""
    client = login(people["finance"])
    job = confirm(client, upload(client, [_over_100_file(tmp_path)]), state=state)
    assert job.state == ImportJob.State.FAILED
    (problem,) = job.problems
    assert "总分超过100.txt" in problem and "社区老年人助餐服务点运营补贴" in problem
    # the approved declaration loaded with it is where the impossible figure starts: its weights
    assert "各指标分值合计为 100 分，应为 90 分" in problem
    assert not Declaration.objects.exists() and not Publication.objects.exists()


def test_a_declaration_imported_past_draft_is_checked_too(tree: Any, people: dict[str, Any]) -> None:
    """The loader refuses an approved declaration whose weights sum to 100, whoever calls it (API, demo, import)."""
    indicators = tuple(
        Indicator(i.level1, i.level2, i.name, i.target, weight=Decimal(w))
        for i, w in zip(INDICATORS, ("30", "30", "30", "10"), strict=True)
    )
    project = Project(name="业务培训经费", department=tree.dept_a.name, unit=tree.unit_a1.name, indicators=indicators)
    document = Document(Kind.TARGET_DECLARATION, 2025, (project,))
    with pytest.raises(LoadError, match="合计为 100 分，应为 90 分"):
        load_document(Context.system(), document, bureau=tree.bureau, state_for=lambda n, p: State.APPROVED)
    assert not Declaration.objects.exists()
    # as a draft it loads, to be corrected before it is submitted
    load_document(Context.system(), document, bureau=tree.bureau)
    assert Declaration.objects.get().state == State.DRAFT.value


def _legacy_publication(tree: Any, people: dict[str, Any]) -> Publication:
    """A self-evaluation of 110 points published by an older version: the frozen document as it was stored."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    ev = evaluate(decl, people["staff_a1"])
    indicators = tuple(
        Indicator(i.level1, i.level2, i.name, i.target, actual, Decimal(w), Decimal(s))
        for i, actual, w, s in zip(
            INDICATORS,
            ("4次", "95%", "达成指标", "90%"),
            ("40", "20", "30", "20"),
            ("40", "20", "30", "9.59"),
            strict=True,
        )
    )
    project = Project(
        name="业务培训经费",
        department=tree.dept_a.name,
        unit=tree.unit_a1.name,
        execution=Execution(Decimal("10"), Decimal("95.00"), Decimal("9.50")),
        indicators=indicators,
        total_score=Decimal("109.09"),
        grade="优",
    )
    return Publication.objects.create(
        kind=Publication.Kind.EVALUATION,
        declaration=decl,
        evaluation=ev,
        year=2025,
        department_name=tree.dept_a.name,
        unit_name=tree.unit_a1.name,
        project_name="业务培训经费",
        document=dumps(Document(Kind.SELF_EVALUATION, 2025, (project,))),
    )


def test_printouts_never_print_an_impossible_total(tree: Any, people: dict[str, Any]) -> None:
    """The portal page, its Excel, Word and PDF say the total exceeds 100 instead of printing 110.00 and 109.09."""
    publication = _legacy_publication(tree, people)
    public = Client()
    page = public.get(f"/p/{publication.pk}/").content.decode()
    assert "109.09" not in page and "110.00" not in page
    assert "超过满分 100 分" in page
    workbook = load_workbook(io.BytesIO(public.get(f"/p/{publication.pk}.xlsx").content))
    cells = [str(c.value) for ws in workbook for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any("109.09" in c or c == "110.00" for c in cells)
    assert any("超过满分 100 分" in c for c in cells)
    word = Word(io.BytesIO(public.get(f"/p/{publication.pk}.docx").content))
    text = "\n".join(c.text for t in word.tables for row in t.rows for c in row.cells) + "\n".join(
        p.text for p in word.paragraphs
    )
    assert "109.09" not in text and "超过满分 100 分" in text
    pdf = public.get(f"/p/{publication.pk}.pdf")
    assert pdf.status_code == 200
    printed = extract_text(io.BytesIO(pdf.content))
    assert "109.09" not in printed and "超过满分" in printed


def test_an_adjustment_that_breaks_the_split_is_refused_and_one_that_keeps_it_is_recorded(
    tree: Any, people: dict[str, Any], login: Any
) -> None:
    """One weight alone cannot change (the sum would leave 90); moving 5 points between two rows is one adjustment."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    finance = login(people["finance"])
    first, second = decl.indicators.get(name="培训场次"), decl.indicators.get(name="培训合格率")
    alone = {"indicator": first.pk, "field": "weight", "value": "35", "reason": "加大培训场次权重"}
    page = finance.post(f"/work/declarations/{decl.pk}/adjust/", alone, follow=True).content.decode()
    assert "调整后各指标分值合计为 95 分，应为 90 分" in page
    assert not Adjustment.objects.exists()
    both = {f"weight-{first.pk}": "35", f"weight-{second.pk}": "15", "reason": "加大培训场次权重"}
    page = finance.post(f"/work/declarations/{decl.pk}/adjust/", both | {"field": "weights"}, follow=True)
    assert "已调整" in page.content.decode()
    assert sorted((a.indicator.name, a.old_value, a.new_value) for a in Adjustment.objects.all()) == [
        ("培训合格率", "20.00", "15"),
        ("培训场次", "30.00", "35"),
    ]
    assert AuditEvent.objects.filter(event=AuditEvent.Type.ADJUST).count() == 2
    assert sum(decl.indicators.values_list("weight", flat=True)) == 90


@pytest.mark.parametrize(
    ("value", "message"),
    [("", "调整未保存"), ("按要求", None), ("2篇《关于培训情况的报告》", "指标值无法识别")],
)
def test_an_adjusted_target_is_read_as_the_form_reads_it(
    tree: Any, people: dict[str, Any], login: Any, value: str, message: str | None
) -> None:
    """A target adjusted to narrative text is refused with the grammar's reason; a readable one is recorded."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    indicator = decl.indicators.get(name="业务能力提升情况")
    data = {"indicator": indicator.pk, "field": "target", "value": value, "reason": "年中调整"}
    page = login(people["finance"]).post(f"/work/declarations/{decl.pk}/adjust/", data, follow=True)
    if message is None:
        assert Adjustment.objects.get().new_value == value
    else:
        assert message in page.content.decode() and not Adjustment.objects.exists()


def test_adjusting_through_the_service_is_checked_the_same(tree: Any, people: dict[str, Any]) -> None:
    """The service itself refuses 500 (the API and the page share it), with nothing written."""
    decl = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    indicator = decl.indicators.first()
    assert indicator is not None
    with pytest.raises(ValidationError, match="超出范围"):
        services.adjust_indicator(ctx(people["finance"]), decl, indicator, "weight", "500", "调整")
    assert not Adjustment.objects.exists()


def test_the_api_refuses_a_self_evaluation_of_110_points_with_a_422(
    tree: Any, people: dict[str, Any], tmp_path: Path
) -> None:
    """Through the API the same file's document is answered 422 with the reason; nothing is written."""
    document = import_path(_over_100_file(tmp_path)).document
    response = call("post", "/api/v1/documents", token_for(people["finance"]), dumps(document), create_units="true")
    assert response.status_code == 422, response.content[:300]
    assert "各指标分值合计为 100 分，应为 90 分" in error_of(response)["message"]
    assert not Declaration.objects.exists()
