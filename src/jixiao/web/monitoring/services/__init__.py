"""Every write of monitoring: one transaction each, one permission decision, with its audit event.

- :mod:`.rounds`: opening a round (its records and rows made from the approved declarations), closing it;
- :mod:`.records`: saving the monitoring form, its review steps;
- :mod:`.actions`: the actions that follow a form's alerts (raised, done, closed, reopened or cancelled);
- :mod:`.common`: the row input, locks, stale saves and the stored review.
"""

from jixiao.web.monitoring.services.actions import (
    NewAction,
    adjust_targets,
    alert_key,
    cancel_action,
    conclude_action,
    raise_action,
    submit_action,
)
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
    "NewAction",
    "Opened",
    "act",
    "adjust_targets",
    "alert_key",
    "cancel_action",
    "close_round",
    "conclude_action",
    "money_problems",
    "money_warnings",
    "open_round",
    "raise_action",
    "refresh_findings",
    "submission_problems",
    "submit_action",
    "update_record",
]
