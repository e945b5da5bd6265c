"""No lost update on a report's texts (issue 12, item 3)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ..conftest import login
from .test_workflow import draft  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _form_data(response, **changes) -> dict:
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            data[name] = str(value)
    data.update(changes)
    return data


def test_report_texts_second_save_refused_and_kept(draft, gjilan_coordinator):  # noqa: F811
    url = reverse("reports:detail", kwargs={"pk": draft.pk})
    edit = reverse("reports:edit", kwargs={"pk": draft.pk})
    anna, besa = Client(), Client()
    login(anna, gjilan_coordinator)
    login(besa, gjilan_coordinator)
    a, b = _form_data(anna.get(url)), _form_data(besa.get(url))
    assert a["version"]
    assert anna.post(edit, {**a, "challenges": "Sfida e Anës."}).status_code == 302
    response = besa.post(edit, {**b, "recommendations": "Rekomandimi i Besës."})
    assert response.status_code == 400  # the page comes back with the reason, not a 500
    form = response.context["form"]
    assert "Sfida e Anës." in " ".join(form.non_field_errors())
    assert form["recommendations"].value() == "Rekomandimi i Besës."
    draft.refresh_from_db()
    assert draft.challenges == "Sfida e Anës." and draft.recommendations == "Rekomandim."
