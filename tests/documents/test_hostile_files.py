"""The hostile-file suite: every bomb is refused by the reader, naming the file, within 10 s and 300 MB.

Each file is read in a fresh process (``tests.hostile.read_in_child``), so the time and the peak resident
memory are those of the process that reads it, libraries included, as in the import worker. The figures
of each bomb are printed (``pytest -s``) and measured at full size by ``benchmarks/bench_hostile.py``.
"""

from __future__ import annotations

import pytest

from tests.hostile import BOMBS, REASONS, make, read_in_child

SECONDS = 10.0
PEAK_MB = 300.0


@pytest.mark.slow
@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_a_bomb_is_refused_in_bounded_time_and_memory(bomb: str) -> None:
    """The bomb is refused with its file named and the reason, within 10 s and 300 MB peak in the reading process."""
    name, data = make(bomb)
    assert len(data) < 20 * 1024 * 1024  # every one of them passes the upload's size limit
    outcome = read_in_child(data, name)
    print(f"{bomb}: {len(data)} bytes, {outcome.seconds:.2f} s, peak {outcome.peak_mb:.0f} MB — {outcome.message}")
    assert outcome.refused, outcome.message
    assert outcome.file == name
    assert REASONS[bomb] in outcome.message, outcome.message
    assert outcome.seconds < SECONDS, f"took {outcome.seconds:.1f} s"
    assert outcome.peak_mb < PEAK_MB, f"peak {outcome.peak_mb:.0f} MB"
