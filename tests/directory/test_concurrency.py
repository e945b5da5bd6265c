"""No lost update on the registry's edit forms (issue 12, item 3)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mkk.directory.models import InstitutionKind as K
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _form_data(response, **changes) -> dict:
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    data.update(changes)
    return data


def test_institution_second_save_refused_and_kept(world):
    inst = world.drenas.inst(K.POLICE)
    url = reverse("directory:institution_edit", kwargs={"pk": inst.pk})
    coordinator = world.drenas.users["coordinator"]
    anna, besa = Client(), Client()
    login(anna, coordinator)
    login(besa, coordinator)
    a, b = _form_data(anna.get(url)), _form_data(besa.get(url))
    assert anna.post(url, {**a, "phone": "038 111 222"}).status_code == 302
    response = besa.post(url, {**b, "email": "stacioni@example.org"})
    assert response.status_code == 200
    message = " ".join(response.context["form"].non_field_errors())
    assert "038 111 222" in message
    assert response.context["form"]["email"].value() == "stacioni@example.org"
    inst.refresh_from_db()
    assert inst.phone == "038 111 222" and inst.email != "stacioni@example.org"
    assert besa.post(url, _form_data(response)).status_code == 302
    inst.refresh_from_db()
    assert inst.email == "stacioni@example.org"
