"""Logging of the web application: one line per request, tracebacks only for server errors.

Django's request logger writes a warning, with the exception's traceback, for every 4xx response
(``Forbidden (Permission denied): …``). The server's access log (runserver's, gunicorn's
``--access-logfile``) already has one line for each request, and a refused action is in the audit log
(``DENIED``), so those warnings only repeat it, and their tracebacks look like crashes to whoever
reads the log. 5xx responses keep their record and traceback.
"""

from __future__ import annotations

import logging


class ServerErrorsOnly(logging.Filter):
    """Let through the request logger's records of server errors (5xx), and its records without a status."""

    def filter(self, record: logging.LogRecord) -> bool:
        """False for a record of a 4xx response."""
        status = getattr(record, "status_code", None)
        return not (isinstance(status, int) and status < 500)
