"""JSON out with exact numbers: a ``Decimal`` is written with its own digits, never through a float.

Django's encoder writes a ``Decimal`` as a string and ``json`` would need a
float; the document JSON promises JSON numbers with the digits as stored
(``445000.00`` stays ``445000.00``), so the API writes its own JSON.
"""

from __future__ import annotations

from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from ninja.renderers import BaseRenderer
from pydantic import BaseModel

from jixiao.core.serialize import json_text

_FALLBACK = DjangoJSONEncoder()


def _plain(value: Any) -> Any:
    """A value the core's encoder does not know, as one it does: a schema's fields, a date's ISO text."""
    if isinstance(value, BaseModel):
        return value.model_dump()
    return _FALLBACK.default(value)


def encode(value: Any) -> str:
    """Compact JSON text of ``value``; decimals keep their digits, dates and ids their ISO or text form."""
    return json_text(value, default=_plain)


class ExactJSONRenderer(BaseRenderer):
    """The API's renderer: :func:`encode` for every response body."""

    media_type = "application/json"
    charset = "utf-8"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> str:
        """The body of a response."""
        return encode(data)
