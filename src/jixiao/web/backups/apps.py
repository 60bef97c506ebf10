from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """Backup and restore of the database and the uploaded files (``jixiao backup`` / ``jixiao restore``)."""

    name = "jixiao.web.backups"
    verbose_name = "备份与恢复"
