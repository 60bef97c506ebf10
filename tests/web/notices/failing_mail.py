"""An e-mail backend whose server refuses every message (the notices tests' broken SMTP server)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend


class Backend(BaseEmailBackend):
    """Refuses to send, as an unreachable SMTP server does."""

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        raise ConnectionRefusedError("SMTP server refused the connection")
