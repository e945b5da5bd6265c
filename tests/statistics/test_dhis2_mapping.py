"""The DHIS2 mapping table is saved by one service, all or nothing (issue 16)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from mkk.audit.models import AuditEntry
from mkk.directory.models import Institution
from mkk.statistics import services
from mkk.statistics.models import Dhis2OrgUnitMap

pytestmark = pytest.mark.django_db


def _org_unit_row(inst, uid: str) -> dict:
    return {
        "kind": "org_unit",
        "municipality": inst.municipality.code,
        "institution": inst.name_sq,
        "orgUnit": uid,
    }


def test_mapping_rows_are_saved_and_audited(world):
    police = world.drenas.inst("police")
    insts = Institution.objects.filter(municipality=police.municipality)
    rows = [_org_unit_row(police, "Ou123456789"), {"kind": "org_unit", "orgUnit": ""}]
    assert services.dhis2_mapping_load(actor=world.admin, rows=rows, institutions=insts) == 1
    mapping = Dhis2OrgUnitMap.objects.get(institution=police)
    assert mapping.org_unit_uid == "Ou123456789"
    entry = AuditEntry.objects.filter(object_type__endswith="dhis2orgunitmap").latest("pk")
    assert entry.actor_id == world.admin.pk


def test_one_bad_row_refuses_the_whole_table(world):
    police = world.drenas.inst("police")
    insts = Institution.objects.filter(municipality=police.municipality)
    rows = [
        _org_unit_row(police, "Ou123456789"),
        {"kind": "element", "element": "NO_SUCH", "dataElement": "De123456789"},
        {"kind": "something"},
    ]
    with pytest.raises(ValidationError) as refused:
        services.dhis2_mapping_load(actor=None, rows=rows, institutions=insts)
    assert refused.value.messages == [
        "Row 3: unknown element 'NO_SUCH'",
        "Row 4: kind must be element or org_unit",
    ]
    assert not Dhis2OrgUnitMap.objects.exists()
