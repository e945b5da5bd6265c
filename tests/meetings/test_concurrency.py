"""No lost update on meeting forms (issue 12, item 3): two coordinators, one meeting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from mkk.meetings import services
from mkk.meetings.models import Decision, Meeting
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _form_data(response, **changes) -> dict:
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    data.update(changes)
    return data


def _two(world):
    coordinator = world.drenas.users["coordinator"]
    anna, besa = Client(), Client()
    login(anna, coordinator)
    login(besa, coordinator)
    return anna, besa


def test_meeting_second_save_refused_and_typed_text_kept(world):
    meeting = Meeting(
        mechanism=world.drenas.mechanism, date=dt.date(2025, 3, 12), status="held", place="Salla 1"
    )
    services.meeting_save(actor=world.drenas.users["coordinator"], meeting=meeting, agenda="Hapja")
    url = reverse("meetings:edit", kwargs={"pk": meeting.pk})
    anna, besa = _two(world)
    a, b = _form_data(anna.get(url)), _form_data(besa.get(url))
    assert anna.post(url, {**a, "place": "Salla e Kuvendit"}).status_code == 302
    response = besa.post(url, {**b, "agenda": "Hapja\nRastet e reja"})
    assert response.status_code == 200
    message = " ".join(response.context["form"].non_field_errors())
    assert "Salla 1" in message and "Salla e Kuvendit" in message
    assert "Rastet e reja" in response.context["form"]["agenda"].value()
    meeting.refresh_from_db()
    assert meeting.place == "Salla e Kuvendit"
    assert [a.title for a in meeting.agenda_items.all()] == ["Hapja"]
    again = _form_data(response)
    assert besa.post(url, again).status_code == 302
    assert [a.title for a in meeting.agenda_items.order_by("order")] == ["Hapja", "Rastet e reja"]


def test_decision_text_second_save_refused(world):
    meeting = Meeting.objects.create(
        mechanism=world.drenas.mechanism, date=dt.date(2025, 3, 12), status="held"
    )
    decision = Decision.objects.create(meeting=meeting, number=1, text="Vendimi i parë")
    url = reverse("meetings:decision_edit", kwargs={"pk": decision.pk})
    anna, besa = _two(world)
    a, b = _form_data(anna.get(url)), _form_data(besa.get(url))
    assert anna.post(url, {**a, "text": "Vendimi i Anës"}).status_code == 302
    response = besa.post(url, {**b, "text": "Vendimi i Besës"})
    assert response.status_code == 200
    assert "Vendimi i Anës" in " ".join(response.context["form"].non_field_errors())
    assert response.context["form"]["text"].value() == "Vendimi i Besës"
    decision.refresh_from_db()
    assert decision.text == "Vendimi i Anës"


def test_attendance_second_save_refused(world):
    from mkk.directory.models import InstitutionKind as K

    meeting = Meeting.objects.create(
        mechanism=world.drenas.mechanism, date=dt.date(2025, 3, 12), status="held"
    )
    url = reverse("meetings:attendance", kwargs={"pk": meeting.pk})
    anna, besa = _two(world)
    a, b = _form_data(anna.get(url)), _form_data(besa.get(url))
    police = world.drenas.inst(K.POLICE).pk
    a.update({f"status_{police}": "present", f"person_{police}": "Arta Testi"})
    assert anna.post(url, a).status_code == 302
    b.update({f"status_{police}": "absent"})
    response = besa.post(url, b)
    assert response.status_code == 200
    assert "Arta Testi" in " ".join(response.context["form"].non_field_errors())
    assert meeting.attendance.get().status == "present"
