from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """People, their one role each, login and logout."""

    name = "jixiao.web.accounts"
    verbose_name = "用户与角色"

    def ready(self) -> None:
        from jixiao.web.accounts import signals  # noqa: F401  (connects the login audit receivers)
