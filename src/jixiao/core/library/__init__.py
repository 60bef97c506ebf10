"""The indicator library (指标库): indicators mined from documents, clustered by name, with their statistics.

:func:`build_library` (or :class:`Miner`, one document at a time) gathers every indicator row,
clusters names across small wording differences (:func:`cluster_key`, data in ``names.toml``),
and gives each cluster a code, class, canonical name, variants, unit, direction, target ranges
by unit, how often targets were met, sectors (``sectors.toml``) and whether it is common
(the 101号 framework in ``framework.toml``). :func:`search` finds entries by words.
See docs/indicator-library.md.
"""

from jixiao.core.library.entries import SCHEMA, Entry, Library, TargetRange
from jixiao.core.library.mining import Miner, build_library, direction_of, quartiles
from jixiao.core.library.names import cluster_key
from jixiao.core.library.search import search

__all__ = [
    "SCHEMA",
    "Entry",
    "Library",
    "Miner",
    "TargetRange",
    "build_library",
    "cluster_key",
    "direction_of",
    "quartiles",
    "search",
]
