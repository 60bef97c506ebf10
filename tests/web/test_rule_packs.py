"""A department's records are scored by its own rule pack for the years the finance bureau chose, and say so."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from jixiao.core.workflow import State
from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle import services
from jixiao.web.cycle.models import Declaration, SelfEvaluation
from jixiao.web.orgs.models import RulePackChoice
from tests.web.conftest import advance, ctx, declare, evaluate
from tests.web.test_api import call, token_for
from tests.web.test_cycle import _evaluation_form

pytestmark = pytest.mark.django_db


def _choose(
    client: Client, department: Any, from_year: str, pack: str, reason: str = "省里自2025年起按101号计分"
) -> Any:
    """Choose a pack on the rule-pack page, as the finance bureau would."""
    data = {"department": department.pk, "from_year": from_year, "pack": pack, "reason": reason}
    return client.post("/orgs/packs/", data, follow=True)


def _half_done(ev: SelfEvaluation, staff: Any) -> SelfEvaluation:
    """The self-evaluation with 培训场次 at 2 of ≥4 (50% done): 15 points by mof-2020, 0 below mof-2021-core's 60%."""
    rows = [
        services.EvaluationRowInput(r.indicator_id, r.actual if n else "2次", r.score, r.deviation, r.score_reason)
        for n, r in enumerate(ev.indicators.select_related("indicator"))
    ]
    data = {k: getattr(ev, k) for k in services.EVALUATION_FIELDS}
    return services.update_evaluation(ctx(staff), ev, ev.version, data, rows)


def test_a_department_scored_by_its_own_pack(tree: Any, people: dict[str, Any], login: Any) -> None:
    """mof-2021-core for one department from 2025: its records score by the pass mark, the other department's do not."""
    finance = login(people["finance"])
    page = _choose(finance, tree.dept_a, "2025", "mof-2021-core").content.decode()
    assert "已设定" in page and "2025年度起" in page
    event = AuditEvent.objects.get(event=AuditEvent.Type.SETTINGS_CHANGE)
    assert event.actor == people["finance"] and event.detail["pack"] == "mof-2021-core"
    assert event.detail["from_year"] == 2025 and event.detail["department"] == tree.dept_a.name

    scored, ev_pk = {}, {}
    for staff, unit in (("staff_a1", tree.unit_a1), ("staff_b1", tree.unit_b1)):
        decl = advance(
            declare(people[staff], unit), people, staff, "dept_a" if unit == tree.unit_a1 else "dept_b", State.APPROVED
        )
        ev = _half_done(evaluate(decl, people[staff]), people[staff])
        client = login(people[staff])
        page = client.get(f"/work/evaluations/{ev.pk}/").content.decode()
        form = _evaluation_form(ev, ["30", "20", "30", "10"]) | {"row-0-actual": "2次"}
        preview = client.post(f"/work/evaluations/{ev.pk}/preview/", form)
        scored[staff] = (ev.rule_pack, preview.json()["indicators"][0]["suggested"], page)
        ev_pk[staff] = ev.pk
    pack_a, suggested_a, page_a = scored["staff_a1"]
    pack_b, suggested_b, page_b = scored["staff_b1"]
    assert (pack_a, suggested_a) == ("mof-2021-core", "0.00")
    assert (pack_b, suggested_b) == ("mof-2020", "15.00")
    # the record page says which rules it was scored with: name, title and the official text
    assert "mof-2021-core" in page_a and "财预〔2021〕101号" in page_a and "核心绩效指标计分规则" in page_a
    assert "mof-2020" in page_b and "财预〔2020〕10号" in page_b
    # the stored figures the lists and the 汇总表 read follow the pack too
    # the API's findings say the same as the page: by the record's pack
    findings = call("get", f"/api/v1/evaluations/{ev_pk['staff_a1']}/findings", token_for(people["staff_a1"])).json()
    assert any("按规则应得 0.00 分" in f["message"] for f in findings["items"])
    # mof-2021-core: execution 95% in the 80% band 7.00, 培训场次 0, the rest full = 67.00;
    # mof-2020: execution 9.50, 培训场次 15.00, the rest full = 84.50
    assert SelfEvaluation.objects.get(rule_pack="mof-2021-core").suggested_total == Decimal("67.00")
    assert SelfEvaluation.objects.get(rule_pack="mof-2020").suggested_total == Decimal("84.50")


def test_a_pack_cannot_be_chosen_for_years_it_does_not_cover(tree: Any, people: dict[str, Any], login: Any) -> None:
    """mof-2021-core covers 2021 on: choosing it from 2020 is refused with its years, nothing stored."""
    page = _choose(login(people["finance"]), tree.dept_a, "2020", "mof-2021-core").content.decode()
    assert "适用于 2021–2099 年度，不能用于 2020 年度的表" in page and "未知位置" not in page
    assert not RulePackChoice.objects.exists()
    assert not AuditEvent.objects.filter(event=AuditEvent.Type.SETTINGS_CHANGE).exists()
    for year, pack in (("二〇二五", "mof-2021-core"), ("2025", "no-such-pack"), ("99999999999999999999", "mof-2020")):
        response = _choose(login(people["finance"]), tree.dept_a, year, pack)
        assert response.status_code == 200
    assert not RulePackChoice.objects.exists()


@pytest.mark.parametrize("who", ["staff_a1", "dept_a", "sysadmin", "secadmin", "auditor"])
def test_only_the_finance_bureau_chooses_packs(tree: Any, people: dict[str, Any], login: Any, who: str) -> None:
    """The page and the write are the finance bureau's: everyone else gets 403 and nothing changes."""
    client = login(people[who])
    assert client.get("/orgs/packs/").status_code == 403
    assert _choose(client, tree.dept_a, "2025", "mof-2021-core").status_code == 403
    assert not RulePackChoice.objects.exists()


def test_a_new_choice_moves_unapproved_records_and_leaves_approved_ones(
    tree: Any, people: dict[str, Any], login: Any
) -> None:
    """A draft is re-scored under the new pack at once; an approved record keeps the rules it was approved under."""
    draft = declare(people["staff_a1"], tree.unit_a1, "草稿项目")
    approved = advance(declare(people["staff_a1"], tree.unit_a1), people, "staff_a1", "dept_a", State.APPROVED)
    ev = _half_done(evaluate(approved, people["staff_a1"]), people["staff_a1"])
    assert ev.suggested_total == Decimal("84.50")
    _choose(login(people["finance"]), tree.dept_a, "2025", "mof-2021-core")
    assert Declaration.objects.get(pk=draft.pk).rule_pack == "mof-2021-core"
    assert Declaration.objects.get(pk=approved.pk).rule_pack == "mof-2020"
    ev.refresh_from_db()
    assert ev.rule_pack == "mof-2021-core" and ev.suggested_total == Decimal("67.00")  # a draft self-evaluation moves
    assert ev.history.filter(rule_pack="mof-2021-core").exists()  # the change is in the record's history
    # a later year's choice does not touch 2025, and the page lists both ranges
    page = _choose(login(people["finance"]), tree.dept_a, "2027", "mof-2020").content.decode()
    assert "2025–2026年度" in page and "2027年度起" in page
    assert Declaration.objects.get(pk=draft.pk).rule_pack == "mof-2021-core"
