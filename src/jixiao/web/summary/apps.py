from django.apps import AppConfig


class SummaryConfig(AppConfig):
    """Summary tables (汇总表) and dashboards across many projects."""

    name = "jixiao.web.summary"
    verbose_name = "汇总与统计"
