import pytest
from django.urls import reverse

from mkk.directory.models import EmergencyContact
from mkk.directory.models import InstitutionKind as K
from tests.conftest import login


@pytest.fixture
def contacts(world):
    EmergencyContact.objects.create(
        municipality=world.drenas.municipality, name_sq="Policia", numbers=["038-584-092", "192"]
    )
    EmergencyContact.objects.create(
        municipality=world.gjilan.municipality, name_sq="QPS Gjilan", numbers=["0280 000"]
    )


@pytest.mark.django_db
def test_coordinator_sees_mechanism_members_contacts(client, world, contacts):
    login(client, world.drenas.users["coordinator"])
    body = client.get(reverse("directory:municipality", kwargs={"code": "drenas"})).content.decode()
    assert world.drenas.inst(K.POLICE).name_sq in body
    assert "038-584-092" in body and 'href="tel:038584092"' in body
    assert "QPS Gjilan" not in body


@pytest.mark.django_db
def test_viewer_cannot_see_the_mechanism_page(client, world):
    login(client, world.drenas.users["viewer"])
    assert (
        client.get(reverse("directory:municipality", kwargs={"code": "drenas"})).status_code == 403
    )


@pytest.mark.django_db
def test_public_contacts_need_no_login(client, world, contacts):
    index = client.get(reverse("directory:public_index"))
    assert index.status_code == 200 and "Drenas" in index.content.decode()
    page = client.get(reverse("web:public_municipality", kwargs={"code": "drenas"}))
    body = page.content.decode()
    assert page.status_code == 200 and "038-584-092" in body and "QPS Gjilan" not in body
    # nothing but the contacts: no members, no focal persons
    assert world.drenas.inst(K.POLICE).name_sq not in body
    assert (
        client.get(reverse("web:public_municipality", kwargs={"code": "nowhere"})).status_code
        == 404
    )


@pytest.mark.django_db
def test_pages_need_login(client, world):
    response = client.get(reverse("directory:municipality", kwargs={"code": "drenas"}))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
