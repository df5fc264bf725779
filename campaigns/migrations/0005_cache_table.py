"""The shared cache's table (the public feedback pages count posts in it), created by `migrate` itself so that no
deployment can forget it. With DJANGO_REDIS_URL set there is no database cache and nothing to create."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0004_feedback")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
