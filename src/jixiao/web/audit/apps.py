from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only audit log."""

    name = "jixiao.web.audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from jixiao.web.audit import checks  # noqa: F401  (registers the deployment check of the log's protection)
