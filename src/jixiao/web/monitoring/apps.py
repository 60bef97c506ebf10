from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """绩效运行监控: monitoring rounds and each project's 项目支出绩效目标执行监控表."""

    name = "jixiao.web.monitoring"
    verbose_name = "绩效运行监控"
