"""Summary figures computed once per change of the data, not once per page view.

A province's 汇总表 totals and dashboard figures take 50–120 ms of database
and Python time to compute, and they only change when a record does. So
they are cached under a key made of who is asking (role and organization:
everything a summary shows depends on nothing else), what they asked
(the filters), and the *data version*: the latest change of any
declaration, self-evaluation or organization. Every write goes through the
services, which save the record (``updated_at``) in the same transaction,
so a new version appears with the write that makes it; nothing stale is
ever served, and no write needs to know about this cache.

The pages keep their rendered bodies (the tables and the charts' data), not
only the figures: rendering a hundred rows of a dozen columns costs more
than computing them, and a hit should cost a lookup.

The cache is Django's (per process by default; set ``JIXIAO_REDIS_URL`` to
share it between servers).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Max

from jixiao.web.access import Person, account_of
from jixiao.web.cycle.models import Declaration, SelfEvaluation
from jixiao.web.orgs.models import Organization

T = TypeVar("T")
TIMEOUT = 600  # seconds: a bound on memory, not on freshness (the version guarantees that)


def data_version() -> str:
    """The latest change of the data summaries read: three index lookups."""
    stamps = (
        Declaration.objects.aggregate(v=Max("updated_at"))["v"],
        SelfEvaluation.objects.aggregate(v=Max("updated_at"))["v"],
        Organization.history.aggregate(v=Max("history_date"))["v"],
    )
    return "|".join(s.isoformat() if s is not None else "-" for s in stamps)


def cached(user: Person, name: str, parts: tuple[object, ...], version: str, compute: Callable[[], T]) -> T:
    """``compute()`` for this reader's scope, these ``parts`` and this data version, from the cache when there."""
    account = account_of(user)
    scope = (account.role, account.organization_id) if account is not None else ("", None)
    # a digest, not hash(): str hashes differ between processes, and a shared cache needs the same key in each
    key = "jixiao:summary:" + hashlib.sha256(repr((name, scope, parts, version)).encode()).hexdigest()
    value: T | None = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
