"""API test fixtures: tokens for the ``world`` users and one object of every kind in Gjilan,
owned by Gjilan's police (so a focal point of Gjilan's centre for social work is "another
institution" and every Drenas user "another municipality")."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache

from mkk.api.services import token_create
from mkk.directory.models import EmergencyContact
from mkk.directory.models import InstitutionKind as K
from mkk.reports.models import MonitoringReport, ReportFile
from mkk.statistics import services as stat_services
from mkk.statistics.exchange import mapping_generate
from mkk.statistics.models import DataSet, Dhis2DataElementMap, Dhis2OrgUnitMap

from ..plans.helpers import make_plan


@dataclass
class Objects:
    plan: object
    action: object
    update: object
    submission: object
    report: object
    report_file: object
    contact: object
    police: object
    dhis2_org_unit: str
    dhis2_element: str


def token(user, name="test") -> str:
    return token_create(actor=user, name=name, days=30)[1]


def auth(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def gjilan_objects(world) -> Objects:
    g = world.gjilan
    police = g.inst(K.POLICE)
    plan = make_plan(g, lead_kind=K.POLICE, n_actions=2)
    action = plan.actions.order_by("pk").first()
    update = action.updates.create(
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        status="in_progress",
        narrative="Trajnimi i zyrtarëve u mbajt.",
        review_state="submitted",
    )
    submission = stat_services.submission_save(
        actor=None,
        institution=police,
        data_set=DataSet.objects.get(code="POLICE"),
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 3, 31),
        values={("POL_CASES", ""): 12},
        submit=True,
    )
    report = MonitoringReport.objects.create(
        mechanism=g.mechanism,
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 6, 30),
        status="published",
        title="Raporti i monitorimit 2024",
    )
    content = b"<!DOCTYPE html><html lang=sq><title>Raporti</title><p>Gjilan 2024</p>"
    folder = settings.PRIVATE_MEDIA_ROOT / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"api-test-{report.pk}.html"
    (folder / name).write_bytes(content)
    report_file = ReportFile.objects.create(
        report=report,
        format="html",
        language="sq",
        public=True,
        path=name,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )
    contact = EmergencyContact.objects.create(
        municipality=g.municipality, name_sq="Policia", numbers=["192"], free_of_charge=True
    )
    mapping_generate([police, g.inst(K.SOCIAL_WORK)])
    return Objects(
        plan=plan,
        action=action,
        update=update,
        submission=submission,
        report=report,
        report_file=report_file,
        contact=contact,
        police=police,
        dhis2_org_unit=Dhis2OrgUnitMap.objects.get(institution=police).org_unit_uid,
        dhis2_element=Dhis2DataElementMap.objects.get(
            element__code="POL_CASES", key=""
        ).data_element_uid,
    )
