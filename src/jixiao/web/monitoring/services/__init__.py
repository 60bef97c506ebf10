"""Every write of monitoring: one transaction each, one permission decision, with its audit event.

- :mod:`.rounds`: opening a round (its records and rows made from the approved declarations), closing it;
- :mod:`.records`: saving the monitoring form, its review steps;
- :mod:`.common`: the row input, locks, stale saves and the stored review.
"""

from jixiao.web.monitoring.services.common import (
    RECORD_FIELDS,
    ROW_FIELDS,
    MonitoringRowInput,
    money_problems,
    money_warnings,
    refresh_findings,
)
from jixiao.web.monitoring.services.records import REVIEW_STEPS, act, submission_problems, update_record
from jixiao.web.monitoring.services.rounds import Opened, close_round, open_round

__all__ = [
    "RECORD_FIELDS",
    "REVIEW_STEPS",
    "ROW_FIELDS",
    "MonitoringRowInput",
    "Opened",
    "act",
    "close_round",
    "money_problems",
    "money_warnings",
    "open_round",
    "refresh_findings",
    "submission_problems",
    "update_record",
]
