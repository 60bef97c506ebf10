from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only audit log."""

    name = "jixiao.web.audit"
    verbose_name = "审计日志"
