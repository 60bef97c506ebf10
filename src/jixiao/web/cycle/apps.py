from django.apps import AppConfig


class CycleConfig(AppConfig):
    """The yearly cycle: declarations, self-evaluations, review, publication."""

    name = "jixiao.web.cycle"
    verbose_name = "绩效管理"

    def ready(self) -> None:
        from django.core.checks import Tags, register

        from jixiao.web.private import check_private_data

        # the records' data and their source files must not be readable by other users of the machine
        register(check_private_data, Tags.security, deploy=True)
