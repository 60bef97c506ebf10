from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """绩效运行监控: monitoring rounds and each project's 项目支出绩效目标执行监控表."""

    name = "jixiao.web.monitoring"
    verbose_name = "绩效运行监控"

    def ready(self) -> None:
        """The ``remind`` command reminds owners of overdue actions too."""
        from jixiao.web.monitoring.action_notices import action_reminders
        from jixiao.web.notices.services.notices import register_reminders

        register_reminders(action_reminders)
