"""Pages of the yearly cycle: lists, forms, review actions. Read through access helpers, write through services.

- :mod:`.lists`: the home page and the two lists;
- :mod:`.declarations`: a declaration's pages, its editor, review actions and adjustments;
- :mod:`.evaluations`: a self-evaluation's pages, its form, live preview and 采用建议分;
- :mod:`.drafts`: deleting a draft;
- :mod:`.checks`: the target reading as typed, a record's source file;
- :mod:`.common`: what they share.
"""

from jixiao.web.cycle.views.checks import describe, source_file, target_check
from jixiao.web.cycle.views.common import PAGE_SIZE
from jixiao.web.cycle.views.declarations import (
    declaration_act,
    declaration_adjust,
    declaration_carry,
    declaration_detail,
    declaration_edit,
    declaration_new,
    declaration_shares,
    project_code,
)
from jixiao.web.cycle.views.drafts import declaration_delete, evaluation_delete
from jixiao.web.cycle.views.evaluations import (
    evaluation_act,
    evaluation_detail,
    evaluation_edit,
    evaluation_preview,
    evaluation_start,
    posted_project,
)
from jixiao.web.cycle.views.lists import declaration_list, evaluation_list, home, url_prefix

__all__ = [
    "PAGE_SIZE",
    "declaration_act",
    "declaration_adjust",
    "declaration_carry",
    "declaration_delete",
    "declaration_detail",
    "declaration_edit",
    "declaration_list",
    "declaration_new",
    "declaration_shares",
    "describe",
    "evaluation_act",
    "evaluation_delete",
    "evaluation_detail",
    "evaluation_edit",
    "evaluation_list",
    "evaluation_preview",
    "evaluation_start",
    "home",
    "posted_project",
    "project_code",
    "source_file",
    "target_check",
    "url_prefix",
]
