"""A label cell misread by one character is put right from the forms' vocabulary.

The recogniser confuses a few similar characters (门 and 内 in Song faces, 己 and 已): in a value
that is a misreading to report, but in a label it hides the field (「中央主管部内」 is no label, so
its value runs into the project name). A whole cell that differs from exactly one known label of
:mod:`jixiao.documents.vocab` in exactly one character, and from no other, is read as that label.
Only labels of four characters or more are matched, where one character cannot make another
label; values are never changed.
"""

from __future__ import annotations

from functools import cache

from jixiao.documents import vocab

MIN_LENGTH = 4


@cache
def known() -> frozenset[str]:
    """Every label the readers know, squeezed: field, fund row and column labels, indicator levels."""
    words: set[str] = set()
    # every table of the vocabulary module, so labels added there are matched here too
    for name in dir(vocab):
        table = getattr(vocab, name)
        if isinstance(table, dict):
            entries = list(table.values()) if name == "CLASS_NAMES" else list(table)
        elif isinstance(table, (frozenset, set, tuple)) and name.isupper():
            entries = list(table)
        else:
            continue
        words.update(vocab.squeeze(w) for w in entries if isinstance(w, str))
    return frozenset(w for w in words if len(w) >= MIN_LENGTH)


def _one_off(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def snap(text: str) -> str:
    """The label ``text`` was meant to be when it is one character off a single known label, else ``text``."""
    squeezed = vocab.squeeze(text)
    labels = known()
    if len(squeezed) < MIN_LENGTH or squeezed in labels:
        return text
    near = [label for label in labels if _one_off(squeezed, label)]
    return near[0] if len(near) == 1 else text
