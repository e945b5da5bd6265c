"""The sex breakdown reads as report rows in every language: Femra/Meshkuj, Žene/Muškarci."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from mkk.statistics.catalogue import ensure_default_catalogue
from mkk.statistics.models import DisaggregationOption

pytestmark = pytest.mark.django_db
rename = importlib.import_module("mkk.statistics.migrations.0003_serbian_sex_options")


def _names():
    ensure_default_catalogue()
    return {
        o.code: (o.name_sq, o.name_sr)
        for o in DisaggregationOption.objects.filter(disaggregation__code="sex")
    }


def test_default_catalogue_names_women_and_men():
    assert _names() == {"female": ("Femra", "Žene"), "male": ("Meshkuj", "Muškarci")}


def test_migration_renames_the_old_default_and_keeps_an_edited_name():
    ensure_default_catalogue()
    options = DisaggregationOption.objects.filter(disaggregation__code="sex")
    options.filter(code="female").update(name_sr="Ženski")
    options.filter(code="male").update(name_sr="Muški pol")  # edited by a coordinator
    rename.forwards(apps, None)
    assert _names() == {"female": ("Femra", "Žene"), "male": ("Meshkuj", "Muški pol")}
