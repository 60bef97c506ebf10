"""Settings for the whole test run."""

from __future__ import annotations

import importlib.util
import os
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    """Tests create many users: a fast hasher (production keeps Django's PBKDF2 default)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The OCR tests (marked ``ocr``) need the optional extra ``.[ocr]``: skipped, with the install
# command, where it is missing. CI runs them a second time with the extra installed and
# ``JIXIAO_REQUIRE_OCR=1``: there a missing extra is an error, never a skip.
HAVE_OCR = all(importlib.util.find_spec(m) is not None for m in ("rapidocr", "onnxruntime", "cv2", "numpy"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the tests whose extra or data is missing, saying why, unless CI requires them."""
    _skip_ocr(items)
    _skip_shared(items)


def _skip_ocr(items: list[pytest.Item]) -> None:
    """Skip the tests marked ``ocr`` with the command that installs the extra, unless it is required."""
    if HAVE_OCR:
        return
    if os.environ.get("JIXIAO_REQUIRE_OCR"):
        raise pytest.UsageError("the OCR extra is required here but not installed: pip install -e '.[ocr]'")
    skip = pytest.mark.skip(reason="OCR extra not installed: pip install -e '.[ocr]'")
    for item in items:
        if "ocr" in item.keywords:
            item.add_marker(skip)


# The tests marked ``shared`` read the seeds, gold and corpus of ../shared (tests/shared.py). A clone
# without them runs the rest and shows these as skipped with the reason; CI sets JIXIAO_REQUIRE_SHARED=1,
# where their absence stops the run instead of skipping quietly.
def _skip_shared(items: list[pytest.Item]) -> None:
    from tests.shared import FOUND, MISSING_REASON

    if FOUND is not None:
        return
    needing = [item for item in items if item.get_closest_marker("shared") is not None]
    if needing and os.environ.get("JIXIAO_REQUIRE_SHARED"):
        raise pytest.UsageError(f"JIXIAO_REQUIRE_SHARED is set but the tests' data is missing: {MISSING_REASON}")
    skip = pytest.mark.skip(reason=MISSING_REASON)
    for item in needing:
        # first, so that this reason is shown rather than pytest's "got empty parameter set"
        item.add_marker(skip, append=False)
