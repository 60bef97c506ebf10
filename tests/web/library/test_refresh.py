"""The refresh: mined from every record past its draft, and what people curated survives it (decision 0023)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jixiao.core.library import cluster_key
from jixiao.web.audit.models import AuditEvent
from jixiao.web.cycle.models import Declaration
from jixiao.web.library import services
from jixiao.web.library.models import LibraryChange, LibraryEntry, LibraryKey, LibraryRefresh, LibraryUse
from jixiao.web.library.refresh import refresh_library
from tests.web.conftest import ctx
from tests.web.library.conftest import declared

pytestmark = pytest.mark.django_db


def _entry(name: str) -> LibraryEntry:
    return LibraryEntry.objects.get(keys__key=cluster_key(name))


def test_refresh_mines_submitted_records_not_drafts(records: dict[str, Declaration], people: dict[str, Any]) -> None:
    """Six submitted declarations give the statistics; the draft's indicator is not in the library."""
    run = refresh_library(ctx(people["finance"]))
    assert run.status == LibraryRefresh.Status.DONE and run.documents == 6
    sessions = _entry("培训场次")
    assert (sessions.uses, sessions.projects, sessions.unit, sessions.direction) == (6, 6, "次", "越大越好")
    (span,) = sessions.targets
    assert (span["count"], span["min"], span["median"], span["max"]) == (
        6,
        "2",
        "7.0",
        "12",
    )  # exact, as the core interpolates
    assert not LibraryEntry.objects.filter(search_text__contains="秘密草稿").exists()
    assert LibraryUse.objects.filter(entry=sessions).count() == 6
    assert AuditEvent.objects.filter(event=AuditEvent.Type.UPDATE, detail__what="指标库更新").count() == 1


def test_curation_survives_refresh(records: dict[str, Declaration], people: dict[str, Any], tree: Any) -> None:
    """A rename, a retirement, a promotion and a merge are all still there after mining again."""
    finance = ctx(people["finance"])
    refresh_library(finance)
    sessions, passing = _entry("培训场次"), _entry("培训合格率")
    services.edit(finance, sessions, {"name": "培训开展次数", "value_description": "全年组织的培训场次"}, "统一名称")
    services.retire(finance, _entry("业务能力提升情况"), "定性表述，改用量化指标")
    services.promote(finance, passing, "各部门通用")
    satisfaction = _entry("参训人员满意度")
    services.merge(finance, satisfaction, passing, "演示合并")
    # more records arrive, then the library is mined again
    declared(people, "staff_a1", tree.unit_a1, "新增培训", "≥100(次)")
    refresh_library(finance)
    sessions.refresh_from_db()
    assert (sessions.name, sessions.value_description, sessions.uses) == ("培训开展次数", "全年组织的培训场次", 7)
    assert set(sessions.curated) == {"name", "value_description"}
    assert _entry("业务能力提升情况").retired
    passing.refresh_from_db()
    assert passing.common and "common" in passing.curated
    # the merged name's rows are gathered under the surviving entry, the ranges computed over both
    assert passing.uses == 14 and {t["unit"] for t in passing.targets} == {"%"}
    assert LibraryKey.objects.get(key=cluster_key("参训人员满意度")).entry == passing
    satisfaction.refresh_from_db()
    assert satisfaction.merged_into == passing and satisfaction.uses == 0


def test_unused_uncurated_entries_go_curated_ones_stay(records: dict[str, Declaration], people: dict[str, Any]) -> None:
    """An entry no record uses any more is dropped, unless a person curated it."""
    finance = ctx(people["finance"])
    refresh_library(finance)
    services.edit(finance, _entry("业务能力提升情况"), {"scoring_method": "按完成程度评分"})
    LibraryUse.objects.all().delete()
    Declaration.objects.update(state="draft")  # nothing left to mine
    refresh_library(finance)
    kept = _entry("业务能力提升情况")
    assert kept.uses == 0 and kept.scoring_method == "按完成程度评分"
    assert not LibraryEntry.objects.filter(key=cluster_key("培训场次")).exists()


def test_curation_is_finance_only_audited_with_history(records: dict[str, Declaration], people: dict[str, Any]) -> None:
    """A department cannot curate; the finance bureau's steps are in the entry's history and the audit log."""
    refresh_library(ctx(people["finance"]))
    entry = _entry("培训场次")
    with pytest.raises(PermissionDenied):
        services.promote(ctx(people["dept_a"]), entry, "")
    with pytest.raises(ValidationError, match="理由"):
        services.retire(ctx(people["finance"]), entry, " ")
    services.retire(ctx(people["finance"]), entry, "口径不统一")
    (change,) = LibraryChange.objects.filter(entry=entry)
    assert (change.action, change.changes, change.by) == ("retire", {"retired": [False, True]}, people["finance"])
    event = AuditEvent.objects.get(object_type="library.libraryentry", object_id=str(entry.pk))
    assert event.detail["action"] == "retire" and event.username == "finance"


def test_merge_refuses_itself_and_chains(records: dict[str, Declaration], people: dict[str, Any]) -> None:
    """Merging into itself or into a merged entry is refused with a reason."""
    finance = ctx(people["finance"])
    refresh_library(finance)
    a, b, c = _entry("培训场次"), _entry("培训合格率"), _entry("参训人员满意度")
    with pytest.raises(ValidationError, match="它自己"):
        services.merge(finance, a, a, "x")
    services.merge(finance, a, b, "x")
    with pytest.raises(ValidationError, match="已并入"):
        services.merge(finance, c, a, "x")
