from django.apps import AppConfig


class OrgsConfig(AppConfig):
    """The organization tree: finance bureau, departments, units."""

    name = "jixiao.web.orgs"
    verbose_name = "组织机构"
