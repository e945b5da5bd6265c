"""All of Kosovo in the directory (data migration) and the reporting levels of institutions."""

import pytest
from django.core.exceptions import ValidationError

from mkk.directory import demo
from mkk.directory.kosovo import ensure_kosovo
from mkk.directory.models import Institution, Municipality, Region, ReportingLevel

POLICE_REGIONS = {
    "prishtina",
    "mitrovica-south",
    "mitrovica-north",
    "peja",
    "prizren",
    "gjakova",
    "gjilan",
    "ferizaj",
}


@pytest.fixture
def kosovo(db):
    """What the data migration installs (again, if a transactional test flushed it)."""
    ensure_kosovo()


def test_migration_puts_all_38_municipalities_in_eight_police_regions(kosovo):
    assert set(Region.objects.values_list("code", flat=True)) == POLICE_REGIONS
    kosovo = Municipality.objects.filter(region__isnull=False)
    assert kosovo.count() == 38
    for m in kosovo:
        assert m.name_sq and m.name_sr and m.name_en, m.code
    by_region = {
        r.code: set(r.municipalities.values_list("code", flat=True)) for r in Region.objects.all()
    }
    assert by_region["prizren"] == {"prizren", "suhareka", "dragash", "mamusha"}
    assert by_region["mitrovica-north"] == {"mitrovica-north", "zvecan", "zubin-potok", "leposaviq"}
    assert "drenas" in by_region["prishtina"] and "gjilan" in by_region["gjilan"]
    assert sum(len(v) for v in by_region.values()) == 38


def test_population_only_with_its_source_and_year(kosovo):
    with_population = Municipality.objects.filter(population__isnull=False)
    assert with_population.exists()
    for m in with_population:
        assert m.population_year == 2024 and "Census 2024" in m.population_source, m.code
    for m in Municipality.objects.filter(population__isnull=True):
        assert m.population_year is None and m.population_source == "", m.code
    # The boycotted northern census counts are not populations: left empty.
    north = Municipality.objects.filter(region__code="mitrovica-north")
    assert not north.filter(population__isnull=False).exists()


@pytest.mark.django_db
def test_world_uses_the_migrated_rows(world):
    assert world.drenas.municipality.region.code == "prishtina"
    assert world.gjilan.municipality.region.code == "gjilan"
    assert Municipality.objects.filter(code="drenas").count() == 1


@pytest.mark.django_db
def test_demo_levels_do_not_double_count_police():
    loaded = demo.load()
    gjilan_police = loaded["gjilan"]["police"]
    drenas_police = loaded["drenas"]["police"]
    assert gjilan_police.level == ReportingLevel.REGIONAL
    assert gjilan_police.served_region_id == Region.objects.get(code="gjilan").pk
    assert drenas_police.level == ReportingLevel.MUNICIPAL
    assert drenas_police.served_region_id == Region.objects.get(code="prishtina").pk
    assert loaded["gjilan"]["mpms"].served_region_id is None
    # Loading twice changes nothing (idempotent) and keeps one row per institution.
    demo.load()
    ensure_kosovo()
    assert Municipality.objects.filter(region__isnull=False).count() == 38
    assert Institution.objects.filter(name_sq=gjilan_police.name_sq).count() == 1


@pytest.mark.django_db
def test_only_a_regional_institution_names_a_region(world):
    inst = world.drenas.inst("police")
    inst.region = Region.objects.get(code="peja")
    with pytest.raises(ValidationError) as exc:
        inst.full_clean()
    assert "region" in exc.value.message_dict
    inst.level = ReportingLevel.REGIONAL
    inst.full_clean()
    assert inst.served_region_id == inst.region_id
