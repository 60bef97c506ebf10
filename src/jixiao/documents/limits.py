"""How large an input may be, and how sizes are said to people (in MB, never in bytes).

A published form (text, Excel, Word, PDF) may have :data:`MAX_BYTES`; the document JSON that
``jixiao import`` writes may have :data:`MAX_JSON_BYTES`. A JSON repeats every label of every
indicator, so it is larger than the form it was read from (20 MB of the seeds' forms make a
47 MB JSON); its limit is set so that whatever a form within its limit gives can be read back,
and ``jixiao import`` refuses to write a JSON above it rather than write a file nothing reads.
"""

from __future__ import annotations

import math

MB = 1024 * 1024
MAX_BYTES = 20 * MB  # reliability.md: the size limit before parsing a published form
MAX_JSON_BYTES = 100 * MB  # a document JSON, as jixiao import writes it


def megabytes(size: int) -> str:
    """``20 MB``, ``20.1 MB``: one decimal, rounded up so that a file over a limit never reads as the limit."""
    tenths = math.ceil(size * 10 / MB)
    return f"{tenths // 10} MB" if tenths % 10 == 0 else f"{tenths / 10:.1f} MB"


def too_large(size: int, limit: int) -> str:
    """The refusal of a file above ``limit``: ``文件过大（20.1 MB，上限 20 MB）``."""
    return f"文件过大（{megabytes(size)}，上限 {megabytes(limit)}）"


def limit_for(suffix: str) -> int:
    """The size limit of a file with this extension (``.json`` has its own)."""
    return MAX_JSON_BYTES if suffix.lower() == ".json" else MAX_BYTES
