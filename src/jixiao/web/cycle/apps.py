from django.apps import AppConfig


class CycleConfig(AppConfig):
    """The yearly cycle: declarations, self-evaluations, review, publication."""

    name = "jixiao.web.cycle"
    verbose_name = "绩效管理"
