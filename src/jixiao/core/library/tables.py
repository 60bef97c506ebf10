"""The data tables beside this package: sector keywords (``sectors.toml``), the 101号 framework (``framework.toml``)."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class CommonIndicator:
    """One common (共性) indicator seeded from the framework."""

    code: str
    name: str
    level1: str
    level2: str
    unit: str
    direction: str


@dataclass(frozen=True)
class Framework:
    """The classes and common indicators of 财预〔2021〕101号, and when a used indicator counts as common."""

    source: str
    classes: dict[str, tuple[str, ...]]
    common: tuple[CommonIndicator, ...]
    common_from_departments: int


@functools.cache
def framework() -> Framework:
    """The framework shipped in ``framework.toml``."""
    t = _load("framework.toml")
    classes = {k: tuple(v) for k, v in t["classes"].items()}
    common = tuple(CommonIndicator(**c) for c in t.get("common", []))
    return Framework(t["source"], classes, common, int(t["common_from_departments"]))


@functools.cache
def sector_keywords() -> dict[str, tuple[str, ...]]:
    """Each sector tag with the keywords that suggest it."""
    return {k: tuple(v) for k, v in _load("sectors.toml")["sectors"].items()}


def sectors_of(*names: str | None) -> tuple[str, ...]:
    """The sector tags whose keywords occur in any of ``names`` (project, department, unit)."""
    text = " ".join(n for n in names if n)
    return tuple(tag for tag, words in sector_keywords().items() if any(w in text for w in words))
