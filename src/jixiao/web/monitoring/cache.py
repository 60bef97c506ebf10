"""A round's page figures computed once per change of the round, not once per page view.

A province's round holds thousands of forms; its page counts them by department, lists the
departments to filter by, writes the first rows of the list and reads the overdue actions, which
costs more than the rest of the request together. They only change when a form, its findings or
its actions do, and every such write goes through :mod:`jixiao.web.monitoring.services`, which
calls :func:`bump` in its transaction: the round's :class:`~jixiao.web.monitoring.models.RoundVersion`
goes up with the write that makes the change, and the page keys what it keeps on that number,
read with the round itself (no extra query). A counter raised by the database, not a timestamp:
two writes committing out of order still leave a number no reader saw before both.

The key also holds who is asking (role and organization: the scope depends on nothing else), what
they asked (the filters), the day (what is late, what is overdue) and the latest change of any
organization (the names shown). The cache is Django's, as the summaries' (``summary.cache``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from django.core.cache import cache
from django.db.models import F, Max

from jixiao.web.access import Person, account_of
from jixiao.web.monitoring.models import MonitoringRound, RoundVersion
from jixiao.web.orgs.models import Organization

T = TypeVar("T")
TIMEOUT = 600  # seconds: a bound on memory, not on freshness (the version guarantees that)


def bump(round_id: int) -> None:
    """Raise the round's data version; call it inside the transaction of the write, after its other locks.

    The update locks the version's row until the write commits, so two writes to one round raise it
    one after the other; a round made before this row existed gets one here.
    """
    if RoundVersion.objects.filter(round_id=round_id).update(number=F("number") + 1):
        return
    _, created = RoundVersion.objects.get_or_create(round_id=round_id)
    if not created:  # made by a parallel write since: raise it past what that write set
        RoundVersion.objects.filter(round_id=round_id).update(number=F("number") + 1)


def version_of(round_: MonitoringRound) -> int | None:
    """The round's data version as read with it (``select_related("data_version")``); None without one."""
    try:
        return round_.data_version.number
    except RoundVersion.DoesNotExist:
        return None


def cached_for_round(
    user: Person, round_: MonitoringRound, parts: tuple[object, ...], today: date, compute: Callable[[], T]
) -> T:
    """``compute()`` for this reader's scope, this round as it is now, these ``parts`` and ``today``.

    Without a version (a round no write has touched since it was made) nothing is kept: computed each time.
    """
    version = version_of(round_)
    if version is None:
        return compute()
    account = account_of(user)
    scope = (account.role, account.organization_id) if account is not None else ("", None)
    # the names the page shows are the organizations'; renaming one is recorded in their history
    renamed = Organization.history.aggregate(v=Max("history_date"))["v"]
    stamp = renamed.isoformat() if renamed is not None else "-"
    # a digest, not hash(): str hashes differ between processes, and a shared cache needs the same key in each
    key = (
        "jixiao:monitoring-round:"
        + hashlib.sha256(repr((round_.pk, version, stamp, scope, parts, today.isoformat())).encode()).hexdigest()
    )
    value: T | None = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
