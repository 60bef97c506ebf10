from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API for programs: documents, projects, findings, review actions, summaries."""

    name = "jixiao.web.api"
    verbose_name = "接口"
