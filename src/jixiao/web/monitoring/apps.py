from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """绩效运行监控: monitoring rounds and each project's 项目支出绩效目标执行监控表."""

    name = "jixiao.web.monitoring"
    verbose_name = "绩效运行监控"

    def ready(self) -> None:
        """The daily reminders of late monitoring forms and of overdue actions join the notices app's (``remind``)."""
        from jixiao.web.monitoring.action_notices import action_reminders
        from jixiao.web.monitoring.notices import monitoring_reminders
        from jixiao.web.notices.services.notices import register_reminders

        register_reminders(monitoring_reminders)
        register_reminders(action_reminders)
