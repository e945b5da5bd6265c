"""Id-taking URLs of the cases app, with objects of Gjilan for the IDOR test."""

from __future__ import annotations

import datetime as dt

from mkk.cases import services
from mkk.cases.models import Case
from mkk.directory.models import InstitutionKind as K

from .helpers import open_case


def gjilan_objects(world) -> dict:
    """A Gjilan police case with a referral, a protection order and a shelter stay."""
    police = world.gjilan.users["case_police"]
    case = Case.objects.filter(institution=police.institution).first() or open_case(police)
    referral = case.referrals.first() or services.referral_send(
        actor=police,
        case=case,
        to_institution=world.gjilan.inst(K.SOCIAL_WORK),
        reason="Vlerësim social.",
    )
    order = case.protectionorders.first() or services.child_add(
        actor=police,
        case=case,
        record_type="order",
        kind="interim_police",
        status="requested",
        requested_on=dt.date(2026, 1, 5),
    )
    stay = case.shelterstays.first() or services.child_add(
        actor=police,
        case=case,
        record_type="shelter",
        institution=world.gjilan.inst(K.SHELTER),
        admitted_on=dt.date(2026, 1, 6),
    )
    return {"case": case, "referral": referral, "order": order, "stay": stay}


def _pk(name):
    return lambda world: {"pk": gjilan_objects(world)[name].pk}


CASES = {
    "cases:index": lambda world: {"code": world.gjilan.municipality.code},
    "cases:create": lambda world: {"code": world.gjilan.municipality.code},
    "cases:import": lambda world: {"code": world.gjilan.municipality.code},
    "cases:deadlines": lambda world: {"code": world.gjilan.municipality.code},
    "cases:statistics": lambda world: {"code": world.gjilan.municipality.code},
    "cases:detail": _pk("case"),
    "cases:reveal": _pk("case"),
    "cases:consent": _pk("case"),
    "cases:identity_edit": _pk("case"),
    "cases:status": _pk("case"),
    "cases:incident_add": _pk("case"),
    "cases:refer": _pk("case"),
    "cases:child_add": lambda world: {"pk": gjilan_objects(world)["case"].pk, "kind": "service"},
    "cases:child_edit": lambda world: {"kind": "order", "pk": gjilan_objects(world)["order"].pk},
    "cases:referral": _pk("referral"),
    "cases:referral_accept": _pk("referral"),
    "cases:referral_decline": _pk("referral"),
    "cases:referral_withdraw": _pk("referral"),
    "cases:referral_complete": _pk("referral"),
    "cases:referral_ground_confirm": _pk("referral"),
    "cases:referral_ground_refuse": _pk("referral"),
}
