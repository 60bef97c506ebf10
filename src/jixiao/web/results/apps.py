from django.apps import AppConfig


class ResultsConfig(AppConfig):
    """The budget proposals of evaluated projects, the finance bureau's decisions, the 结果应用情况 report."""

    name = "jixiao.web.results"
    verbose_name = "结果应用"
