"""Reading the stored library: search, suggestions, and the ranges the review compares targets with."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.urls import reverse

from jixiao.core.library import TargetRange, cluster_key
from jixiao.core.model import Document
from jixiao.core.review import LibraryRanges
from jixiao.web.access import Person
from jixiao.web.library.models import LibraryEntry, LibraryEntryQuerySet, LibraryKey

MAX_WORDS = 8
MAX_LENGTH = 100


def words_of(text: str) -> list[str]:
    """The search words of ``text`` (NFKC, split on spaces and commas), at most eight of at most 100 characters."""
    plain = unicodedata.normalize("NFKC", text or "")[:MAX_LENGTH].replace(",", " ").replace("，", " ")
    return plain.split()[:MAX_WORDS]


def search(user: Person, words: str, level1: str = "", level2: str = "", sector: str = "") -> LibraryEntryQuerySet:
    """Entries ``user`` may read matching every word (in a name, a variant, or through its cluster key)."""
    queryset = LibraryEntry.objects.visible_to(user).filter(merged_into__isnull=True)
    for word in words_of(words):
        key = cluster_key(word) or word
        queryset = queryset.filter(Q(search_text__contains=word) | Q(search_text__contains=key))
    if level1:
        queryset = queryset.filter(level1=level1)
    if level2:
        queryset = queryset.filter(level2=level2)
    if sector:
        queryset = queryset.filter(sectors__icontains=f'"{sector}"')
    return queryset


def suggestions(user: Person, name: str, level1: str = "", level2: str = "", limit: int = 8) -> list[dict[str, Any]]:
    """What the declaration editor offers for a typed name or a chosen class: entries in use, closest first.

    A typed name is searched in every class (a new row starts with the class of the row above, which
    may not be the indicator's), the row's class only ranking first; a class alone lists its entries.
    """
    if name.strip():
        queryset = search(user, name)
    elif level1 or level2:
        queryset = search(user, "", level1, level2)
    else:
        return []
    key = cluster_key(name) if name.strip() else ""

    def rank(e: LibraryEntry) -> tuple[bool, bool, bool, bool, int, str]:
        # the typed name's own entry, then the row's class, then common ones, then the most used
        same_class = (not level1 or e.level1 == level1) and (not level2 or e.level2 == level2)
        return (e.key != key, not same_class, not e.common, e.uses == 0, -e.uses, e.code)

    entries = sorted(queryset.filter(retired=False).select_related("owner")[:200], key=rank)[:limit]
    return [entry_json(e) for e in entries]


def entry_json(e: LibraryEntry) -> dict[str, Any]:
    """An entry as the suggestions and the API show it (numbers as exact strings)."""
    return {
        "code": e.code,
        "name": e.name,
        "level1": e.level1,
        "level2": e.level2,
        "unit": e.unit,
        "direction": e.direction,
        "common": e.common,
        "retired": e.retired,
        "owner": e.owner_label,
        "sectors": list(e.sectors),
        "uses": e.uses,
        "projects": e.projects,
        "departments": e.departments,
        "years": list(e.years),
        "targets": list(e.targets),
        "achieved": list(e.achieved),
        "assessed": e.assessed,
        "met": e.met,
        "met_rate_pct": e.met_rate,
        "url": reverse("library:entry", args=[e.code]),
    }


def ranges_for(document: Document) -> LibraryRanges:
    """The target ranges of the entries the indicators of ``document`` cluster into, by key (not retired ones)."""
    keys = {cluster_key(i.name) for p in document.projects for i in p.indicators if i.name}
    keys.discard("")
    if not keys:
        return {}
    rows = LibraryKey.objects.filter(key__in=keys, entry__retired=False).values_list("key", "entry__targets")
    out: dict[str, tuple[TargetRange, ...]] = {}
    for key, targets in rows:
        out[key] = tuple(
            TargetRange(
                unit=t["unit"],
                count=int(t["count"]),
                **{k: Decimal(t[k]) for k in ("min", "q1", "median", "q3", "max")},
            )
            for t in targets or ()
        )
    return out
