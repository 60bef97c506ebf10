"""Tokens expire and say why they ended: tokens made before this expire 90 days after they were made."""

from datetime import timedelta

from django.db import migrations, models


def expire_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    ApiToken = apps.get_model("api", "ApiToken")
    for token in ApiToken.objects.all():
        token.expires_at = token.created_at + timedelta(days=90)
        token.revoked_reason = "owner" if token.revoked_at else ""
        token.save(update_fields=["expires_at", "revoked_reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="有效期至"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_reason",
            field=models.CharField(
                blank=True,
                default="",
                choices=[("owner", "本人撤销"), ("password", "密码已变更"), ("deactivated", "账户已停用")],
                max_length=20,
                verbose_name="撤销原因",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(expire_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="有效期至"),
        ),
    ]
