"""Loading documents as records: the demo data, the seeds, all-or-nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command

from jixiao.core.model import Document, Kind
from jixiao.core.workflow import State
from jixiao.documents.importer import expand, import_path
from jixiao.web.audit.models import AuditEvent
from jixiao.web.audit.services import Context
from jixiao.web.cycle.models import Declaration, Publication, SelfEvaluation
from jixiao.web.cycle.services.loading import LoadError, load_document
from jixiao.web.monitoring.models import MonitoringAction, MonitoringFinding, MonitoringRound
from jixiao.web.orgs.models import Organization
from tests.shared import SEEDS

pytestmark = pytest.mark.django_db
ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def test_demo_loads_every_example_in_every_state(capsys: pytest.CaptureFixture[str]) -> None:
    """The demo loads all example documents, puts records in every state, and prints one login per role."""
    call_command("demo", no_serve=True)
    out = capsys.readouterr().out
    files = list(expand([ROOT / "examples"]))
    assert f"{len(files)} 个文件已载入" in out
    for role in ("单位填报人员", "主管部门审核人员", "财政审核人员", "系统管理员", "安全管理员", "审计管理员"):
        assert role in out
    states = set(SelfEvaluation.objects.values_list("state", flat=True)) | set(
        Declaration.objects.values_list("state", flat=True)
    )
    assert {s.value for s in State} <= states
    centre = Organization.objects.get(name="上海市医疗保险事业管理中心")
    seen = set(Declaration.objects.filter(project__unit=centre).values_list("state", flat=True))
    seen |= set(SelfEvaluation.objects.filter(declaration__project__unit=centre).values_list("state", flat=True))
    assert seen >= {"draft", "submitted", "returned", "dept_approved", "approved"}  # the demo unit sees the cycle
    assert Publication.objects.exists()
    # a monitoring round: the demo unit's forms filed, returned and approved, the others late; alerts raised
    (round_,) = MonitoringRound.objects.all()
    assert round_.due < date.today() and round_.records.filter(unit=centre).count() >= 3
    assert set(round_.records.filter(unit=centre).values_list("state", flat=True)) >= {
        "submitted",
        "returned",
        "approved",
    }
    assert round_.records.exclude(unit=centre).filter(state="draft").exists()
    alerts = set(MonitoringFinding.objects.filter(record__round=round_).values_list("code", flat=True))
    assert {"execution-behind-schedule", "remedy-missing"} <= alerts
    # a declaration of the demo unit carried forward from its last approved year (从上年结转, decision 0022)
    carried = AuditEvent.objects.get(event="create", object_type="cycle.declaration", detail__has_key="carried_from")
    new = Declaration.objects.get(pk=carried.object_id)
    assert (new.project.unit, new.state, new.requested_total) == (centre, "draft", None)
    last = Declaration.objects.get(pk=carried.detail["carried_from"]["declaration"])
    assert (last.project, last.year + 1, last.state in ("approved", "published")) == (new.project, new.year, True)
    assert [i.target for i in new.indicators.all()] == [i.target for i in last.indicators.all()] != []
    # what the department ordered on them: an action open, another reported and closed, a third cancelled
    assert set(MonitoringAction.objects.filter(record__round=round_).values_list("state", flat=True)) == {
        "open",
        "closed",
        "cancelled",
    }


@pytest.mark.shared
def test_demo_from_the_seeds_loads_them_completely(capsys: pytest.CaptureFixture[str]) -> None:
    """jixiao demo --from ../shared/seeds loads all five seeds, the transfer payment included."""
    call_command("demo", no_serve=True, source=str(SEEDS))
    assert "5 个文件已载入" in capsys.readouterr().out
    assert SelfEvaluation.objects.filter(declaration__kind="transfer").count() == 1
    projects = sum(len(import_path(p).document.projects) for p in expand([SEEDS]))
    # and more: the demo unit's declaration carried into the next year, the new projects assessed ex ante
    carried = AuditEvent.objects.filter(object_type="cycle.declaration", detail__has_key="carried_from").count()
    assessed = Declaration.objects.filter(assessments__isnull=False).distinct().count()
    assert (carried, assessed) == (1, 4)
    assert Declaration.objects.count() == projects + carried + assessed


def test_a_load_is_all_or_nothing(tree: Any) -> None:
    """A document with one project that cannot be loaded leaves no record of the others."""
    doc = import_path(ROOT / "examples" / "2024-self-evaluation-tabbed.txt").document
    broken = doc.projects[-1].__class__(**{**doc.projects[-1].__dict__, "department": None})
    bad = Document(kind=doc.kind, year=doc.year, projects=(*doc.projects[:-1], broken))
    with pytest.raises(LoadError) as info:
        load_document(Context.system(), bad, bureau=tree.bureau, create_orgs=True)
    assert broken.name in str(info.value)
    assert not Declaration.objects.exists() and not SelfEvaluation.objects.exists()


def test_loading_twice_is_refused(tree: Any) -> None:
    """The same project and year loaded again is refused, naming the project."""
    doc = import_path(ROOT / "examples" / "2024-self-evaluation-tabbed.txt").document
    load_document(Context.system(), doc, bureau=tree.bureau, create_orgs=True)
    with pytest.raises(LoadError, match="已有2024年度的记录"):
        load_document(Context.system(), doc, bureau=tree.bureau, create_orgs=True)


def test_unknown_units_are_refused_unless_creation_is_allowed(tree: Any) -> None:
    """Without create_orgs a department that is not in the tree stops the load with its name."""
    doc = import_path(ROOT / "examples" / "2024-self-evaluation-tabbed.txt").document
    with pytest.raises(LoadError, match="组织机构中没有"):
        load_document(Context.system(), doc, bureau=tree.bureau)


def test_a_unit_name_is_looked_up_within_its_department(tree: Any) -> None:
    """Two departments each with a 办公室: a project lands in its own department's, never the other's."""
    doc = import_path(ROOT / "examples" / "2024-self-evaluation-tabbed.txt").document
    department = Organization.objects.create(
        name=doc.projects[0].department, kind=Organization.Kind.DEPARTMENT, parent=tree.bureau
    )
    elsewhere = Organization.objects.create(name=doc.projects[0].unit, kind=Organization.Kind.UNIT, parent=tree.dept_b)
    with pytest.raises(LoadError, match=f"「{department.name}」下没有「{elsewhere.name}」"):
        load_document(Context.system(), doc, bureau=tree.bureau)
    load_document(Context.system(), doc, bureau=tree.bureau, create_orgs=True)
    units = {d.project.unit for d in Declaration.objects.select_related("project__unit")}
    assert elsewhere not in units
    assert {u.department for u in units} == {department}


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        (Kind.MONITORING, "在「运行监控」的监控批次中"),
        (Kind.DEPARTMENT_SELF_EVALUATION, "部门（单位）整体支出绩效自评表暂不能导入"),
        (Kind.DEPARTMENT_DECLARATION, "部门（单位）整体支出绩效目标申报表暂不能导入"),
    ],
)
def test_a_kind_the_cycle_holds_no_record_of_is_refused(tree: Any, kind: Kind, said: str) -> None:
    """A monitoring form or a department-wide form is not loaded as a self-evaluation: refused, nothing written."""
    doc = import_path(ROOT / "examples" / "2024-self-evaluation-tabbed.txt").document
    with pytest.raises(LoadError, match=said):
        load_document(Context.system(), replace(doc, kind=kind), bureau=tree.bureau, create_orgs=True)
    assert not Declaration.objects.exists() and not SelfEvaluation.objects.exists()
