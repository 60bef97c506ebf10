"""The scope matrix: each role against each item, on the pages, the evidence downloads and the API.

A unit sees and answers its own; a department's reviewer its units'; the finance bureau all; the
administrators and the public nothing (decision 0021).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jixiao.web.audit.services import Context
from jixiao.web.rectification import services
from jixiao.web.rectification.access import may_answer, may_cancel, may_conclude
from jixiao.web.rectification.models import Rectification
from tests.web.conftest import ctx, declare
from tests.web.rectification.conftest import PDF, soon
from tests.web.test_api import call, token_for

pytestmark = pytest.mark.django_db

SEES = {
    "staff_a1": {"a1"},
    "staff_a2": {"a2"},
    "staff_b1": {"b1"},
    "dept_a": {"a1", "a2"},
    "dept_b": {"b1"},
    "finance": {"a1", "a2", "b1"},
    "sysadmin": set(),
    "secadmin": set(),
    "auditor": set(),
}


@pytest.fixture
def items(tree: Any, people: dict[str, Any]) -> dict[str, Rectification]:
    """One submitted item per unit with a PDF: A1's and B1's opened by their departments, A2's by the finance bureau."""
    made = {}
    for key, unit, opener in (
        ("a1", tree.unit_a1, "dept_a"),
        ("a2", tree.unit_a2, "finance"),
        ("b1", tree.unit_b1, "dept_b"),
    ):
        decl = declare(people[f"staff_{key}"], unit)
        new = services.NewItem(decl.project_id, 2025, f"{key} 整改", soon())
        item = services.open_item(Context(user=people[opener], ip="127.0.0.1"), new)
        pdf = SimpleUploadedFile("凭证.pdf", PDF, "application/pdf")
        made[key] = services.submit_item(ctx(people[f"staff_{key}"]), item, "已整改。", [pdf])
    return made


def test_each_role_sees_exactly_its_items(people: dict[str, Any], items: dict[str, Rectification], login: Any) -> None:
    """The list page, each detail page, each evidence file and the API, for every role and every item."""
    for who, seen in SEES.items():
        client = login(people[who])
        listed = client.get(reverse("rectification:list")).content.decode()
        token = token_for(people[who]) if who not in ("sysadmin", "secadmin", "auditor") else None
        for key, item in items.items():
            shown = key in seen
            assert (f"{key} 整改" in listed) is shown, (who, key)
            expected = 200 if shown else 404
            assert client.get(reverse("rectification:detail", args=[item.pk])).status_code == expected, (who, key)
            kept = item.files.get()
            assert client.get(reverse("rectification:file", args=[kept.pk])).status_code == expected, (who, key)
            if token is not None:
                assert call("get", f"/api/v1/rectifications/{item.pk}", token).status_code == expected, (who, key)
        if token is not None:
            ids = {i["id"] for i in call("get", "/api/v1/rectifications", token).json()["items"]}
            assert ids == {items[k].pk for k in seen}, who


def test_the_public_sees_nothing(items: dict[str, Rectification]) -> None:
    """Signed out: the pages send to the login, the API answers 401, the portal never names an item."""
    anonymous = Client()
    for item in items.values():
        page = anonymous.get(reverse("rectification:detail", args=[item.pk]))
        assert page.status_code == 302 and "/accounts/login/" in page["Location"]
        assert call("get", f"/api/v1/rectifications/{item.pk}", None).status_code == 401
    assert "整改" not in anonymous.get(reverse("portal:home")).content.decode()


def test_who_may_act_on_each_item(people: dict[str, Any], items: dict[str, Rectification]) -> None:
    """Answer: the unit's staff only (once reopened); accept/reopen/cancel: the opener's reviewers or finance."""
    a1, a2 = items["a1"], items["a2"]
    concluders = {who for who in SEES if may_conclude(people[who], a1)}
    assert concluders == {"dept_a", "finance"}
    assert {who for who in SEES if may_conclude(people[who], a2)} == {"finance"}  # opened by the bureau
    assert {who for who in SEES if may_cancel(people[who], a1)} == {"dept_a", "finance"}
    reopened = services.reopen_item(ctx(people["dept_a"]), a1, "请补充。")
    assert {who for who in SEES if may_answer(people[who], reopened)} == {"staff_a1"}
    assert not any(may_answer(people[who], a2) for who in SEES)  # submitted: waiting for the reviewer
