"""The national role sees aggregates only (issue 12.9): figures per municipality, never a row
per case (reference, institution, dates, referral target) of any municipality."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mkk.cases import selectors, services
from tests.conftest import login

from .helpers import open_case

pytestmark = pytest.mark.django_db


def test_national_sees_figures_but_no_case_rows(client, world):
    police = world.gjilan.users["case_police"]
    case = open_case(police, external_reference="EXT-NAT-1")
    services.referral_send(
        actor=police, case=case, to_institution=world.gjilan.inst("social_work"), reason="r"
    )
    assert not selectors.reference_list(world.national, world.gjilan.municipality).exists()
    login(client, world.national)
    response = client.get(reverse("cases:index", kwargs={"code": "gjilan"}))
    assert response.status_code == 200
    body = response.content.decode()
    assert case.reference not in body
    assert world.gjilan.inst("social_work").name not in body
    # The coordinator of the municipality still sees the rows.
    login(client, world.gjilan.users["coordinator"])
    body = client.get(reverse("cases:index", kwargs={"code": "gjilan"})).content.decode()
    assert case.reference in body
