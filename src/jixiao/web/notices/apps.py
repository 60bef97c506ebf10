from django.apps import AppConfig


class NoticesConfig(AppConfig):
    """Deadlines of the cycle's stages, in-app notices and e-mail, batch approval."""

    name = "jixiao.web.notices"
    verbose_name = "截止日期与通知"
