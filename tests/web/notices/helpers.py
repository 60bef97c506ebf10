"""What the notices tests share: today's dates and setting a deadline as its page would."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from jixiao.web.notices.models import Stage
from jixiao.web.notices.services.deadlines import set_deadline
from tests.web.conftest import ctx


def today() -> datetime.date:
    """The server's today (Asia/Shanghai), as the rule reads it."""
    return timezone.localdate()


def days(n: int) -> datetime.date:
    """``n`` days from today (negative: in the past)."""
    return today() + datetime.timedelta(days=n)


def bureau_deadline(finance: Any, due: datetime.date, stage: Stage = Stage.DECLARATION, **scope: Any) -> Any:
    """The finance bureau's date for this year's ``stage``."""
    return set_deadline(ctx(finance), today().year, stage, due, **scope)
