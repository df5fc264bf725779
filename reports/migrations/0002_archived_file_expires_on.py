import datetime

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def list_exports_expire(apps, schema_editor):
    """List exports made before keeping periods existed get the same period, counted from when they were made."""
    ArchivedFile = apps.get_model("reports", "ArchivedFile")
    exports = list(ArchivedFile.objects.filter(report__isnull=True, expires_on__isnull=True))
    for stored in exports:
        made_on = timezone.localtime(stored.created_at).date()
        stored.expires_on = made_on + datetime.timedelta(days=settings.LIST_EXPORT_KEEP_DAYS)
    ArchivedFile.objects.bulk_update(exports, ["expires_on"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='archivedfile',
            name='expires_on',
            field=models.DateField(blank=True, db_index=True, null=True, verbose_name='kept until'),
        ),
        migrations.RunPython(list_exports_expire, migrations.RunPython.noop),
    ]
