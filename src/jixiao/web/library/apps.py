from django.apps import AppConfig


class LibraryConfig(AppConfig):
    """指标库: the indicator library stored from every document jixiao holds, curated by the finance bureau."""

    name = "jixiao.web.library"
    verbose_name = "指标库"
