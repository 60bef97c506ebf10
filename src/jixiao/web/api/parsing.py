"""JSON in with exact numbers: a request body's numbers are read as ``Decimal``, never through a float.

A monitoring save sends money (``1234567890123456.78``); read as a float it
would lose its last fen without a word. The API's parser reads every number
with a fraction or an exponent as a ``Decimal``, which the schemas then check
against their columns (digits, places, range).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, cast

from django.http import HttpRequest
from ninja.parser import Parser


class ExactParser(Parser):
    """Ninja's JSON parser with ``parse_float=Decimal``."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        """The body as JSON, its decimal numbers exact."""
        return cast(dict[str, Any], json.loads(request.body, parse_float=Decimal))
