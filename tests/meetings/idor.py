"""Id-taking URLs of the meetings app, with an object of Gjilan for the IDOR test."""

import datetime as dt

from mkk.directory.models import InstitutionKind as K
from mkk.meetings.models import Activity, CaseDiscussed, Decision, FollowUp, Meeting


def meeting(world):
    obj, _ = Meeting.objects.get_or_create(
        mechanism=world.gjilan.mechanism, date=dt.date(2019, 2, 14), defaults={"status": "held"}
    )
    return obj


def decision(world):
    obj, _ = Decision.objects.get_or_create(
        meeting=meeting(world), number=1, defaults={"text": "Vendim"}
    )
    return obj


def follow_up(world):
    obj, _ = FollowUp.objects.get_or_create(
        decision=decision(world),
        owner=world.gjilan.inst(K.POLICE),
        defaults={"description": "Detyrë", "due_date": dt.date(2019, 3, 1)},
    )
    return obj


def case(world):
    obj, _ = CaseDiscussed.objects.get_or_create(meeting=meeting(world), reference="GJ-2019-000001")
    return obj


def activity(world):
    obj, _ = Activity.objects.get_or_create(
        mechanism=world.gjilan.mechanism,
        title="Trajnim",
        date=dt.date(2019, 3, 27),
        defaults={"kind": "training"},
    )
    return obj


def code(world):
    return {"code": world.gjilan.municipality.code}


CASES = {
    "meetings:index": code,
    "meetings:create": code,
    "meetings:follow_ups": code,
    "meetings:activities": code,
    "meetings:activity_create": code,
    "meetings:detail": lambda world: {"pk": meeting(world).pk},
    "meetings:edit": lambda world: {"pk": meeting(world).pk},
    "meetings:minutes_docx": lambda world: {"pk": meeting(world).pk},
    "meetings:minutes_pdf": lambda world: {"pk": meeting(world).pk},
    "meetings:attendance": lambda world: {"pk": meeting(world).pk},
    "meetings:case_add": lambda world: {"pk": meeting(world).pk},
    "meetings:decision_create": lambda world: {"pk": meeting(world).pk},
    "meetings:invitations": lambda world: {"pk": meeting(world).pk},
    "meetings:ics": lambda world: {"pk": meeting(world).pk},
    "meetings:case_remove": lambda world: {"pk": case(world).pk},
    "meetings:follow_up_create": lambda world: {"pk": decision(world).pk},
    "meetings:follow_up_status": lambda world: {"pk": follow_up(world).pk},
    "meetings:follow_up_edit": lambda world: {"pk": follow_up(world).pk},
    "meetings:decision_edit": lambda world: {"pk": decision(world).pk},
    "meetings:activity_edit": lambda world: {"pk": activity(world).pk},
}
