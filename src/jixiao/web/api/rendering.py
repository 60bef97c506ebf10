"""JSON out with exact numbers: a ``Decimal`` is written with its own digits, never through a float.

Django's encoder writes a ``Decimal`` as a string and ``json`` would need a
float; the document JSON promises JSON numbers with the digits as stored
(``445000.00`` stays ``445000.00``), so the API writes its own JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from ninja.renderers import BaseRenderer
from pydantic import BaseModel

_FALLBACK = DjangoJSONEncoder()


def encode(value: Any) -> str:
    """Compact JSON text of ``value``; decimals keep their digits, dates and ids their ISO or text form."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"不能写出非有限数值 {value}")
        # str() of a finite Decimal is valid JSON number syntax (1E+2 included)
        return str(value)
    if isinstance(value, (str, int, float)):
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{json.dumps(str(k), ensure_ascii=False)}:{encode(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(encode(v) for v in value) + "]"
    if isinstance(value, BaseModel):
        return encode(value.model_dump())
    return encode(_FALLBACK.default(value))


class ExactJSONRenderer(BaseRenderer):
    """The API's renderer: :func:`encode` for every response body."""

    media_type = "application/json"
    charset = "utf-8"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> str:
        """The body of a response."""
        return encode(data)
