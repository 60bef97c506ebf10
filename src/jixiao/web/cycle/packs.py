"""The rule pack of a record: what every score, finding, grade, preview, summary and export of it follows.

A record takes its department's pack for its year when it is created
(:meth:`RulePackChoice.objects.pack_for`) and keeps it in ``rule_pack``; the
finance bureau's later choices move only records not yet approved
(:func:`jixiao.web.orgs.services.choose_pack`). Reading a record's pack
never fails: a pack that is no longer shipped reads as the default.
"""

from __future__ import annotations

from jixiao.core.scoring import PackError, RulePack, load_pack
from jixiao.web.cycle.models import Declaration, SelfEvaluation
from jixiao.web.orgs.models import Organization, RulePackChoice

__all__ = ["pack_for_unit", "pack_named", "record_pack"]


def record_pack(record: Declaration | SelfEvaluation) -> RulePack:
    """The validated rule pack the record is scored by."""
    return pack_named(record.rule_pack)


def pack_named(name: str | None) -> RulePack:
    """The shipped pack of that name; the default pack for none or for a pack no longer shipped."""
    try:
        return load_pack(name or None)
    except PackError:
        return load_pack()


def pack_for_unit(unit: Organization, year: int) -> str:
    """The name of the pack a new record of ``unit`` for ``year`` takes: its department's choice for that year."""
    # by id: a province's import asks this for every record, and the department row itself is not needed
    department_id = unit.pk if unit.kind == Organization.Kind.DEPARTMENT else unit.department_id
    return RulePackChoice.objects.pack_for(department_id, year)
