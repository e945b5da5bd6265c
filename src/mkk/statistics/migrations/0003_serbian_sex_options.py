"""Serbian names of the sex breakdown as report rows: "Žene" / "Muškarci" (like the Albanian
"Femra" / "Meshkuj"), not the adjectives "Ženski" / "Muški" of a form field. Only rows still
carrying the old default are renamed: a name a coordinator edited is kept."""

from django.db import migrations

RENAMES = {"female": ("Ženski", "Žene"), "male": ("Muški", "Muškarci")}


def forwards(apps, schema_editor):
    Option = apps.get_model("statistics", "DisaggregationOption")
    for code, (old, new) in RENAMES.items():
        Option.objects.filter(disaggregation__code="sex", code=code, name_sr=old).update(
            name_sr=new
        )


def backwards(apps, schema_editor):
    Option = apps.get_model("statistics", "DisaggregationOption")
    for code, (old, new) in RENAMES.items():
        Option.objects.filter(disaggregation__code="sex", code=code, name_sr=new).update(
            name_sr=old
        )


class Migration(migrations.Migration):
    dependencies = [("statistics", "0002_default_catalogue")]

    operations = [migrations.RunPython(forwards, backwards)]
