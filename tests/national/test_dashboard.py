"""The national dashboard: completeness of all 38 municipalities, totals, mechanisms, export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from mkk.directory.models import InstitutionKind as K
from mkk.directory.models import Municipality, ReportingLevel
from mkk.national import selectors
from mkk.statistics.comparison import compare_range
from mkk.statistics.models import Status, Submission
from tests.factories import InstitutionFactory
from tests.statistics.conftest import make_submission

pytestmark = pytest.mark.django_db
Q1 = (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
URL = reverse("national:dashboard") + "?period_type=quarter&day=2025-02-01"


@pytest.fixture
def figures(world):
    from mkk.statistics.catalogue import ensure_default_catalogue

    ensure_default_catalogue()
    dr = InstitutionFactory(
        municipality=world.gjilan.municipality,
        kind=K.POLICE,
        name_sq="DRP Gjilan",
        level=ReportingLevel.REGIONAL,
    )
    make_submission(dr, "POLICE", *Q1, {("POL_CASES", ""): 41})
    make_submission(
        dr, "POLICE", dt.date(2024, 1, 1), dt.date(2024, 3, 31), {("POL_CASES", ""): 30}
    )
    on_time = dt.datetime(2025, 4, 3, 10, tzinfo=dt.UTC)
    sub = make_submission(
        world.drenas.inst(K.POLICE), "POLICE", *Q1, {("POL_CASES", ""): 12}, status=Status.SUBMITTED
    )
    Submission.objects.filter(pk=sub.pk).update(submitted_at=on_time)
    sub = make_submission(
        world.gjilan.inst(K.SOCIAL_WORK), "SOCIAL_WORK", *Q1, {("QPS_VICTIMS", ""): 9}
    )
    Submission.objects.filter(pk=sub.pk).update(submitted_at=on_time, approved_at=on_time)
    return dr


def _page(client, url=URL):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_national_role_sees_all_municipalities_and_the_same_numbers(
    client, login_as, world, figures
):
    login_as(world.national)
    html = _page(client)
    result = compare_range(national=True, start=Q1[0], end=Q1[1])
    assert result.totals.value("POL_CASES") == 53
    assert result.regions["gjilan"].value("POL_CASES") == 41
    assert result.regions["prishtina"].value("POL_CASES") == 12
    assert "<td>53</td>" in html and "<td>41</td>" in html and "<td>12</td>" in html
    matrix = selectors.completeness_matrix(*Q1)
    assert len(matrix.rows) == Municipality.objects.count() >= 38
    for m in Municipality.objects.all():
        assert m.name_sq in html
    cells = {row.municipality.code: row.cells for row in matrix.rows}
    police = [i for i, ds in enumerate(matrix.data_sets) if ds.code == "POLICE"][0]
    assert cells["drenas"][police].state == "submitted"
    # Gjilan's own station has not submitted; the Directorate's figures came in (today,
    # long after the deadline) and are Kamenica's only police figures.
    assert cells["gjilan"][police].state == "missing" and cells["gjilan"][police].units == 2
    assert cells["kamenica"][police].state == "late" and cells["kamenica"][police].units == 1
    assert cells["peja"][police].state == "none"
    social = [i for i, ds in enumerate(matrix.data_sets) if ds.code == "SOCIAL_WORK"][0]
    assert cells["gjilan"][social].state == "approved"
    assert cells["drenas"][social].state == "missing" and cells["drenas"][social].overdue
    # Never a case: no case page or identity is linked from it.
    assert "/cases/" not in html


def test_query_count_does_not_grow_with_municipalities(client, login_as, world, figures):
    login_as(world.national)
    _page(client)
    with CaptureQueriesContext(connection) as small:
        _page(client)
    for m in Municipality.objects.filter(region__code="peja"):
        inst = InstitutionFactory(municipality=m, kind=K.POLICE, name_sq=f"SP {m.code}")
        make_submission(inst, "POLICE", *Q1, {("POL_CASES", ""): 3})
        InstitutionFactory(municipality=m, kind=K.SHELTER, name_sq=f"Strehimore {m.code}")
    with CaptureQueriesContext(connection) as large:
        html = _page(client)
    assert len(large.captured_queries) == len(small.captured_queries) < 40
    assert "Pejë" in html


@pytest.mark.parametrize("role", ["coordinator", "viewer"])
def test_other_roles_are_refused(client, login_as, world, role):
    login_as(world.drenas.users[role])
    assert client.get(URL).status_code == 403
    assert client.get(reverse("national:export_csv")).status_code == 403


def test_completeness_page_answers_the_national_role(client, login_as, world, figures):
    url = (
        reverse("statistics:completeness", kwargs={"code": "drenas"})
        + "?period_type=quarter&day=2025-02-01"
    )
    login_as(world.national)
    html = _page(client, url)
    assert "/statistics/submissions/" not in html  # no record behind it
    login_as(world.drenas.users["viewer"])
    assert client.get(url).status_code == 403


def test_exports(client, login_as, world, figures):
    login_as(world.national)
    q = "?period_type=quarter&day=2025-02-01"
    csv_text = client.get(reverse("national:export_csv") + q).content.decode()
    assert "DRP Gjilan" in csv_text and ",41" in csv_text and ",12" in csv_text
    response = client.get(reverse("national:export_xlsx") + q)
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    kosovo = [r for r in rows[1:] if r[2] == "POL_CASES" and not r[3]][0]
    assert (kosovo[5], kosovo[6]) == (53, 30)
    assert len(list(wb.worksheets[1].iter_rows())) == 1 + Municipality.objects.count()
    # DHIS2 without a mapping: a clear message, nothing half-written.
    response = client.get(reverse("national:export_dhis2") + q, follow=True)
    assert response.status_code == 200 and "DHIS2" in response.content.decode()
