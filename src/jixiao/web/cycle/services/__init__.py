"""Every write of the yearly cycle: one transaction each, with its audit event.

Views, the API, the loader and the import jobs call these functions and
nothing else writes a record of the cycle (``tests/test_architecture.py``
scans for it). Each write locks its unit, then the row it changes
(``select_for_update``; SQLite serialises writers with IMMEDIATE
transactions), makes one permission decision on the locked row
(:func:`jixiao.web.access.permit`), refuses a stale edit with
:class:`ConflictError` instead of overwriting it, moves states only as
:mod:`jixiao.core.workflow` allows, and records who, when, from where, what
changed (per row and field), before and after.

- :mod:`.declarations`: projects, declarations (new, carried forward from last year, edited), adjustments;
- :mod:`.evaluations`: self-evaluations;
- :mod:`.workflow`: ``act`` (submit, return, approve, publish), ``publish``, deleting a draft;
- :mod:`.findings`: the review stored with each record, what blocks a step;
- :mod:`.across`: the findings across a unit's records;
- :mod:`.loading`: documents loaded as records;
- :mod:`.common`: what they share.
"""

from jixiao.web.cycle.services.common import (
    DECLARATION_FIELDS,
    EVALUATION_FIELDS,
    EVALUATION_ROW_FIELDS,
    INDICATOR_FIELDS,
    ConflictError,
    EvaluationRowInput,
    IndicatorInput,
    Record,
    changes,
    snapshot,
)
from jixiao.web.cycle.services.declarations import (
    CARRIED_FIELDS,
    Change,
    adjust_indicator,
    adjust_indicators,
    carry_forward,
    check_weight,
    create_declaration,
    ensure_project,
    may_set_code,
    set_project_code,
    update_declaration,
)
from jixiao.web.cycle.services.evaluations import create_evaluation, update_evaluation
from jixiao.web.cycle.services.findings import (
    declaration_problems,
    evaluation_problems,
    figure_problems,
    project_problems,
    refresh_findings,
    repack,
)
from jixiao.web.cycle.services.workflow import REVIEW_STEPS, act, delete_draft, publish

__all__ = [
    "CARRIED_FIELDS",
    "DECLARATION_FIELDS",
    "EVALUATION_FIELDS",
    "EVALUATION_ROW_FIELDS",
    "INDICATOR_FIELDS",
    "REVIEW_STEPS",
    "Change",
    "ConflictError",
    "EvaluationRowInput",
    "IndicatorInput",
    "Record",
    "act",
    "adjust_indicator",
    "adjust_indicators",
    "carry_forward",
    "changes",
    "check_weight",
    "create_declaration",
    "create_evaluation",
    "declaration_problems",
    "delete_draft",
    "ensure_project",
    "evaluation_problems",
    "figure_problems",
    "may_set_code",
    "project_problems",
    "publish",
    "refresh_findings",
    "repack",
    "set_project_code",
    "snapshot",
    "update_declaration",
    "update_evaluation",
]
