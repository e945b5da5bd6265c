"""No lost update on a case's protection order (issue 12, item 3): two case workers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from mkk.cases import services
from tests.conftest import login

from .helpers import open_case

pytestmark = pytest.mark.django_db


def _form_data(response, **changes) -> dict:
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = value.isoformat() if isinstance(value, dt.date) else str(value)
    data.update(changes)
    return data


def test_protection_order_second_save_refused_and_kept(world):
    police = world.drenas.users["case_police"]
    case = open_case(police)
    order = services.child_add(
        actor=police,
        case=case,
        record_type="order",
        kind="interim_police",
        status="requested",
        requested_on=dt.date(2026, 1, 5),
    )
    url = reverse("cases:child_edit", kwargs={"kind": "order", "pk": order.pk})
    anna, besa = Client(), Client()
    login(anna, police)
    login(besa, police)
    a, b = _form_data(anna.get(url)), _form_data(besa.get(url))
    assert a["version"]
    issued = {"status": "issued", "decided_on": "2026-01-07"}
    assert anna.post(url, {**a, **issued}).status_code == 302
    response = besa.post(url, {**b, "requested_on": "2026-01-06"})
    assert response.status_code == 200
    assert "2026-01-07" in " ".join(response.context["form"].non_field_errors())
    assert str(response.context["form"]["requested_on"].value()) == "2026-01-06"
    order.refresh_from_db()
    assert order.status == "issued" and order.requested_on == dt.date(2026, 1, 5)


def test_consent_second_save_refused_and_kept(world):
    police = world.drenas.users["case_police"]
    case = open_case(police)
    url = reverse("cases:consent", kwargs={"pk": case.pk})
    anna, besa = Client(), Client()
    login(anna, police)
    login(besa, police)
    a, b = _form_data(anna.get(url)), _form_data(besa.get(url))
    assert a["version"]
    said_no = {"consent_to_share": "no", "consent_date": "2026-01-07"}
    assert anna.post(url, {**a, **said_no}).status_code == 302
    typed = {"consent_to_share": "yes", "consent_date": "2026-01-08"}
    response = besa.post(url, {**b, **typed})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "2026-01-07" in errors
    assert response.context["form"]["consent_to_share"].value() == "yes"
    assert str(response.context["form"]["consent_date"].value()) == "2026-01-08"
    case.refresh_from_db()
    assert case.consent_to_share == "no" and case.consent_date == dt.date(2026, 1, 7)
    # saving again now deliberately keeps this user's entries
    again = {**_form_data(response), **typed}
    assert besa.post(url, again).status_code == 302
    case.refresh_from_db()
    assert case.consent_to_share == "yes"


def test_deadline_table_second_save_refused_and_kept(world):
    coordinator = world.drenas.users["coordinator"]
    url = reverse("cases:deadlines", kwargs={"code": world.drenas.municipality.code})
    anna, besa = Client(), Client()
    login(anna, coordinator)
    login(besa, coordinator)
    a, b = _form_data(anna.get(url)), _form_data(besa.get(url))
    assert a["version"]
    row = {"from_kind": "police", "to_kind": "social_work", "urgency": "normal"}
    assert anna.post(url, {**a, **row, "hours": "12"}).status_code == 302
    response = besa.post(url, {**b, **row, "hours": "48"})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "“12”" in errors
    assert str(response.context["form"]["hours"].value()) == "48"
    stored = services.deadline_hours(municipality=world.drenas.municipality, **row)
    assert stored == 12
    # saving again now deliberately keeps this user's entry
    assert besa.post(url, {**_form_data(response), "hours": "48"}).status_code == 302
    assert services.deadline_hours(municipality=world.drenas.municipality, **row) == 48


def test_identity_correction_second_save_refused_and_kept(world):
    """Two case workers correct the same identity: the second is refused in Albanian (the
    default language), keeps what was typed, and nothing of the identity is in the version."""
    from django.core import signing

    from mkk.cases.models import VictimIdentity

    from .helpers import NAME, NUMBER

    police = world.drenas.users["case_police"]
    case = open_case(police)
    url = reverse("cases:identity_edit", kwargs={"pk": case.pk})
    anna, besa = Client(), Client()
    login(anna, police)
    login(besa, police)
    a, b = _form_data(anna.get(url)), _form_data(besa.get(url))
    payload = signing.loads(a["version"], salt="mkk.web.concurrency")
    # both drew the same state (the signature's timestamp may differ by a second)
    assert payload == signing.loads(b["version"], salt="mkk.web.concurrency")
    shown = str(payload) + a["version"]
    for secret in (NAME, NUMBER, "1990-05-04", "Zana"):
        assert secret not in shown
    first = {
        "full_name": "Zana Testimi-Krasniqi",
        "personal_number": NUMBER,
        "date_of_birth": "1990-05-04",
        "reason": "Mbiemri pas martesës",
    }
    assert anna.post(url, {**a, **first}).status_code == 302
    typed = {
        "full_name": "Zana Testimi",
        "personal_number": NUMBER,
        "date_of_birth": "1990-05-14",
        "phone": "044 999 000",
        "reason": "Data e lindjes e gabuar",
    }
    response = besa.post(url, {**b, **typed})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "Dikush tjetër e ruajti këtë regjistrim" in errors
    assert "Zana" not in errors  # the other person's change is named, its value is not shown
    form = response.context["form"]
    for name, value in typed.items():
        assert str(form[name].value()) == value
    assert VictimIdentity.objects.get(case=case).full_name == "Zana Testimi-Krasniqi"
    # saving again now deliberately keeps this user's entries
    assert besa.post(url, {**_form_data(response), **typed}).status_code == 302
    row = VictimIdentity.objects.get(case=case)
    assert row.full_name == "Zana Testimi" and row.phone == "044 999 000"
