"""The demo's indicator library: built from the demo's documents, with one curation step to show the history.

``jixiao demo`` calls :func:`demo_library` after its documents and monitoring round are in. The
library is mined from every record past its draft, as the refresh button does; the demo's finance
bureau then promotes the most used project-specific indicator to a common one, through the service
(audited, in the entry's history), so the pages show curation as well as statistics.
"""

from __future__ import annotations

from django.contrib.auth.models import User

from jixiao.web.audit.services import Context
from jixiao.web.library import services
from jixiao.web.library.models import LibraryEntry
from jixiao.web.library.refresh import refresh_library


def demo_library(finance: User) -> int:
    """Build the library and promote one entry; the number of entries."""
    ctx = Context.system(finance)
    run = refresh_library(ctx)
    specific = LibraryEntry.objects.filter(common=False, uses__gt=0).order_by("-uses", "code").first()
    if specific is not None:
        services.promote(ctx, specific, "演示：多个项目使用的指标，列为共性指标。")
    return run.entries
