"""Building the format-neutral report of a document: the one place the layouts, the narrative and the
open-data tables are joined.

The model they fill lives in :mod:`jixiao.exporters.model`; the renderers that draw it are listed in
:mod:`jixiao.exporters.formats`. This module depends on the three content modules and none of them
on it or on each other.
"""

from __future__ import annotations

from jixiao.core.model import Document, Kind
from jixiao.core.scoring import RulePack, resolve_pack
from jixiao.exporters import layouts, narrative, opendata
from jixiao.exporters.model import Report, Style, auto_style


def build_report(doc: Document, style: Style | None = None, pack: RulePack | str | None = None) -> Report:
    """The report of a document: its forms, summary, narrative and open-data tables.

    ``style`` chooses the self-evaluation layout; by default :func:`auto_style` decides. A style
    that does not fit the document's kind (a 2022 self-evaluation layout for a declaration) is
    replaced by the kind's own. ``pack`` is the rule pack whose total no printed total may exceed
    (the default pack when None).
    """
    maximum = resolve_pack(pack).total_weight

    chosen = style or auto_style(doc)
    if doc.kind is not Kind.SELF_EVALUATION or chosen not in (Style.SELF_2022, Style.SELF_2024):
        chosen = auto_style(doc)
    units = {p.money_unit for p in doc.projects if p.money_unit}
    # one unit for the open-data money columns: the projects' own, else 元 (exact conversion)
    money_unit = units.pop() if len(units) == 1 else ("元" if units else None)
    year = f"{doc.year}年度" if doc.year else ""
    return Report(
        document=doc,
        style=chosen,
        title=f"{year}{doc.kind.label}",
        summary=layouts.summary(doc, chosen, maximum),
        forms=layouts.forms(doc, chosen, maximum),
        money_unit=money_unit,
        maximum=maximum,
        # made when first asked for: a spreadsheet export needs neither
        make_narrative=lambda: narrative.narrative(doc, chosen, maximum),
        make_tables=lambda: opendata.tables(doc, money_unit),
    )
