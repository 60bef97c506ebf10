"""Review: what a careful finance-bureau reviewer would flag, on one document or across many.

Public API::

    review_document(document, pack=None, *, source=None, project_packs=None) -> list[Finding]
    review_documents([(source, document), ...], pack=None, *, project_packs=None) -> list[Finding]
    link_projects([(source, document), ...]) -> list[ProjectLink]
    blocking(findings) -> list[Finding]   # errors about figures that cannot be (IMPOSSIBLE codes)
    overdue_finding(project, unit, due, today, submitted) -> Finding | None   # a monitoring form past its due date
    CHECKS, REGISTRY      # every check: code, severity, title, what it checks, basis
    Finding, Severity, Check

Every finding has a stable code from :data:`REGISTRY`, a severity, the
place it points at and a Chinese sentence with the numbers. Checks never
raise on odd input: what cannot be judged is left alone or reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from jixiao.core.model import Document, Kind
from jixiao.core.review.across import (
    ProjectLink,
    ProjectRef,
    check_links,
    check_prior,
    compare_targets,
    link_projects,
)
from jixiao.core.review.context import PriorYear, Reporter
from jixiao.core.review.declaration import check_targets
from jixiao.core.review.department import check_department, department_pack
from jixiao.core.review.evaluation import check_evaluation
from jixiao.core.review.findings import CHECKS, REGISTRY, SCOPES, Check, Finding, Severity
from jixiao.core.review.library import LibraryRanges, check_library
from jixiao.core.review.money import check_execution, check_funds
from jixiao.core.review.monitoring import check_monitoring, overdue_finding
from jixiao.core.review.shares import IMPOSSIBLE, blocking, check_shares
from jixiao.core.scoring.engine import PackLike, resolve_pack, score_project
from jixiao.core.scoring.packs import load_pack

__all__ = [
    "CHECKS",
    "IMPOSSIBLE",
    "REGISTRY",
    "SCOPES",
    "Check",
    "Finding",
    "LibraryRanges",
    "PriorYear",
    "ProjectLink",
    "ProjectRef",
    "Severity",
    "blocking",
    "compare_targets",
    "has_errors",
    "link_projects",
    "overdue_finding",
    "review_document",
    "review_documents",
]


def review_document(
    document: Document,
    pack: PackLike = None,
    *,
    source: str | None = None,
    project_packs: Mapping[str, str] | None = None,
    library: LibraryRanges | None = None,
    prior: Mapping[str, PriorYear] | None = None,
) -> list[Finding]:
    """Every single-document check on ``document``, project by project, in printed order.

    A declaration gets the target checks; a monitoring form the target checks and the monitoring alerts
    (:mod:`jixiao.core.review.monitoring`), never the evaluation scoring; every other form is scored.

    ``pack`` is the document's rule pack (a name, a pack, or None for the
    default); ``project_packs`` maps a project name to the pack that project
    names; ``source`` is recorded on every finding. ``library`` holds the indicator library's target
    ranges by cluster key (plain data, e.g. from the web's stored library); with it, targets far from
    what similar projects set are findings too (:mod:`jixiao.core.review.library`).
    ``prior`` maps a declared project's name to its
    last approved year (:class:`PriorYear`, plain data): its targets are then also compared with last
    year's targets and actual values (:func:`jixiao.core.review.across.check_prior`).
    """
    default = resolve_pack(pack)
    findings: list[Finding] = []
    for project in document.projects:
        chosen = project_packs.get(project.name) if project_packs else None
        rp = load_pack(chosen) if chosen else default
        if document.kind.is_department:
            # a department's form splits its points as the pack's [department] says, with its own classes
            rp = department_pack(rp)
        r = Reporter(rp, source, document.year, findings)
        # Targets and money are checked on every kind of form; scores only where the form has them.
        check_targets(r, project, document.kind)
        if library:
            check_library(r, project, library)
        check_funds(r, project)
        if document.kind.is_department:
            check_department(r, project)
        if document.kind in (Kind.TARGET_DECLARATION, Kind.DEPARTMENT_DECLARATION):
            check_shares(r, project, scored=False)
            last = prior.get(project.name) if prior else None
            if last is not None:
                check_prior(r, project, last)
            continue
        if document.kind is Kind.MONITORING:
            # mid-year: progress against targets and the time schedule, nothing to score yet
            check_monitoring(r, project, document.year)
            continue
        score = score_project(project, rp)
        check_execution(r, project, score.execution)
        check_evaluation(r, project, score, document.kind)
    return findings


def review_documents(
    documents: Sequence[tuple[str, Document]],
    pack: PackLike = None,
    *,
    project_packs: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Review each (source, document) pair, then link projects across them and add the cross-document findings.

    The single-document findings come first, document by document; then
    the cross-document ones, reported on the later project of each link.
    """
    rp = resolve_pack(pack)
    findings: list[Finding] = []
    for source, document in documents:
        findings.extend(review_document(document, rp, source=source, project_packs=project_packs))
    # The cross-document reporter takes each link's later document as its source and year as it goes.
    r = Reporter(rp, None, None, findings)
    check_links(r, documents, link_projects(documents), rp)
    return findings


def has_errors(findings: Sequence[Finding]) -> bool:
    """True when some finding is an error (``jixiao check`` then exits 1)."""
    return any(f.severity is Severity.ERROR for f in findings)
