"""Id-taking URLs of the directory app, with an object of Gjilan for the IDOR test."""

from mkk.directory.models import EmergencyContact, GlossaryTerm, Membership
from mkk.directory.models import InstitutionKind as K


def _contact(world):
    c, _ = EmergencyContact.objects.get_or_create(
        municipality=world.gjilan.municipality,
        name_sq="Policia Gjilan",
        defaults={"numbers": ["192"]},
    )
    return {"pk": c.pk}


def _term(world):
    t, _ = GlossaryTerm.objects.get_or_create(
        municipality=world.gjilan.municipality,
        abbreviation="PK",
        defaults={"meaning_sq": "Policia"},
    )
    return {"pk": t.pk}


def _member(world):
    return {
        "pk": Membership.objects.filter(mechanism__municipality=world.gjilan.municipality)
        .first()
        .pk
    }


def _code(world):
    return {"code": world.gjilan.municipality.code}


CASES = {
    "directory:municipality": _code,
    "directory:mechanism_edit": _code,
    "directory:institution_new": _code,
    "directory:membership_new": _code,
    "directory:contact_new": _code,
    "directory:glossary_new": _code,
    "directory:institution": lambda world: {"pk": world.gjilan.inst(K.POLICE).pk},
    "directory:institution_edit": lambda world: {"pk": world.gjilan.inst(K.POLICE).pk},
    "directory:membership_edit": _member,
    "directory:contact_edit": _contact,
    "directory:contact_delete": _contact,
    "directory:glossary_edit": _term,
    "directory:glossary_delete": _term,
}
