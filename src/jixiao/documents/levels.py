"""Carrying the level-1 and level-2 labels of the indicator tree down over merged cells.

A merged label cell prints once, on the first row of its span (or, in some
extractions, in the middle of it, or after a page break). The tracker keeps
the labels in force, infers a missing level 1 from its level 2's class
(数量指标 belongs to 产出指标), and lets a level-1 label printed late rename
the rows of its group that were already read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.documents.vocab import CLASS_NAMES, LEVEL1, LEVEL2, squeeze, strip_weight


def clean_label(text: str) -> str:
    """A label as stored: spaces removed and any ``(50分)`` weight dropped."""
    label, _ = strip_weight(squeeze(text))
    return label


def class_of_level1(label: str | None) -> str | None:
    """The standard class of a printed level-1 label, or None when unknown."""
    return LEVEL1.get(label or "")


@dataclass
class LevelTracker:
    """The labels in force while reading down the table."""

    level1: str | None = None
    level2: str | None = None
    # Level 1 was inferred from a level 2's class, not printed (yet).
    inferred: bool = False
    # Indexes of rows read under the current level 1, so a late label can rename them.
    group: list[int] = field(default_factory=list)

    def set_level1(self, text: str) -> str | None:
        """A printed level-1 label; returns it when the rows already read under it must be renamed."""
        label = clean_label(text)
        same_class = class_of_level1(label) is not None and class_of_level1(label) == class_of_level1(self.level1)
        if self.inferred and self.group and same_class:
            # Printed in the middle of its merged cell: the group read so far is its.
            self.level1, self.inferred = label, False
            return label
        self.level1, self.inferred, self.group = label, False, []
        if self.level2 is not None and LEVEL2.get(self.level2) != class_of_level1(label):
            self.level2 = None
        return None

    def set_level2(self, text: str) -> None:
        """A printed level-2 label; infers level 1 from its class when that does not fit."""
        label = clean_label(text)
        cls = LEVEL2.get(label)
        self.level2 = label
        if cls is None:
            return
        current = class_of_level1(self.level1)
        # 成本指标 is an output-class level 2 in LEVEL2, so under 产出 it keeps 产出 (the older tree)
        if self.level1 is None or (current is not None and current != cls):
            self.level1 = CLASS_NAMES[cls]
            self.inferred = True
            self.group = []

    def set_unknown_level1(self, text: str, level2: str) -> None:
        """A level-1 cell that is no known label (an OCR misreading such as 厂址指标): use level 2's class."""
        cls = LEVEL2.get(clean_label(level2))
        if cls is not None:
            self.level1 = CLASS_NAMES[cls]
            self.inferred = False
            self.group = []
        else:
            self.level1 = clean_label(text)

    def current(self) -> tuple[str, str | None]:
        """(level1, level2) for the next indicator row."""
        return self.level1 or "", self.level2
