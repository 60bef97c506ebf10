"""The declaration edit form used as a browser uses it: what the page shows is what the next save sends.

Every post here is built from the rendered page (``tests/web/posting.py``),
so a value the browser cannot show (a date not written ``YYYY-MM-DD``) is
sent back empty, exactly as chromium sends it.
"""

from __future__ import annotations

import datetime
import importlib
import pkgutil
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.utils import translation

import jixiao.web
from jixiao.web.cycle.models import Declaration
from tests.web.posting import form_data

pytestmark = pytest.mark.django_db

HEADER = {
    "nature": "经常性项目",
    "category": "特定目标类",
    "start_date": "2026-01-01",
    "end_date": "2026-12-31",
    "requested_total": "120000.00",
    "requested_current": "120000.00",
    "requested_carryover": "0.00",
    "requested_other": "0.00",
    "goal": "全年组织业务培训4次。",
}
ROW = {
    "ind-0-level1": "产出指标",
    "ind-0-level2": "数量指标",
    "ind-0-name": "培训场次",
    "ind-0-target": "≥4(次)",
    "ind-0-weight": "90",  # the pack gives indicators 90 of the 100 points (one row takes them all)
}


def _new(client: Client, name: str = "经办培训经费") -> Declaration:
    """A declaration started through the new-declaration page, as a unit starts one."""
    response = client.post("/work/declarations/new/", {"name": name, "year": 2026})
    assert response.status_code == 302
    return Declaration.objects.get(project__name=name)


def _edit_page(client: Client, decl: Declaration) -> str:
    response = client.get(f"/work/declarations/{decl.pk}/edit/")
    assert response.status_code == 200
    return response.content.decode()


def _save(client: Client, decl: Declaration, data: dict[str, str], button: str = "save") -> Any:
    return client.post(f"/work/declarations/{decl.pk}/edit/", data | {button: ""})


# -- item 1: dates survive every save ---------------------------------------------------------------


def test_dates_survive_saving_the_rendered_form_twice(tree: Any, people: dict[str, Any], login: Any) -> None:
    """Dates typed once stay after the page is saved back unchanged twice (the browser sends what it shows)."""
    staff = login(people["staff_a1"])
    decl = _new(staff)
    first = _save(staff, decl, form_data(_edit_page(staff, decl), "declaration-form", **HEADER, **ROW))
    assert first.status_code == 302, first.content.decode()[:2000]
    for _ in range(2):
        page = _edit_page(staff, decl)
        assert 'value="2026-01-01"' in page and 'value="2026-12-31"' in page
        again = _save(staff, decl, form_data(page, "declaration-form"))
        assert again.status_code == 302
    decl.refresh_from_db()
    assert (decl.start_date, decl.end_date) == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert decl.version == 4 and decl.goal == HEADER["goal"]


def test_a_returned_declaration_keeps_its_dates_when_fixed(tree: Any, people: dict[str, Any], login: Any) -> None:
    """A returned form fixed through its page keeps its dates: only the typed change is stored."""
    staff = login(people["staff_a1"])
    decl = _new(staff)
    _save(staff, decl, form_data(_edit_page(staff, decl), "declaration-form", **HEADER, **ROW), "submit")
    decl.refresh_from_db()
    assert decl.state == "submitted"
    login(people["dept_a"]).post(f"/work/declarations/{decl.pk}/act/return/", {"comment": "请补充总目标。"})
    fixed = form_data(_edit_page(staff, decl), "declaration-form", overall_goal="三年内覆盖全部经办人员。")
    assert _save(staff, decl, fixed, "submit").status_code == 302
    decl.refresh_from_db()
    assert decl.state == "submitted" and decl.overall_goal == "三年内覆盖全部经办人员。"
    assert (decl.start_date, decl.end_date) == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def test_a_field_the_post_does_not_carry_is_kept(tree: Any, people: dict[str, Any], login: Any) -> None:
    """A save whose post leaves a field out (an old page, a form without it) never clears that field."""
    staff = login(people["staff_a1"])
    decl = _new(staff)
    _save(staff, decl, form_data(_edit_page(staff, decl), "declaration-form", **HEADER, **ROW))
    data = form_data(_edit_page(staff, decl), "declaration-form", goal="改过的目标")
    for omitted in ("start_date", "end_date", "nature", "requested_other"):
        del data[omitted]
    assert _save(staff, decl, data).status_code == 302
    decl.refresh_from_db()
    assert decl.goal == "改过的目标" and decl.nature == "经常性项目"
    assert (decl.start_date, decl.end_date, decl.requested_other) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
        0,
    )


def test_a_date_the_person_empties_is_cleared(tree: Any, people: dict[str, Any], login: Any) -> None:
    """Emptying a date on purpose (the field posted empty) does clear it: keeping data is not refusing edits."""
    staff = login(people["staff_a1"])
    decl = _new(staff)
    _save(staff, decl, form_data(_edit_page(staff, decl), "declaration-form", **HEADER, **ROW))
    assert _save(staff, decl, form_data(_edit_page(staff, decl), "declaration-form", end_date="")).status_code == 302
    decl.refresh_from_db()
    assert decl.start_date == datetime.date(2026, 1, 1) and decl.end_date is None


def _web_forms() -> list[type[forms.BaseForm]]:
    """Every form class of the web application (each app's ``forms`` module)."""
    found: list[type[forms.BaseForm]] = []
    for info in pkgutil.walk_packages(jixiao.web.__path__, "jixiao.web."):
        if info.name.endswith(".forms"):
            module = importlib.import_module(info.name)
            found += [
                v
                for v in vars(module).values()
                if isinstance(v, type) and issubclass(v, forms.BaseForm) and v.__module__ == module.__name__
            ]
    return found


def test_every_date_field_of_every_form_is_a_date_input_written_iso() -> None:
    """Under the Chinese locale every date field of every form renders ``<input type=date>`` with an ISO value."""
    date_fields = [
        (form, name, field)
        for form in _web_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField)
    ]
    assert {(f.__name__, n) for f, n, _ in date_fields} >= {
        ("DeclarationForm", "start_date"),
        ("DeclarationForm", "end_date"),
    }
    with translation.override("zh-hans"):
        for form, name, field in date_fields:
            html = field.widget.render(name, datetime.date(2026, 1, 1))
            assert 'type="date"' in html and 'value="2026-01-01"' in html, (form.__name__, name, html)
            # a date typed the Chinese way in a browser without a date picker is still read
            assert field.clean("2026/1/1") == datetime.date(2026, 1, 1), (form.__name__, name)


# -- item 2: a draft saves what was typed ----------------------------------------------------------


def test_a_new_draft_with_the_empty_default_row_is_saved(tree: Any, people: dict[str, Any], login: Any) -> None:
    """保存草稿 with only the header typed stores the header; the untouched indicator row is ignored."""
    staff = login(people["staff_a1"])
    decl = _new(staff)
    page = _edit_page(staff, decl)
    assert 'name="ind-0-name"' in page  # the editor starts with one empty row
    response = _save(staff, decl, form_data(page, "declaration-form", **HEADER))
    assert response.status_code == 302, response.content.decode()[:3000]
    decl.refresh_from_db()
    assert decl.goal == HEADER["goal"] and decl.start_date == datetime.date(2026, 1, 1)
    assert decl.version == 2 and decl.indicators.count() == 0
    assert "已保存" in staff.get(response["Location"]).content.decode()


def test_empty_rows_among_filled_ones_are_ignored(tree: Any, people: dict[str, Any], login: Any) -> None:
    """A row left empty between filled rows is dropped and the others keep their order."""
    staff = login(people["staff_a1"])
    decl = _new(staff)
    data = form_data(_edit_page(staff, decl), "declaration-form", **HEADER, **ROW)
    data |= {
        "ind-TOTAL_FORMS": "3",
        # an added row keeps the levels the editor copied from the row above and nothing else
        "ind-1-level1": "产出指标",
        "ind-1-level2": "数量指标",
        "ind-1-name": "",
        "ind-1-target": "",
        "ind-1-weight": "",
        "ind-2-level1": "满意度指标",
        "ind-2-level2": "服务对象满意度指标",
        "ind-2-name": "参训人员满意度",
        "ind-2-target": "≥85%",
        "ind-2-weight": "10",
    }
    assert _save(staff, decl, data).status_code == 302
    assert [i.name for i in decl.indicators.all()] == ["培训场次", "参训人员满意度"]


def test_a_partly_filled_row_is_refused_with_a_summary_at_the_top(
    tree: Any, people: dict[str, Any], login: Any
) -> None:
    """A row with a name but no 指标值 is not saved; the top of the page says so and links to the field."""
    staff = login(people["staff_a1"])
    decl = _new(staff)
    data = form_data(_edit_page(staff, decl), "declaration-form", **HEADER, **ROW)
    data |= {"ind-0-target": "", "requested_total": "150000.00"}
    response = _save(staff, decl, data)
    assert response.status_code == 200
    page = response.content.decode()
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert "未保存" in summary and "2 处" in summary
    assert 'href="#id_ind-0-target"' in summary and "第1行「培训场次」年度指标值" in summary
    assert 'href="#id_requested_total"' in summary and "与年度资金申请总额 150000.00 不一致" in summary
    # the summary comes before the form's fields, and each link's target exists on the page
    assert page.index('class="error-summary"') < page.index('name="nature"')
    assert 'id="id_ind-0-target"' in page and 'id="id_requested_total"' in page
    decl.refresh_from_db()
    assert decl.version == 1 and decl.goal == ""


def test_an_impossible_date_is_in_the_summary(tree: Any, people: dict[str, Any], login: Any) -> None:
    """An impossible date (typed where the browser has no date picker) is named at the top with its link."""
    staff = login(people["staff_a1"])
    decl = _new(staff)
    data = form_data(_edit_page(staff, decl), "declaration-form", **HEADER) | {"start_date": "2026-13-01"}
    page = _save(staff, decl, data).content.decode()
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_start_date"' in summary and "计划开始日期" in summary
    decl.refresh_from_db()
    assert decl.version == 1


def test_a_half_filled_row_marked_for_deletion_does_not_stop_the_save(
    tree: Any, people: dict[str, Any], login: Any
) -> None:
    """A row ticked 删除 is dropped whatever it holds: its missing 指标值 neither blocks the save nor is summarised."""
    staff = login(people["staff_a1"])
    decl = _new(staff)
    data = form_data(_edit_page(staff, decl), "declaration-form", **HEADER, **ROW) | {"ind-0-target": ""}
    assert "ind-0-DELETE" not in data  # an unticked box is not sent
    response = _save(staff, decl, data | {"ind-0-DELETE": "on"})
    assert response.status_code == 302
    decl.refresh_from_db()
    assert decl.version == 2 and decl.indicators.count() == 0
