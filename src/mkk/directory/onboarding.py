"""Onboarding a municipality without code: its mechanism, its standard member institutions
(from a template of the institution types) and its coordinator's invitation, in one step.

Idempotent: running it again for the same municipality creates nothing twice. An existing
institution of a type is reused (whatever its name); an existing mechanism keeps its
decision unless new values are given; the coordinator is invited once (a second run with the
same e-mail links the existing account, a different person's account is refused).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mkk.accounts import scoping
from mkk.accounts.models import Role, User

from .models import (
    Institution,
    InstitutionKind,
    Mechanism,
    Membership,
    MembershipRole,
    Municipality,
)

K = InstitutionKind

#: One row per institution type: (kind, Albanian, Serbian, English, member role, created by
#: default). ``{sq}``, ``{sr}`` and ``{en}`` are the municipality's names. Every institution
#: is created at the municipal level; a regional unit (regional police directorate, basic
#: prosecution office) is linked by hand so that it is counted once for its region.
TEMPLATE = [
    (K.MUNICIPALITY, "Komuna e {sq}", "Opština {sr}", "Municipality of {en}", "member", True),
    (
        K.HUMAN_RIGHTS,
        "Zyra për të Drejtat e Njeriut dhe Barazi Gjinore – {sq}",
        "Kancelarija za ljudska prava i rodnu ravnopravnost – {sr}",
        "Human Rights and Gender Equality Office – {en}",
        "member",
        True,
    ),
    (
        K.POLICE,
        "Policia e Kosovës – Stacioni Policor {sq}",
        "Kosovska policija – Policijska stanica {sr}",
        "Kosovo Police – {en} Police Station",
        "member",
        True,
    ),
    (
        K.SOCIAL_WORK,
        "Qendra për Punë Sociale {sq}",
        "Centar za socijalni rad {sr}",
        "Centre for Social Work {en}",
        "member",
        True,
    ),
    (
        K.VICTIM_ADVOCATE,
        "Zyra për Mbrojtje dhe Ndihmë të Viktimave – {sq}",
        "Kancelarija za zaštitu i pomoć žrtvama – {sr}",
        "Victim Protection and Assistance Office – {en}",
        "member",
        True,
    ),
    (
        K.PROSECUTION,
        "Prokuroria Themelore – {sq}",
        "Osnovno tužilaštvo – {sr}",
        "Basic Prosecution Office – {en}",
        "member",
        True,
    ),
    (
        K.BASIC_COURT,
        "Gjykata Themelore – Dega {sq}",
        "Osnovni sud – Odeljenje {sr}",
        "Basic Court – {en} Branch",
        "member",
        True,
    ),
    (
        K.HEALTH,
        "Drejtoria për Shëndetësi – {sq}",
        "Direkcija za zdravstvo – {sr}",
        "Directorate of Health – {en}",
        "member",
        True,
    ),
    (
        K.EDUCATION,
        "Drejtoria Komunale e Arsimit – {sq}",
        "Opštinska direkcija za obrazovanje – {sr}",
        "Municipal Directorate of Education – {en}",
        "member",
        True,
    ),
    (
        K.EMPLOYMENT,
        "Zyra e Punësimit – {sq}",
        "Kancelarija za zapošljavanje – {sr}",
        "Employment Office – {en}",
        "member",
        True,
    ),
    (
        K.LEGAL_AID,
        "Agjencia për Ndihmë Juridike Falas – {sq}",
        "Agencija za besplatnu pravnu pomoć – {sr}",
        "Free Legal Aid Agency – {en}",
        "member",
        True,
    ),
    (K.SHELTER, "Strehimorja – {sq}", "Sklonište – {sr}", "Shelter – {en}", "partner", True),
    (
        K.NGO,
        "Organizatat joqeveritare – {sq}",
        "Nevladine organizacije – {sr}",
        "Non-governmental organisations – {en}",
        "partner",
        True,
    ),
    (
        K.MINISTRY,
        "Ministria e Drejtësisë",
        "Ministarstvo pravde",
        "Ministry of Justice",
        "partner",
        False,
    ),
    (
        K.OTHER,
        "Anëtarë të tjerë – {sq}",
        "Ostali članovi – {sr}",
        "Other members – {en}",
        "member",
        False,
    ),
]


@dataclass
class Onboarding:
    municipality: Municipality
    mechanism: Mechanism
    coordinator: User | None
    created: list[str] = field(default_factory=list)  # what this run created
    invited: bool = False


@transaction.atomic
def municipality_onboard(
    *,
    actor,
    municipality: Municipality,
    coordinator_email: str,
    coordinator_first_name: str = "",
    coordinator_last_name: str = "",
    decision_number: str = "",
    decision_date: dt.date | None = None,
    all_types: bool = False,
) -> Onboarding:
    """Create the mechanism, its standard members and the coordinator's invitation."""
    if not scoping.can_onboard_municipality(actor):
        raise PermissionDenied
    email = (coordinator_email or "").strip()
    if not email:
        raise ValidationError({"coordinator_email": _("Give the coordinator's e-mail address.")})
    mechanism, created = Mechanism.objects.get_or_create(municipality=municipality)
    out = Onboarding(municipality, mechanism, None)
    if created:
        out.created.append(str(_("mechanism")))
    if decision_number:
        mechanism.decision_number = decision_number
    if decision_date:
        mechanism.decision_date = decision_date
    _standard_members(out, all_types=all_types)
    user, out.invited = _coordinator(
        actor,
        municipality,
        email,
        first_name=coordinator_first_name,
        last_name=coordinator_last_name,
    )
    mechanism.coordinator = user
    mechanism.coordinator_name = mechanism.coordinator_name or user.get_full_name()
    mechanism.full_clean()
    mechanism.save()
    out.coordinator = user
    return out


def _standard_members(out: Onboarding, *, all_types: bool) -> None:
    """The standard member institutions of the template, created where missing, and their
    memberships of the mechanism; what was made is added to ``out.created``."""
    municipality, mechanism = out.municipality, out.mechanism
    names = {
        "sq": municipality.name_sq,
        "sr": municipality.name_sr or municipality.name_sq,
        "en": municipality.name_en or municipality.name_sq,
    }
    existing = {}
    for inst in Institution.objects.filter(municipality=municipality).order_by("pk"):
        existing.setdefault(inst.kind, inst)
    for order, (kind, sq, sr, en, role, default) in enumerate(TEMPLATE):
        if not (default or all_types):
            continue
        inst = existing.get(kind)
        if inst is None:
            inst = Institution(
                municipality=municipality,
                kind=kind,
                name_sq=sq.format(**names),
                name_sr=sr.format(**names),
                name_en=en.format(**names),
            )
            if Institution.objects.filter(municipality=municipality, name_sq=inst.name_sq).exists():
                continue  # the same name under another type: leave it to a person
            inst.full_clean()
            inst.save()
            out.created.append(inst.name_sq)
        _membership, made = Membership.objects.get_or_create(
            mechanism=mechanism,
            institution=inst,
            defaults={
                "role": MembershipRole.PARTNER if role == "partner" else MembershipRole.MEMBER,
                "order": order,
            },
        )
        if made and inst.name_sq not in out.created:
            out.created.append(str(_("membership of %(name)s") % {"name": inst.name_sq}))


def _coordinator(
    actor, municipality, email: str, *, first_name: str, last_name: str
) -> tuple[User, bool]:
    """The coordinator's account (and whether it was invited now): a new invitation, or the
    existing coordinator of this municipality; any other account with the address is refused."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        from mkk.accounts.services import user_invite

        user = user_invite(
            actor=actor,
            email=email,
            first_name=first_name,
            last_name=last_name,
            role=Role.COORDINATOR,
            municipality=municipality,
        )
        return user, True
    if not scoping.coordinates(user, municipality.pk):
        raise ValidationError(
            {
                "coordinator_email": _(
                    "An account with this e-mail address exists already and is not the "
                    "coordinator of %(municipality)s."
                )
                % {"municipality": municipality.name}
            }
        )
    return user, False
