"""The 整改 pages as each person uses them: forms posted back as rendered, refused ones naming the field,
the panel on the project's records, the home pages' to-do and overdue, the summary's counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jixiao.web.rectification.models import Rectification
from tests.web.posting import form_data
from tests.web.rectification.conftest import PDF, low_evaluation

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return str(response.content.decode())


def new_page(client: Any, ev: Any, follows: str = "") -> Any:
    query = f"?project={ev.declaration.project_id}&year={ev.year}" + (f"&follows={follows}" if follows else "")
    return client.get(reverse("rectification:new") + query)


def test_the_loop_on_the_pages(tree: Any, people: dict[str, Any], login: Any) -> None:
    """Opened from a finding on the evaluation's panel, answered with a PDF, reopened, answered, accepted."""
    ev = low_evaluation(people, tree.unit_a1)
    dept = login(people["dept_a"])
    evaluation_page = text(dept.get(reverse("cycle:evaluation_detail", args=[ev.pk])))
    assert "整改事项" in evaluation_page and "提出整改事项" in evaluation_page
    finding = ev.findings.exclude(severity="info").first()
    page = new_page(dept, ev, f"finding:{finding.pk}")
    assert "建议 · 自评等级为差" in text(page) and "审核发现 · 自评表" in text(page)
    data = form_data(text(page), "open-item")
    assert data["follows"] == f"finding:{finding.pk}" and finding.message in data["task"]  # prefilled, editable
    assert data["due"] == (timezone.localdate() + timedelta(days=90)).isoformat()  # the pack's due_days
    done = dept.post(reverse("rectification:new"), data, follow=True)
    item = Rectification.objects.get()
    assert done.redirect_chain[-1][0] == reverse("rectification:detail", args=[item.pk])
    assert "已提出整改事项" in text(done) and item.source == "finding" and "提交整改情况" not in text(done)

    unit = login(people["staff_a1"])
    home = text(unit.get(reverse("cycle:home")))
    assert "整改事项" in home and item.task[:20] in home
    page = unit.get(reverse("rectification:detail", args=[item.pk]))
    data = form_data(text(page), "answer-item", answer="已落实培训场地，补办培训3次。")
    data["files"] = SimpleUploadedFile("签到表.pdf", PDF, "application/pdf")  # type: ignore[assignment]
    after = unit.post(reverse("rectification:submit", args=[item.pk]), data, follow=True)
    assert "已提交整改情况" in text(after) and "签到表.pdf" in text(after)

    page = dept.get(reverse("rectification:detail", args=[item.pk]))
    refused = dept.post(
        reverse("rectification:conclude", args=[item.pk, "reopen"]), form_data(text(page), "conclude-item"), follow=True
    )
    assert "请填写退回理由" in text(refused)
    data = form_data(text(page), "conclude-item", comment="请补充培训照片。")
    dept.post(reverse("rectification:conclude", args=[item.pk, "reopen"]), data)
    item.refresh_from_db()
    assert item.state == "reopened"
    page = unit.get(reverse("rectification:detail", args=[item.pk]))
    assert "请补充培训照片" in text(page)
    unit.post(
        reverse("rectification:submit", args=[item.pk]), form_data(text(page), "answer-item", answer="补充了照片。")
    )
    page = dept.get(reverse("rectification:detail", args=[item.pk]))
    dept.post(reverse("rectification:conclude", args=[item.pk, "accept"]), form_data(text(page), "conclude-item"))
    item.refresh_from_db()
    assert item.state == "accepted"
    panel = text(unit.get(reverse("cycle:declaration_detail", args=[ev.declaration_id])))
    assert "未办结 0 项" in panel and "已办结 1 项" in panel


def test_a_refused_form_names_its_field_and_keeps_what_was_typed(tree: Any, people: dict[str, Any], login: Any) -> None:
    """No task and a past due date: 400, each error naming 整改要求 or 整改期限; nothing stored."""
    ev = low_evaluation(people, tree.unit_a1)
    dept = login(people["dept_a"])
    past = (timezone.localdate() - timedelta(days=3)).isoformat()
    data = form_data(text(new_page(dept, ev)), "open-item", due=past)
    refused = dept.post(reverse("rectification:new"), data)
    assert refused.status_code == 400 and "整改要求：这个字段是必填项。" in text(refused)
    data = form_data(text(new_page(dept, ev)), "open-item", task="补办培训。", due=past)
    refused = dept.post(reverse("rectification:new"), data)
    assert refused.status_code == 400 and "早于今天" in text(refused) and "补办培训。" in text(refused)
    assert Rectification.objects.count() == 0
    assert new_page(login(people["staff_a1"]), ev).status_code == 403  # a unit never opens its own items


def test_an_empty_answer_or_a_bad_file_names_itself(tree: Any, people: dict[str, Any], login: Any) -> None:
    """The answer form refused: the answer named when empty, a file named when its content is not its type."""
    ev = low_evaluation(people, tree.unit_a1)
    dept = login(people["dept_a"])
    dept.post(reverse("rectification:new"), form_data(text(new_page(dept, ev)), "open-item", task="补办培训。"))
    item = Rectification.objects.get()
    unit = login(people["staff_a1"])
    page = text(unit.get(reverse("rectification:detail", args=[item.pk])))
    refused = unit.post(reverse("rectification:submit", args=[item.pk]), form_data(page, "answer-item"), follow=True)
    assert "未提交：整改情况：这个字段是必填项。" in text(refused)
    data = form_data(page, "answer-item", answer="已整改。")
    data["files"] = SimpleUploadedFile("照片.jpg", b"GIF89a not a jpeg", "image/jpeg")  # type: ignore[assignment]
    refused = unit.post(reverse("rectification:submit", args=[item.pk]), data, follow=True)
    assert "照片.jpg：文件内容与扩展名 .jpg 不符" in text(refused)
    item.refresh_from_db()
    assert item.state == "open" and item.files.count() == 0


def test_overdue_on_the_lists_the_home_pages_and_the_summary(tree: Any, people: dict[str, Any], login: Any) -> None:
    """Past due: marked on the list and filtered by 仅看逾期, counted at home, per department in the summary."""
    ev = low_evaluation(people, tree.unit_a1)
    dept = login(people["dept_a"])
    for task in ("补办培训。", "完善台账。"):
        dept.post(reverse("rectification:new"), form_data(text(new_page(dept, ev)), "open-item", task=task))
    late = Rectification.objects.get(task="补办培训。")
    Rectification.objects.filter(pk=late.pk).update(due=timezone.localdate() - timedelta(days=1))
    unit = login(people["staff_a1"])
    assert "有 1 项整改事项已逾期" in text(unit.get(reverse("cycle:home")))
    listed = text(unit.get(reverse("rectification:list"), {"overdue": "on"}))
    assert "补办培训。" in listed and "完善台账。" not in listed and "已逾期" in listed
    finance = login(people["finance"])
    for page in ("summary:table", "summary:dashboard"):
        shown = text(finance.get(reverse(page)))
        panel = shown.split('id="rectification-summary-title"', 1)[1]
        row = panel.split(tree.dept_a.name + "</td>", 1)[1].split("</tr>", 1)[0]
        assert row.count('class="num">') == 3 and '"num">2<' in row and '"num">1<' in row and '"num">0<' in row


def test_next_years_declaration_shows_the_items_on_top(tree: Any, people: dict[str, Any], login: Any) -> None:
    """The project's 2026 declaration (same Project) shows 2025's open item to the unit, and hides it from others."""
    from tests.web.conftest import declare

    ev = low_evaluation(people, tree.unit_a1)
    dept = login(people["dept_a"])
    dept.post(reverse("rectification:new"), form_data(text(new_page(dept, ev)), "open-item", task="补办培训3次。"))
    following = declare(people["staff_a1"], tree.unit_a1, year=2026)
    assert following.project_id == ev.declaration.project_id
    for page in ("cycle:declaration_detail", "cycle:declaration_edit"):
        shown = text(login(people["staff_a1"]).get(reverse(page, args=[following.pk])))
        panel = shown.split('id="rectification-panel"', 1)[1].split("</section>", 1)[0]
        assert "未办结 1 项" in panel and "补办培训3次。" in panel and "2025" in panel
        assert shown.index('class="titlebar"') < shown.index('id="rectification-panel"')  # right under the title
    other = text(login(people["staff_a2"]).get(reverse("rectification:list")))
    assert "补办培训3次。" not in other
