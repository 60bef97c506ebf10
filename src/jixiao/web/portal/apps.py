from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public disclosure pages: what has been published, for anyone."""

    name = "jixiao.web.portal"
    verbose_name = "信息公开"
