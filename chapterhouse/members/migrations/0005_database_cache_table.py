"""The database cache's table (settings.CACHES without REDIS_URL), where rate-limit counters
are shared by every server process. `createcachetable` makes the table of each database cache
in settings.CACHES that does not exist yet, so `migrate` (and the test database) need no extra
step; with Redis configured it does nothing."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("members", "0004_member_is_resource_editor")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
