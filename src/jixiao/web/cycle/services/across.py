"""Cross-document review of the records: each project against its approval and against earlier years.

``jixiao check`` links the same project in several documents (its approved declaration, its latest
earlier year) and compares their indicators (:mod:`jixiao.core.review.across`). Here the documents are
a unit's records, grouped as the command line groups files: one document per year and kind. Every write
in a unit calls :func:`refresh_across`, which reviews the unit's records again and stores the findings
that changed, with their counts, on every record concerned: a save of a declaration can change its
self-evaluation's findings and the next year's, an approval which records are compared with.

Choices of the web (the command line compares whatever files it is given):

* a record still in draft is compared with what came before it, but nothing is compared with it: an
  unfinished form (last year's self-evaluation being filled in) must not raise findings elsewhere;
* year-over-year findings go on declarations, where targets are set; a self-evaluation scores the
  approved targets, so its own year-over-year findings would repeat its declaration's word for word.
  A self-evaluation gets the findings against its approval;
* within a year, a self-evaluation is preferred to its declaration as the earlier document: it has the
  actual values, which tell a target lowered after a shortfall from one merely lowered.

The cost is the records of the projects whose names may link with the one written (its unit's others can
neither be compared with it nor compete with it for a link), read in six queries whatever their number,
and writes only where the findings changed. The unit's row is locked first, so that two writes in a unit
never refresh at once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from jixiao.core.model import Document, Indicator, Kind, Project
from jixiao.core.review import REGISTRY, Finding, Severity
from jixiao.core.review.across import check_links, link_projects, linkable
from jixiao.core.review.context import Reporter
from jixiao.core.scoring import load_pack
from jixiao.web.cycle.models import (
    Declaration,
    DeclarationIndicator,
    EvaluationIndicator,
    SelfEvaluation,
    StoredFinding,
)
from jixiao.web.cycle.models import Project as ProjectRecord
from jixiao.web.orgs.models import Organization

ACROSS = frozenset(code for code, check in REGISTRY.items() if check.scope == "across")
DRAFT = "draft"
TEXT = 300  # what StoredFinding keeps of an indicator name, an expected and a found value

# a record: ("declaration" | "evaluation", its id)
Key = tuple[str, int]
# a stored finding as compared: code, severity, indicator index, indicator, field, message, expected, found
Row = tuple[str, str, int | None, str, str, str, str, str]


@dataclass
class _Group:
    """The records of one document: a year, a kind, drafts or not."""

    year: int
    kind: Kind
    draft: bool
    projects: list[Project]
    keys: dict[str, Key]  # project name -> record

    @property
    def source(self) -> str:
        """The document's name, as findings on later documents cite it."""
        form = self.kind.label.removeprefix("财政项目支出")
        return f"{self.year}年度{form}" + ("（草稿）" if self.draft else "")


def lock_unit(unit_id: int) -> None:
    """Lock the unit's row: every write in a unit takes it before any of the unit's records (see services)."""
    list(Organization.objects.select_for_update().filter(pk=unit_id).values_list("pk", flat=True))


def _projects(unit: Organization, project_id: int | None) -> list[int] | None:
    """The unit's projects a write to ``project_id`` can concern: those whose names may link with its name.

    None (every project) when no project is named. A unit's other projects can neither be linked with
    this one nor compete with it for a link (``jixiao.core.review.across.linkable``), so their findings
    stay as they are and need not be read.
    """
    if project_id is None:
        return None
    names = list(ProjectRecord.objects.filter(unit=unit).order_by("pk").values_list("pk", "name"))
    start = {n for n, (pk, _) in enumerate(names) if pk == project_id}
    return [names[n][0] for n in linkable([name for _, name in names], start)]


def _groups(unit: Organization, projects: list[int] | None) -> list[_Group]:
    """The unit's records as documents: self-evaluations before declarations within a year, drafts apart."""
    scope = Q(project__unit=unit) if projects is None else Q(project__unit=unit, project__in=projects)
    decls = list(
        Declaration.objects.filter(scope).values_list(
            "pk", "year", "state", "kind", "project__name", "evaluation__pk", "evaluation__state"
        )
    )
    ids = [d[0] for d in decls]
    targets: dict[int, list[tuple[int, Indicator]]] = defaultdict(list)
    for decl_id, pk, level1, level2, name, target in (
        DeclarationIndicator.objects.filter(declaration__in=ids)
        .order_by("declaration_id", "position")
        .values_list("declaration_id", "pk", "level1", "level2", "name", "target")
    ):
        targets[decl_id].append((pk, Indicator(level1=level1, level2=level2 or None, name=name, target=target or None)))
    actuals = {
        (ev_id, indicator_id): actual
        for ev_id, indicator_id, actual in EvaluationIndicator.objects.filter(
            evaluation__declaration__in=ids
        ).values_list("evaluation_id", "indicator_id", "actual")
    }
    groups: dict[tuple[int, int, Kind, bool], _Group] = {}

    def add(year: int, kind: Kind, draft: bool, key: Key, project: Project) -> None:
        # evaluations sort first within a year (order 0): the earlier document preferred on a tie
        order = 1 if kind is Kind.TARGET_DECLARATION else 0
        group = groups.setdefault((year, order, kind, draft), _Group(year, kind, draft, [], {}))
        group.projects.append(project)
        group.keys[project.name] = key

    for pk, year, state, kind, name, ev_pk, ev_state in decls:
        rows = targets.get(pk, [])
        add(year, Kind.TARGET_DECLARATION, state == DRAFT, ("declaration", pk), _project(name, unit, rows))
        if ev_pk is not None:
            done = [(i, Indicator(**_fields(ind), actual=actuals.get((ev_pk, i)) or None)) for i, ind in rows]
            ev_kind = Kind.TRANSFER_SELF_EVALUATION if kind == Declaration.Kind.TRANSFER else Kind.SELF_EVALUATION
            add(year, ev_kind, ev_state == DRAFT, ("evaluation", ev_pk), _project(name, unit, done))
    return [groups[k] for k in sorted(groups, key=lambda k: (k[0], k[1], k[3]))]


def _fields(indicator: Indicator) -> dict[str, Any]:
    return {"level1": indicator.level1, "level2": indicator.level2, "name": indicator.name, "target": indicator.target}


def _project(name: str, unit: Organization, rows: Iterable[tuple[int, Indicator]]) -> Project:
    return Project(name=name, unit=unit.name, indicators=tuple(indicator for _, indicator in rows))


def _row(f: Finding) -> Row:
    return (
        f.code,
        f.severity.value,
        f.indicator_index,
        (f.indicator or "")[:TEXT],
        f.field or "",
        f.message,
        (f.expected or "")[:TEXT],
        (f.found or "")[:TEXT],
    )


def review_unit(unit: Organization, projects: list[int] | None = None) -> dict[Key, list[Row]]:
    """The cross-document findings of each of the unit's records (only records that have some).

    ``projects`` restricts the review to the records of these projects (a set closed under linking).
    """
    groups = _groups(unit, projects)
    documents = [(g.source, Document(kind=g.kind, year=g.year, projects=tuple(g.projects))) for g in groups]
    earlier = {n for n, g in enumerate(groups) if not g.draft}
    links = [
        link
        for link in link_projects(documents, earlier=earlier)
        if link.relation == "approved" or groups[link.later.document].kind is Kind.TARGET_DECLARATION
    ]
    pack = load_pack()
    reporter = Reporter(pack, None, None, [])
    check_links(reporter, documents, links, pack)
    by_source = {g.source: g for g in groups}
    found: dict[Key, list[Row]] = defaultdict(list)
    for f in reporter.findings:
        found[by_source[f.source or ""].keys[f.project]].append(_row(f))
    return found


def _owner(key: Key) -> dict[str, int]:
    return {"declaration_id" if key[0] == "declaration" else "evaluation_id": key[1]}


def refresh_across(unit_id: int, project_id: int | None = None) -> dict[Key, dict[str, int]]:
    """Review the unit's records across documents again; store the findings and counts that changed.

    Call it inside the transaction of the write that may have changed them; ``project_id`` names the
    project written (the review then reads only the projects that may link with it). Returns the new
    finding counts of the records whose cross-document findings changed.
    """
    lock_unit(unit_id)
    unit = Organization.objects.get(pk=unit_id)
    projects = _projects(unit, project_id)
    wanted = review_unit(unit, projects)
    if projects is None:
        of_unit = Q(declaration__project__unit=unit) | Q(evaluation__declaration__project__unit=unit)
    else:
        of_unit = Q(declaration__project__in=projects) | Q(evaluation__declaration__project__in=projects)
    stored: dict[Key, list[Row]] = defaultdict(list)
    for decl_id, ev_id, code, severity, index, indicator, field, message, expected, found in (
        StoredFinding.objects.filter(of_unit, code__in=ACROSS).values_list(
            "declaration_id", "evaluation_id", "code", "severity", "indicator_index", "indicator", "field", "message",
            "expected", "found",
        )
    ):  # fmt: skip
        row: Row = (code, severity, index, indicator, field, message, expected, found)
        stored[("declaration", decl_id) if decl_id else ("evaluation", ev_id)].append(row)
    # in the records' order: two refreshes never update the same rows in different orders
    changed = sorted(
        k for k in set(wanted) | set(stored) if sorted(wanted.get(k, []), key=str) != sorted(stored.get(k, []), key=str)
    )
    if not changed:
        return {}
    for key in changed:
        StoredFinding.objects.filter(**_owner(key), code__in=ACROSS).delete()
    StoredFinding.objects.bulk_create(
        StoredFinding(
            **_owner(key),
            code=code,
            severity=severity,
            indicator_index=index,
            indicator=indicator,
            field=field,
            message=message,
            expected=expected,
            found=found,
        )
        for key in changed
        for code, severity, index, indicator, field, message, expected, found in wanted.get(key, [])
    )
    return _recount(changed)


def _recount(keys: list[Key]) -> dict[Key, dict[str, int]]:
    """Set the finding counts of these records from what is stored now (one query, one update each)."""
    decls = [pk for kind, pk in keys if kind == "declaration"]
    evs = [pk for kind, pk in keys if kind == "evaluation"]
    counts: Counter[tuple[str, int, str]] = Counter()
    for decl_id, ev_id, severity in StoredFinding.objects.filter(
        Q(declaration_id__in=decls) | Q(evaluation_id__in=evs)
    ).values_list("declaration_id", "evaluation_id", "severity"):
        counts["declaration" if decl_id else "evaluation", decl_id or ev_id, severity] += 1
    out: dict[Key, dict[str, int]] = {}
    for kind, pk in keys:
        model = Declaration if kind == "declaration" else SelfEvaluation
        values = {
            "errors": counts[kind, pk, Severity.ERROR.value],
            "warnings": counts[kind, pk, Severity.WARNING.value],
            "infos": counts[kind, pk, Severity.INFO.value],
        }
        model.objects.filter(pk=pk).update(**values)
        out[kind, pk] = values
    return out


def stored_across(record: Declaration | SelfEvaluation) -> list[Finding]:
    """The record's stored cross-document findings, as the review's findings (for its page)."""
    owner = {"declaration": record} if isinstance(record, Declaration) else {"evaluation": record}
    return [
        Finding(
            s.code,
            Severity(s.severity),
            record.project_name,
            None,
            s.indicator or None,
            s.indicator_index,
            s.field or None,
            s.message,
            s.expected or None,
            s.found or None,
            None,
            record.year,
        )
        for s in StoredFinding.objects.filter(**owner, code__in=ACROSS)
    ]
