"""National default response deadlines for referrals (editable afterwards).

The Standard Operating Procedures for protection from domestic violence in Kosovo (2013,
revised since) ask the police to inform the victim advocate and the centre for social work
without delay and to place a victim in a shelter the same day; they set no hour count for
every path. These defaults follow them where they do ("24 hours" for the first contact) and
are a documented choice elsewhere: urgent shelter and health placement within 2 hours,
urgent social work and victim-advocate contact within 4 hours, free legal aid within
72 hours (24 urgent). Administrators change them in the admin; a municipal coordinator may
set overrides for the municipality on the cases' deadline page.
"""

from django.db import migrations

SOURCE = "SOP 2013 (default; configurable)"
DEFAULTS = [
    # to_kind, normal hours, urgent hours
    ("social_work", 24, 4),
    ("victim_advocate", 24, 4),
    ("shelter", 24, 2),
    ("health", 24, 2),
    ("police", 24, 1),
    ("legal_aid", 72, 24),
    ("other", 72, 24),
]


def add_defaults(apps, schema_editor):
    ReferralDeadline = apps.get_model("cases", "ReferralDeadline")
    for to_kind, normal, urgent in DEFAULTS:
        for urgency, hours in (("normal", normal), ("urgent", urgent)):
            ReferralDeadline.objects.get_or_create(
                municipality=None, from_kind="", to_kind=to_kind, urgency=urgency,
                defaults={"hours": hours, "source": SOURCE},
            )


def remove_defaults(apps, schema_editor):
    apps.get_model("cases", "ReferralDeadline").objects.filter(municipality=None, source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
