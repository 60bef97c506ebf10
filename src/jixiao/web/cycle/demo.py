"""The demo's copied-forward declaration: the demo unit's next year started from its last approved one.

``jixiao demo`` calls :func:`demo_carry` after loading its documents. Among the demo unit's projects it
picks one whose latest declaration is approved or published, preferring one whose self-evaluation has
been submitted (so the editor shows last year's actual values, grade and score), and carries it into
the following year through the same service as the page's 从上年结转, audited as the demo unit's staff.
"""

from __future__ import annotations

from django.contrib.auth.models import User

from jixiao.core.workflow import FROZEN_VALUES, State
from jixiao.web.audit.services import Context
from jixiao.web.cycle import services
from jixiao.web.cycle.models import Declaration, SelfEvaluation


def demo_carry(unit_staff: User) -> Declaration | None:
    """Carry one of the staff's unit's approved declarations into the next year; None when none can be."""
    unit_id = unit_staff.account.organization_id
    latest = Declaration.objects.filter(project__unit_id=unit_id, kind=Declaration.Kind.PROJECT)
    candidates = [
        d
        for d in latest.filter(state__in=FROZEN_VALUES).select_related("project__unit").order_by("-year", "pk")
        # the project's newest year: its next one is not declared yet
        if not latest.filter(project_id=d.project_id, year__gt=d.year).exists()
    ]
    evaluated = [d for d in candidates if d.indicators.exists() and _evaluated(d)]
    if not candidates:
        return None
    chosen = (evaluated or candidates)[0]
    ctx = Context.system(unit_staff)
    return services.carry_forward(ctx, chosen.project.unit, chosen.project.name, chosen.year + 1)


def _evaluated(decl: Declaration) -> bool:
    """True when the declaration's self-evaluation has left draft (its actual values count)."""
    return SelfEvaluation.objects.filter(declaration=decl).exclude(state=State.DRAFT.value).exists()
