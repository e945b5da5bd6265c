"""The directory demo data: Drenas from its plan, Gjilan from its 2019 report."""

import datetime as dt

import pytest

from mkk.accounts import demo as accounts_demo
from mkk.accounts.models import Role, User
from mkk.directory import demo
from mkk.directory.models import EmergencyContact, GlossaryTerm, Institution, Membership


@pytest.fixture
def loaded(db):
    directory = demo.load()
    accounts_demo.load(directory)
    return directory


def test_drenas_mechanism_contacts_and_glossary(loaded):
    drenas = loaded["municipalities"]["drenas"]
    assert drenas.bilingual_name == "Drenas/Glogovac"
    mechanism = drenas.mechanism
    assert mechanism.decision_number == "01-030/01-27874"
    assert mechanism.decision_date == dt.date(2024, 6, 11)
    numbers = {c.name_sq: c.numbers for c in EmergencyContact.objects.filter(municipality=drenas)}
    assert numbers == {
        "Policia e Kosovës – Drenas/Gllogoc": ["038-584-092", "0800 19 999", "192"],
        "Qendra për Punë Sociale Drenas": ["038 584 356"],
        "Thirrjet emergjente": ["112"],
        "Zyra për Ndihmë dhe Mbrojtje të Viktimave": ["0800 11112"],
        "Agjencia për Ndihmë Juridike Falas": ["0800 11 777"],
        "Qendra për Mbrojtjen e Grave dhe Fëmijëve": ["038 545 476", "044 420 052"],
    }
    abbreviations = list(
        GlossaryTerm.objects.filter(municipality=drenas).values_list("abbreviation", flat=True)
    )
    assert abbreviations == [
        "MD",
        "SHSP",
        "MPMS",
        "MFPT",
        "DSHMS",
        "DKA",
        "QPS",
        "PK",
        "MV",
        "NJDNJ,BGJ",
        "UA",
        "OJQ",
        "APRK",
        "ZDJF",
    ]
    assert all(t.meaning_sq and t.meaning_en and t.meaning_sr for t in GlossaryTerm.objects.all())


def test_gjilan_ten_members_and_liria(loaded):
    gjilan = loaded["municipalities"]["gjilan"]
    members = Membership.objects.filter(mechanism__municipality=gjilan)
    assert members.filter(role="member").count() == 10
    partner = members.get(role="partner")
    assert "Liria" in partner.institution.name_sq
    assert gjilan.bilingual_name == "Gjilan/Gnjilane"


def test_names_in_three_languages(loaded):
    for inst in Institution.objects.all():
        assert inst.name_sq and inst.name_sr and inst.name_en, inst


def test_demo_users_one_per_role(loaded):
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    coordinator = User.objects.get(username="drenas.coordinator")
    assert coordinator.municipality.code == "drenas" and coordinator.check_password(
        accounts_demo.DEMO_PASSWORD
    )


def test_load_is_idempotent(loaded):
    counts = (
        Institution.objects.count(),
        EmergencyContact.objects.count(),
        GlossaryTerm.objects.count(),
        Membership.objects.count(),
        User.objects.count(),
    )
    directory = demo.load()
    accounts_demo.load(directory)
    assert counts == (
        Institution.objects.count(),
        EmergencyContact.objects.count(),
        GlossaryTerm.objects.count(),
        Membership.objects.count(),
        User.objects.count(),
    )
