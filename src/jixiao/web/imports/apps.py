from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Importing published forms in the web: upload, preview, confirm."""

    name = "jixiao.web.imports"
    verbose_name = "文件导入"
