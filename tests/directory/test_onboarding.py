"""Onboarding a municipality without code: command and admin page, in one idempotent step."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from mkk.accounts.models import Role, User
from mkk.directory.models import Institution, InstitutionKind, Mechanism, Membership, Municipality
from mkk.directory.onboarding import TEMPLATE

pytestmark = pytest.mark.django_db
ARGS = [
    "--municipality",
    "peja",
    "--coordinator-email",
    "koordinatorja@peja.example",
    "--first-name",
    "Arta",
    "--last-name",
    "Berisha",
]


def _run(*args) -> str:
    out = io.StringIO()
    call_command("onboard_municipality", *args, stdout=out)
    return out.getvalue()


def test_command_sets_up_a_municipality_once(world):
    out = _run(*ARGS, "--actor", world.admin.username, "--decision-number", "01-016/1")
    peja = Municipality.objects.get(code="peja")
    mechanism = Mechanism.objects.get(municipality=peja)
    defaults = [row for row in TEMPLATE if row[5]]
    assert len(TEMPLATE) == len(InstitutionKind.choices) == 15
    assert Institution.objects.filter(municipality=peja).count() == len(defaults)
    assert Membership.objects.filter(mechanism=mechanism).count() == len(defaults)
    police = Institution.objects.get(municipality=peja, kind=InstitutionKind.POLICE)
    assert police.name_sq == "Policia e Kosovës – Stacioni Policor Pejë"
    assert police.name_sr == "Kosovska policija – Policijska stanica Peć"
    coordinator = User.objects.get(email="koordinatorja@peja.example")
    assert coordinator.role == Role.COORDINATOR and coordinator.municipality == peja
    assert not coordinator.has_usable_password()
    assert mechanism.coordinator == coordinator and mechanism.decision_number == "01-016/1"
    assert [m.to for m in mail.outbox] == [["koordinatorja@peja.example"]]
    assert "invited by e-mail" in out
    # Again: nothing twice, no second invitation.
    out = _run(*ARGS, "--actor", world.admin.username)
    assert "0 created" in out and "already had an account" in out
    assert Institution.objects.filter(municipality=peja).count() == len(defaults)
    assert Membership.objects.filter(mechanism=mechanism).count() == len(defaults)
    assert len(mail.outbox) == 1
    assert Mechanism.objects.get(pk=mechanism.pk).decision_number == "01-016/1"


def test_command_refuses_non_admins_and_another_persons_account(world):
    with pytest.raises(CommandError, match="may not"):
        _run(*ARGS, "--actor", world.drenas.users["coordinator"].username)
    world.drenas.users["viewer"].email = "viewer@drenas.example"
    world.drenas.users["viewer"].save()
    args = [a if a != "koordinatorja@peja.example" else "viewer@drenas.example" for a in ARGS]
    with pytest.raises(CommandError, match="exists already|ekziston tashmë"):
        _run(*args, "--actor", world.admin.username)
    assert not Mechanism.objects.filter(municipality__code="peja").exists()  # all or nothing


def test_existing_institutions_are_reused(world):
    _run(*[a if a != "peja" else "drenas" for a in ARGS], "--actor", world.admin.username)
    police = Institution.objects.filter(municipality=world.drenas.municipality, kind="police")
    assert police.count() == 1 and police.get() == world.drenas.inst("police")


def test_admin_page(client, login_as, world):
    url = reverse("admin:directory_municipality_onboard")
    login_as(world.admin)
    assert client.get(reverse("admin:directory_municipality_changelist")).status_code == 200
    assert url in client.get(reverse("admin:directory_municipality_changelist")).content.decode()
    assert client.get(url).status_code == 200
    peja = Municipality.objects.get(code="peja")
    data = {
        "municipality": peja.pk,
        "coordinator_email": "k@peja.example",
        "coordinator_first_name": "Arta",
        "coordinator_last_name": "Berisha",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert Mechanism.objects.get(municipality=peja).coordinator.email == "k@peja.example"
    response = client.post(url, {**data, "coordinator_email": ""})
    assert response.status_code == 200 and Mechanism.objects.filter(municipality=peja).count() == 1
    login_as(world.drenas.users["coordinator"])
    assert client.get(url).status_code in (302, 403)
