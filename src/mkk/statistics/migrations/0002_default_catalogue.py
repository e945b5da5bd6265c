"""Install the default catalogue, so that a fresh database can collect figures at once."""

from django.db import migrations


def forwards(apps, schema_editor):
    from mkk.statistics.catalogue import install

    install(lambda name: apps.get_model("statistics", name))


class Migration(migrations.Migration):
    dependencies = [("statistics", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
