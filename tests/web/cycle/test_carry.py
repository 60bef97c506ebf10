"""Copy forward (从上年结转): next year's declaration starts from last year's approved one (decision 0022).

As a unit's staff does it: the new-declaration page rendered, read and posted back (从上年结转 is ticked
by default), the editor showing last year's target, actual value and result beside each indicator,
saved twice as rendered, a target lowered below last year's actual found while typing and on review.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle import services
from jixiao.web.cycle.models import Declaration, SelfEvaluation, StoredFinding
from tests.web.conftest import declare
from tests.web.posting import form_data

pytestmark = pytest.mark.django_db
NAME = "业务培训经费"


def new_declaration(client: Any, name: str, year: str, **typed: str) -> Any:
    """The new-declaration page as rendered, filled in and posted back (the checkbox as the page draws it)."""
    page = client.get("/work/declarations/new/").content.decode()
    data = form_data(page, "new-declaration-form", name=name, year=year, **typed)
    return client.post("/work/declarations/new/", data)


def test_the_next_year_starts_from_last_years_approved_targets_not_its_money(
    last_year: SelfEvaluation, people: dict[str, Any], login: Any
) -> None:
    """从上年结转 is ticked by default: header and indicator tree copied; money, dates and review history not."""
    client = login(people["staff_a1"])
    page = client.get("/work/declarations/new/").content.decode()
    assert re.search(r'<input type="checkbox" name="carry"[^>]*checked', page)
    response = new_declaration(client, NAME, "2026")
    new = Declaration.objects.get(project__name=NAME, year=2026)
    assert response.status_code == 302 and response["Location"] == f"/work/declarations/{new.pk}/edit/"
    old = last_year.declaration
    for field in services.CARRIED_FIELDS:
        assert getattr(new, field) == getattr(old, field), field
    assert new.overall_goal == "提升经办队伍能力"
    # this year's money and plan are typed anew; the state, findings' history and adjustments stay with 2025
    assert (new.requested_total, new.requested_current, new.start_date, new.end_date) == (None, None, None, None)
    assert (new.state, new.version, new.adjustments.count(), new.state_changes.count()) == ("draft", 1, 0, 0)
    copied = [(i.level1, i.level2, i.name, i.target, i.weight) for i in new.indicators.all()]
    assert copied == [(i.level1, i.level2, i.name, i.target, i.weight) for i in old.indicators.all()]
    assert copied[3][3] == "≥88%"  # the adjusted target, not the one first declared
    event = AuditEvent.objects.filter(
        event=AuditEvent.Type.CREATE, object_type="cycle.declaration", object_id=str(new.pk)
    ).get()
    assert event.detail["carried_from"] == {"declaration": old.pk, "year": 2025}


def test_unticked_or_without_an_approved_year_the_declaration_starts_empty(
    last_year: SelfEvaluation, tree: Any, people: dict[str, Any], login: Any
) -> None:
    """Unticking 从上年结转 starts empty; so does a project whose only earlier declaration is not approved."""
    client = login(people["staff_a1"])
    new_declaration(client, NAME, "2026", carry="")
    assert Declaration.objects.get(project__name=NAME, year=2026).indicators.count() == 0
    declare(people["staff_a1"], tree.unit_a1, "宣传经费", 2025)  # a draft, never approved
    new_declaration(client, "宣传经费", "2026")
    fresh = Declaration.objects.get(project__name="宣传经费", year=2026)
    assert (fresh.indicators.count(), fresh.goal) == (0, "")


def test_the_editor_shows_last_year_beside_each_indicator_and_saves_twice(
    last_year: SelfEvaluation, people: dict[str, Any], login: Any
) -> None:
    """Last year's grade and score on top, each row's target, actual and result; a target below the actual found."""
    client = login(people["staff_a1"])
    new_declaration(client, NAME, "2026")
    decl = Declaration.objects.get(project__name=NAME, year=2026)
    url = f"/work/declarations/{decl.pk}/edit/"
    page = client.get(url).content.decode()
    assert "上年情况（2025年度）" in page and "等级 <strong" in page and ">优</strong>" in page
    assert ">99.50</strong> 分" in page
    lines = re.findall(r'<small class="prior-line">(.*?)</small>', page)
    assert [re.sub(r"<[^>]+>", "", line) for line in lines] == [
        "上年：≥4(次)；实际 4次；已完成",
        "上年：≥90%；实际 95%；已完成",
        "上年：有效提升；实际 达成指标；已完成",
        "上年：≥88%；实际 90%；已完成",
    ]
    assert 'id="declaration-status-panels"' not in page  # the 整改 block is an empty place until filled
    money = {
        "requested_total": "120000",
        "requested_current": "120000",
        "requested_carryover": "0",
        "requested_other": "0",
    }
    # first save: this year's money, the targets as copied
    response = client.post(url, form_data(page, "declaration-form", **money))
    assert response.status_code == 302, response.content.decode()[:2000]
    decl.refresh_from_db()
    assert (decl.version, decl.requested_total) == (2, Decimal("120000.00"))
    assert not StoredFinding.objects.filter(declaration=decl, code="target-below-prior-actual").exists()
    # second save, from the page as it now renders: 合格率 lowered to 92%, below last year's 95%
    page = client.get(url).content.decode()
    response = client.post(url, form_data(page, "declaration-form", **{"ind-1-target": "≥92%"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    decl.refresh_from_db()
    assert decl.version == 3 and decl.indicators.get(name="培训合格率").target == "≥92%"
    stored = StoredFinding.objects.get(declaration=decl, code="target-below-prior-actual")
    assert (stored.severity, stored.indicator, stored.expected, stored.found) == (
        "warning",
        "培训合格率",
        "95%",
        "≥92%",
    )
    page = client.get(url).content.decode()
    assert "低于上年实际完成值" in page  # in the editor, at its row
    assert "低于上年实际完成值" in client.get(f"/work/declarations/{decl.pk}/").content.decode()  # and on review


def test_the_live_check_holds_a_typed_target_against_last_year(
    last_year: SelfEvaluation, people: dict[str, Any], login: Any
) -> None:
    """While typing: ≥95% (last year's actual) passes, ≥94.9% is below it; another unit cannot ask."""
    client = login(people["staff_a1"])
    new_declaration(client, NAME, "2026")
    decl = Declaration.objects.get(project__name=NAME, year=2026)

    def check(target: str, user: str = "staff_a1") -> Any:
        who = client if user == "staff_a1" else login(people[user])
        query = {
            "declaration": decl.pk,
            "target": target,
            "name": "培训合格率",
            "level1": "产出指标",
            "level2": "质量指标",
        }
        return who.get("/work/targets/check/", query)

    assert "低于上年实际" not in check("≥95%").content.decode()
    found = check("≥94.9%").json()["findings"]
    assert [f["label"] for f in found if "低于上年实际完成值" in f["message"]] == ["警告"]
    assert check("≥94.9%", "staff_a2").status_code == 404


def test_a_unit_cannot_carry_another_units_project(
    last_year: SelfEvaluation, tree: Any, people: dict[str, Any], login: Any
) -> None:
    """Another unit's staff cannot reach the record; its department's reviewer sees it but may not create."""
    pk = last_year.declaration.pk
    assert login(people["staff_a2"]).post(f"/work/declarations/{pk}/carry/").status_code == 404
    assert login(people["dept_a"]).post(f"/work/declarations/{pk}/carry/").status_code == 403
    # typing the same name on the other unit's page makes that unit's own project, empty
    new_declaration(login(people["staff_a2"]), NAME, "2026")
    other = Declaration.objects.get(project__unit=tree.unit_a2, year=2026)
    assert other.indicators.count() == 0
    assert not Declaration.objects.filter(project__unit=tree.unit_a1, year=2026).exists()
    # the unit's own staff carries it from the record page, which then links to the new year instead
    client = login(people["staff_a1"])
    page = client.get(f"/work/declarations/{pk}/").content.decode()
    assert f'action="/work/declarations/{pk}/carry/"' in page and "从本年度结转2026年度申报表" in page
    response = client.post(f"/work/declarations/{pk}/carry/")
    new = Declaration.objects.get(project__unit=tree.unit_a1, year=2026)
    assert response["Location"] == f"/work/declarations/{new.pk}/edit/" and new.indicators.count() == 4
    page = client.get(f"/work/declarations/{pk}/").content.decode()
    assert "/carry/" not in page and f'href="/work/declarations/{new.pk}/">打开2026年度申报表' in page
    # a second carry into the same year is refused with the reason, nothing created
    client.post(f"/work/declarations/{pk}/carry/")
    assert Declaration.objects.filter(project__unit=tree.unit_a1, year=2026).count() == 1
    assert "已有2026年度的绩效目标申报表" in client.get(f"/work/declarations/{pk}/").content.decode()
