"""The coordinator keeps the registry up to date; nobody else can."""

import pytest
from django.urls import reverse

from mkk.audit.models import AuditEntry
from mkk.directory.models import EmergencyContact, GlossaryTerm, Membership
from mkk.directory.models import InstitutionKind as K
from tests.conftest import login


@pytest.mark.django_db
def test_coordinator_adds_a_member_with_focal_person(client, world):
    login(client, world.drenas.users["coordinator"])
    police = world.drenas.inst(K.POLICE)
    Membership.objects.filter(institution=police).delete()
    response = client.post(
        reverse("directory:membership_new", kwargs={"code": "drenas"}),
        {
            "institution": police.pk,
            "role": "member",
            "focal_person": "Rreshter Demo",
            "focal_person_email": "focal@demo.invalid",
            "since": "2025-01-01",
            "order": 1,
        },
    )
    assert response.status_code == 302
    m = Membership.objects.get(institution=police)
    assert m.focal_person == "Rreshter Demo" and m.mechanism == world.drenas.mechanism
    assert AuditEntry.objects.filter(
        object_type="directory.membership", object_id=str(m.pk), action="create"
    ).exists()


@pytest.mark.django_db
def test_member_of_another_municipality_cannot_be_chosen(client, world):
    login(client, world.drenas.users["coordinator"])
    response = client.post(
        reverse("directory:membership_new", kwargs={"code": "drenas"}),
        {"institution": world.gjilan.inst(K.POLICE).pk, "role": "member", "order": 1},
    )
    assert response.status_code == 200
    assert "institution" in response.context["form"].errors


@pytest.mark.django_db
def test_until_before_since_is_refused(client, world):
    login(client, world.drenas.users["coordinator"])
    m = Membership.objects.filter(mechanism=world.drenas.mechanism).first()
    response = client.post(
        reverse("directory:membership_edit", kwargs={"pk": m.pk}),
        {
            "institution": m.institution_id,
            "role": "member",
            "since": "2025-05-01",
            "until": "2025-01-01",
            "order": 0,
        },
    )
    assert response.status_code == 200 and "until" in response.context["form"].errors


@pytest.mark.django_db
def test_contact_numbers_kept_as_written_and_validated(client, world):
    login(client, world.drenas.users["coordinator"])
    url = reverse("directory:contact_new", kwargs={"code": "drenas"})
    bad = client.post(url, {"name_sq": "X", "numbers": "thirr policinë", "order": 0})
    assert bad.status_code == 200 and "numbers" in bad.context["form"].errors
    ok = client.post(
        url, {"name_sq": "Policia", "numbers": "038-584-092\n 0800 19 999 \n192", "order": 0}
    )
    assert ok.status_code == 302
    assert EmergencyContact.objects.get(name_sq="Policia").numbers == [
        "038-584-092",
        "0800 19 999",
        "192",
    ]


@pytest.mark.django_db
def test_posted_municipality_is_ignored(client, world):
    """Mass assignment: the owning municipality comes from the URL, never from the form."""
    login(client, world.drenas.users["coordinator"])
    client.post(
        reverse("directory:glossary_new", kwargs={"code": "drenas"}),
        {
            "abbreviation": "XYZ",
            "meaning_sq": "Diçka",
            "order": 0,
            "municipality": world.gjilan.municipality.pk,
        },
    )
    assert GlossaryTerm.objects.get(abbreviation="XYZ").municipality == world.drenas.municipality


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["focal_police", "case_police", "viewer"])
def test_other_roles_cannot_edit(client, world, who):
    login(client, world.drenas.users[who])
    assert (
        client.get(reverse("directory:mechanism_edit", kwargs={"code": "drenas"})).status_code
        == 403
    )
    contact = EmergencyContact.objects.create(
        municipality=world.drenas.municipality, name_sq="A", numbers=["1"]
    )
    assert (
        client.post(reverse("directory:contact_delete", kwargs={"pk": contact.pk})).status_code
        == 403
    )
    assert EmergencyContact.objects.filter(pk=contact.pk).exists()


@pytest.mark.django_db
def test_coordinator_edits_mechanism_decision(client, world):
    login(client, world.drenas.users["coordinator"])
    response = client.post(
        reverse("directory:mechanism_edit", kwargs={"code": "drenas"}),
        {
            "name_sq": "MKK",
            "name_sr": "OKM",
            "name_en": "MCM",
            "decision_number": "01-030/01-27874",
            "decision_date": "2024-06-11",
            "coordinator_name": "Arta Demo",
            "coordinator_title": "Koordinatore",
        },
    )
    assert response.status_code == 302
    world.drenas.mechanism.refresh_from_db()
    assert world.drenas.mechanism.decision_number == "01-030/01-27874"
    page = client.get(reverse("directory:municipality", kwargs={"code": "drenas"})).content.decode()
    assert "01-030/01-27874" in page and "11.06.2024" in page
