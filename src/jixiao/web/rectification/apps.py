from django.apps import AppConfig


class RectificationConfig(AppConfig):
    """整改事项: what a finding, a low score or a monitoring action leaves a project's unit to fix, until accepted."""

    name = "jixiao.web.rectification"
    verbose_name = "整改事项"

    def ready(self) -> None:
        """The daily reminder of overdue items joins the notices app's (``remind``)."""
        from jixiao.web.notices.services.notices import register_reminders
        from jixiao.web.rectification.notices import reminders

        register_reminders(reminders)
