"""All 38 municipalities of Kosovo with their police region and, where public, population.

The data and its sources are in ``mkk/directory/kosovo.py`` (Kosovo Police regional
directorates; Kosovo Agency of Statistics, Census 2024), shared with the demo loader and the
tests, which install it again idempotently after a database flush.
"""

from django.db import migrations

from mkk.directory.kosovo import REGIONS, install


def forward(apps, schema_editor):
    install(lambda name: apps.get_model("directory", name))


def backward(apps, schema_editor):
    Municipality = apps.get_model("directory", "Municipality")
    Region = apps.get_model("directory", "Region")
    Municipality.objects.update(region=None)
    Region.objects.filter(code__in=[r[0] for r in REGIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_regions_levels")]

    operations = [migrations.RunPython(forward, backward)]
