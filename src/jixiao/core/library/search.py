"""Searching a library by words, in canonical names and every variant seen."""

from __future__ import annotations

import unicodedata

from jixiao.core.library.entries import Entry, Library
from jixiao.core.library.names import cluster_key


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def search(library: Library, words: str) -> list[Entry]:
    """The entries whose name, key or a variant contains every word of ``words``; most used first.

    A word also matches through its cluster key, so ``满意率`` finds the entries of ``满意度``.
    """
    terms = unicodedata.normalize("NFKC", words).replace(",", " ").split()
    found = []
    for entry in library.entries:
        texts = [_plain(entry.name), entry.key, *(_plain(v) for v in entry.variants)]
        if all(any(t in x or (cluster_key(t) or t) in x for x in texts) for t in terms):
            found.append(entry)
    return sorted(found, key=lambda e: (-e.uses, e.code))
