"""A record loaded for a unit to fill in (a draft made by an import) is a new task: its unit's staff hear of it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from jixiao.core.model import Document
from jixiao.core.workflow import State
from jixiao.documents.importer import import_path
from jixiao.web.audit.services import Context
from jixiao.web.cycle.services.loading import LoadError, load_document
from jixiao.web.notices.models import Notice

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def _into_unit_a1(tree: Any) -> Document:
    """The example self-evaluation, its project placed in 医保局's 医保中心."""
    doc = import_path(EXAMPLES / "2024-self-evaluation-tabbed.txt").document
    assert doc is not None
    projects = tuple(replace(p, department=tree.dept_a.name, unit=tree.unit_a1.name) for p in doc.projects)
    return replace(doc, projects=projects)


def test_an_import_as_draft_tells_the_unit(
    tree: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """Three self-evaluations loaded by the department into 医保中心 as drafts: its staff is told of each."""
    with django_capture_on_commit_callbacks(execute=True):
        result = load_document(Context(user=people["dept_a"]), _into_unit_a1(tree), bureau=tree.bureau)
    assert len(result.evaluations) == 3
    told = {n.link: n for n in Notice.objects.all()}
    assert set(told) == {f"/work/evaluations/{e.pk}/" for e in result.evaluations}  # not the approved targets
    for evaluation in result.evaluations:
        notice = told[f"/work/evaluations/{evaluation.pk}/"]
        assert (notice.recipient, notice.kind) == (people["staff_a1"], "assigned")
        assert (
            notice.text == f"「{evaluation.project_name}」2024年度绩效自评表已导入为您单位的草稿，请核对、补充后提交。"
        )


def test_an_import_as_approved_is_no_task(
    tree: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """Records loaded as already approved (last years' forms) ask nothing of the unit: no notice."""
    with django_capture_on_commit_callbacks(execute=True):
        load_document(
            Context(user=people["finance"]),
            _into_unit_a1(tree),
            bureau=tree.bureau,
            state_for=lambda n, p: State.APPROVED,
        )
    assert not Notice.objects.exists()


def test_a_refused_load_tells_nobody(
    tree: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """All or nothing: the second load of the same records is refused and adds no notice."""
    with django_capture_on_commit_callbacks(execute=True):
        load_document(Context.system(), _into_unit_a1(tree), bureau=tree.bureau)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(LoadError):
        load_document(Context.system(), _into_unit_a1(tree), bureau=tree.bureau)
    assert Notice.objects.count() == 3
