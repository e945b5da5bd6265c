"""Linking a focal person to a membership carries the membership's version (issue 12, item 3):
two coordinators choosing different people at once, the second is told instead of
silently replacing the first choice."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mkk.directory.models import Membership
from mkk.directory.services import membership_focal_link
from tests.conftest import logged_in_clients


def _setup(world, language):
    police = world.drenas.inst("police")
    membership = Membership.objects.get(mechanism=world.drenas.mechanism, institution=police)
    first = world.drenas.users["focal_police"]
    first.first_name, first.last_name, first.email = "Arta", "Krasniqi", "arta@example.org"
    first.save()
    clients = logged_in_clients(world.drenas.users["coordinator"], language)
    url = reverse("accounts:focal_person", kwargs={"pk": membership.pk})
    return membership, first, url, clients


def _data(response) -> dict:
    form = response.context["form"]
    return {name: str(form[name].value() or "") for name in form.fields}


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "word"), [("sq", "Dikush tjetër"), ("sr-latn", "Neko")])
def test_second_focal_person_save_is_refused_and_keeps_the_choice(world, language, word):
    membership, arta, url, (anna, besa) = _setup(world, language)
    first, second = _data(anna.get(url)), _data(besa.get(url))
    assert first["version"] and second["version"]

    first["user"] = str(arta.pk)
    assert anna.post(url, first).status_code == 302
    second["user"] = ""  # Besa meant to leave nobody linked
    response = besa.post(url, second)
    assert response.status_code == 200  # refused, not a silent unlink
    form = response.context["form"]
    message = " ".join(form.non_field_errors())
    assert word in message and "Arta Krasniqi" in message, message  # what the other one did
    assert form["user"].value() in ("", None)  # Besa's choice is still in the form
    membership.refresh_from_db()
    assert membership.focal_user == arta
    # saving again on purpose (the form carries the new version) applies Besa's choice
    again = _data(response)
    assert again["version"] != second["version"]
    assert besa.post(url, again).status_code == 302
    membership.refresh_from_db()
    assert membership.focal_user is None


@pytest.mark.django_db
def test_focal_link_without_a_version_is_not_checked(world):
    """Callers without a form (commands, the demo data) pass no version."""
    membership, arta, _url, _clients = _setup(world, "sq")
    membership_focal_link(actor=world.drenas.users["coordinator"], membership=membership, user=arta)
    membership.refresh_from_db()
    assert membership.focal_user == arta
