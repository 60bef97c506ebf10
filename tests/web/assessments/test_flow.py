"""An assessment from creation to its conclusion, as the organiser and the experts post the pages' forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from jixiao.core.scoring.exante import national_default
from jixiao.web.assessments.models import Assessment, PanelDraw
from jixiao.web.assessments.services import redraw
from jixiao.web.audit.models import AuditEvent
from tests.web.assessments.conftest import new_declaration
from tests.web.conftest import Tree
from tests.web.posting import form_data


def _create(finance: Client, decl_pk: int) -> Assessment:
    page = finance.get("/work/assessments/").content.decode()
    data = form_data(page, "new-assessment-form", declaration=str(decl_pk), summary="新建智慧教室 20 间。")
    response = finance.post("/work/assessments/", data)
    assert response.status_code == 302, response.content.decode()[:800]
    return Assessment.objects.get(declaration_id=decl_pk)


def test_creation_draw_scoring_and_conclusion_through_the_pages(
    tree: Tree, people: dict[str, Any], pool: Any, login: Callable[[Any], Client]
) -> None:
    decl = new_declaration(people, tree)
    finance = login(people["finance"])
    assessment = _create(finance, decl.pk)

    # the cost section, saved twice: the second save shows what the first kept
    page = finance.get(f"/work/assessments/{assessment.pk}/").content.decode()
    data = form_data(
        page,
        "content-form",
        **{
            "cost-1-output": "智慧教室",
            "cost-1-unit": "间",
            "cost-1-quantity": "20",
            "cost-1-cost": "6000000",
            "cost-1-bench": "280000",
            "cost-1-source": "省教育装备标准",
        },
    )
    assert finance.post(f"/work/assessments/{assessment.pk}/content/", data).status_code == 302
    page = finance.get(f"/work/assessments/{assessment.pk}/").content.decode()
    assert "300000.00" in page and "107.14" in page  # 6,000,000 / 20, and 300,000 / 280,000
    finance.post(f"/work/assessments/{assessment.pk}/content/", form_data(page, "content-form"))
    assert assessment.costs.count() == 1

    # a figure that is not one names its row and keeps nothing
    bad = form_data(page, "content-form", **{"cost-1-quantity": "二十"})
    page = finance.post(f"/work/assessments/{assessment.pk}/content/", bad, follow=True).content.decode()
    assert assessment.costs.get().quantity == 20

    page = finance.get(f"/work/assessments/{assessment.pk}/").content.decode()
    finance.post(f"/work/assessments/{assessment.pk}/draw/", form_data(page, "draw-form"))
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.SCORING
    seats = list(assessment.seats.select_related("expert__user"))
    chosen = {s.expert.user.username for s in seats}
    assert len(chosen) == 3 and not chosen & {"expert_4", "expert_5"}  # same department; declared conflict
    panel_draw = PanelDraw.objects.get(assessment=assessment)
    assert redraw(panel_draw) == tuple(panel_draw.chosen)  # reproducible from the recorded seed
    assert {x["reason"] for x in panel_draw.excluded} == {"与被评估项目属同一部门", "申报了与被评估项目单位的利益冲突"}

    rules = national_default()
    for n, seat in enumerate(seats):
        expert = login(seat.expert.user)
        page = expert.get(f"/work/assessments/{assessment.pk}/").content.decode()
        assert "智慧教室建设" in page
        # an out-of-range score is refused naming the point; nothing is kept
        typed = {f"q-{q.key}": str(q.weight) for q in rules.questions} | {"comment": "依据充分。"}
        over = typed | {"q-necessity.basis": "10.5"}
        response = expert.post(f"/work/assessments/{assessment.pk}/score/", form_data(page, "score-form", **over))
        assert "评分未提交" in response.content.decode()
        seat.refresh_from_db()
        assert seat.submitted_at is None
        # the organiser sees who has submitted, never a score, until all are in
        organiser_page = finance.get(f"/work/assessments/{assessment.pk}/").content.decode()
        assert f"已提交 {n}/3 份评分" in organiser_page and "sheet-table" not in organiser_page
        typed["q-economy.cost"] = str(8 + n)  # 98, 99, 100
        expert.post(f"/work/assessments/{assessment.pk}/score/", form_data(page, "score-form", **typed))
        seat.refresh_from_db()
        assert seat.total == 98 + n

    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.SCORED and assessment.total == 99
    page = finance.get(f"/work/assessments/{assessment.pk}/").content.decode()
    assert "sheet-table" in page and "已提交 3/3 份评分" in page
    finance.post(f"/work/assessments/{assessment.pk}/conclude/", form_data(page, "conclude-form", opinion="同意立项。"))
    assessment.refresh_from_db()
    assert assessment.conclusion == "support" and assessment.supports

    steps = list(
        AuditEvent.objects.filter(object_type="assessments.assessment", object_id=str(assessment.pk))
        .order_by("id")
        .values_list("detail__step", flat=True)
    )
    assert steps == ["create", "content", "content", "draw", "score", "score", "score", "scored", "conclude"]


def test_an_expert_cannot_score_twice_nor_for_another(
    tree: Tree, people: dict[str, Any], pool: Any, login: Callable[[Any], Client]
) -> None:
    from jixiao.web.assessments import services as assessing
    from tests.web.assessments.conftest import scored
    from tests.web.conftest import ctx

    decl = new_declaration(people, tree)
    assessment = assessing.create_assessment(ctx(people["finance"]), decl)
    assessing.draw_panel(ctx(people["finance"]), assessment, seed="twice")
    seat = assessment.seats.select_related("expert__user").first()
    assert seat is not None
    scored(assessment, people, "80")
    response = login(seat.expert.user).post(f"/work/assessments/{assessment.pk}/score/", {"comment": "x"})
    assert response.status_code in (200, 302)
    seat.refresh_from_db()
    assert seat.total == 80


def test_the_report_as_docx_and_pdf(
    tree: Tree, people: dict[str, Any], pool: Any, login: Callable[[Any], Client]
) -> None:
    """The concluded assessment's report: the narrative and both forms in Word, the forms in PDF."""
    import io
    import zipfile

    import pdfplumber

    from jixiao.web.assessments import services as assessing
    from tests.web.assessments.conftest import scored
    from tests.web.conftest import ctx

    decl = new_declaration(people, tree)
    assessment = assessing.create_assessment(ctx(people["finance"]), decl, "新建智慧教室。")
    assessing.draw_panel(ctx(people["finance"]), assessment, seed="report")
    finance = login(people["finance"])
    assert finance.get(f"/work/assessments/{assessment.pk}/report.pdf").status_code == 404  # not concluded yet
    scored(assessment, people, "75")
    assessing.conclude_assessment(ctx(people["finance"]), assessment, "压减设备数量后支持。")

    word = finance.get(f"/work/assessments/{assessment.pk}/report.docx")
    assert word.status_code == 200
    body = zipfile.ZipFile(io.BytesIO(word.content)).read("word/document.xml").decode()
    for text in (
        "智慧教室建设事前绩效评估报告",
        "四、专家评审情况",
        "事前绩效评估评分表",
        "调整完善后予以支持",
        "75.00",
    ):
        assert text in body
    pdf = finance.get(f"/work/assessments/{assessment.pk}/report.pdf")
    with pdfplumber.open(io.BytesIO(pdf.content)) as doc:
        text = "".join(page.extract_text() or "" for page in doc.pages)
    assert "事前绩效评估结论表" in text and "事前绩效评估评分表" in text and "75.00" in text
    seat = assessment.seats.select_related("expert__user").first()
    assert seat is not None
    assert login(seat.expert.user).get(f"/work/assessments/{assessment.pk}/report.pdf").status_code == 404
