"""Demo meetings (idempotent): Gjilan's four meetings of January–September 2019, as its report
describes them, and Drenas's quarterly meetings of 2025–2026 with decisions and follow-ups.

Dates, representatives' names and minutes are synthetic; institutions are the registry's.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from mkk.directory.models import Mechanism, Membership

from .models import (
    Activity,
    ActivityKind,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    CaseDiscussed,
    Decision,
    FollowUp,
    FollowUpStatus,
    Involvement,
    Meeting,
    MeetingKind,
    MeetingStatus,
)

P, E, A = AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT

# Synthetic representatives, one per institution key.
REPRESENTATIVES = {
    "police": "Rinor Berisha",
    "victim_advocate": "Albana Gashi",
    "prosecution": "Faton Hoxha",
    "court": "Merita Kastrati",
    "social_work": "Liridona Morina",
    "human_rights": "Vlora Shala",
    "mpms": "Burim Rexhepi",
    "health": "Donika Zeqiri",
    "education": "Kaltrina Bytyqi",
    "legal_aid": "Arlind Krasniqi",
    "shelter": "Blerta Osmani",
    "employment": "Gent Mustafa",
}

GJILAN_MEETINGS = [
    # date, attendance of those not present (the rest present), agenda, challenges
    (
        dt.date(2019, 2, 14),
        {"court": E, "mpms": A},
        [
            "Hapja e takimit dhe miratimi i rendit të ditës",
            "Prezantimi i rasteve të dhunës në familje nga anëtarët (tremujori i katërt 2018)",
            "Plani i aktiviteteve të mekanizmit për vitin 2019",
            "Të ndryshme",
        ],
        "Mungesa e strehimit emergjent për viktimat meshkuj dhe për fëmijët mbi 12 vjeç; "
        "vonesat në dërgimin e informatave ndërmjet institucioneve gjatë fundjavës.",
    ),
    (
        dt.date(2019, 4, 18),
        {"prosecution": E},
        [
            "Prezantimi i rasteve të dhunës në familje nga anëtarët (tremujori i parë 2019)",
            "Informim për trajnimin me Koordinatorin Nacional dhe UN Women",
            "Bashkëpunimi me Strehimoren “Liria” për riintegrimin e viktimave",
        ],
        "Numri i vogël i vendeve të punës për gratë e dhunuara pas daljes nga strehimorja; "
        "mungesa e psikologut në Qendrën për Punë Sociale.",
    ),
    (
        dt.date(2019, 6, 20),
        {"health": E, "education": A, "mpms": E},
        [
            "Prezantimi i rasteve të dhunës në familje nga anëtarët",
            "Sfidat në zbatimin e urdhrave mbrojtës",
            "Përgatitja e tryezës me institucionet arsimore",
        ],
        "Zbatimi i urdhrave mbrojtës nuk përcillet mjaftueshëm; viktimat tërheqin kallëzimet "
        "për shkak të varësisë ekonomike.",
    ),
    (
        dt.date(2019, 9, 12),
        {"court": E},
        [
            "Prezantimi i rasteve të dhunës në familje nga anëtarët (janar–shtator 2019)",
            "Përgatitja e raportit nëntëmujor të mekanizmit",
            "Planifikimi i fushatës 16 ditët e aktivizmit",
        ],
        "Mungesa e buxhetit të dedikuar për aktivitetet e mekanizmit; nevoja për trajnime të "
        "vazhdueshme për stafin e ri të institucioneve.",
    ),
]

GJILAN_ACTIVITIES = [
    (
        ActivityKind.TRAINING,
        Involvement.ATTENDED,
        "Trajnim për ngritjen e kapaciteteve të anëtarëve të mekanizmit",
        dt.date(2019, 3, 27),
        "Koordinatori Nacional kundër Dhunës në Familje, UN Women",
        18,
    ),
    (
        ActivityKind.ROUND_TABLE,
        Involvement.HELD,
        "Tryezë mbi trajtimin e rasteve të dhunës në familje",
        dt.date(2019, 5, 16),
        "UN Women",
        24,
    ),
    (
        ActivityKind.TRAINING,
        Involvement.ATTENDED,
        "Trajnim për Procedurat Standarde të Veprimit",
        dt.date(2019, 8, 29),
        "Koordinatori Nacional kundër Dhunës në Familje",
        15,
    ),
]

DRENAS_MEETINGS = [
    # date, kind, status, attendance exceptions, agenda, challenges,
    # decisions [(text, [(owner, task, due, status, done on)])]
    (
        dt.date(2025, 3, 13),
        MeetingKind.REGULAR,
        MeetingStatus.HELD,
        {"court": E},
        [
            "Miratimi i Planit Lokal të Veprimit 2025–2028",
            "Caktimi i pikave të kontaktit të institucioneve",
            "Protokolli i punës së mekanizmit",
        ],
        "Disa institucione ende nuk kanë caktuar pikë kontakti për mekanizmin.",
        [
            (
                "Çdo institucion anëtar cakton pikën e kontaktit dhe e njofton koordinatoren.",
                [
                    (
                        "human_rights",
                        "Mbledhja e emrave të pikave të kontaktit dhe përditësimi i listës "
                        "së anëtarëve.",
                        dt.date(2025, 4, 15),
                        FollowUpStatus.DONE,
                        dt.date(2025, 4, 10),
                    )
                ],
            )
        ],
    ),
    (
        dt.date(2025, 6, 12),
        MeetingKind.REGULAR,
        MeetingStatus.HELD,
        {"prosecution": E, "employment": A},
        [
            "Raportimi i rasteve për tremujorin e parë",
            "Organizimi i trajnimit për stafin e QPS",
            "Fushata në shkolla",
        ],
        "Mungesa e të dhënave të ndara sipas gjinisë dhe moshës nga disa institucione.",
        [
            (
                "QPS dhe Policia raportojnë rastet tremujore me të dhëna të ndara sipas "
                "gjinisë dhe moshës.",
                [
                    (
                        "social_work",
                        "Dorëzimi i të dhënave tremujore në formatin e përbashkët.",
                        dt.date(2025, 7, 15),
                        FollowUpStatus.DONE,
                        dt.date(2025, 7, 14),
                    ),
                    (
                        "police",
                        "Dorëzimi i të dhënave tremujore në formatin e përbashkët.",
                        dt.date(2025, 7, 15),
                        FollowUpStatus.DONE,
                        dt.date(2025, 7, 18),
                    ),
                ],
            )
        ],
    ),
    (
        dt.date(2025, 9, 11),
        MeetingKind.REGULAR,
        MeetingStatus.HELD,
        {"health": E},
        [
            "Raportimi i rasteve për tremujorin e dytë",
            "Procedurat e përbashkëta për menaxhimin e rasteve",
        ],
        "Strehimorja ka kapacitet të kufizuar; nevojitet marrëveshje për strehim emergjent.",
        [
            (
                "Hartohet drafti i procedurave të përbashkëta për menaxhimin e rasteve.",
                [
                    (
                        "human_rights",
                        "Drafti i procedurave të përbashkëta dërgohet te anëtarët për komente.",
                        dt.date(2025, 11, 30),
                        FollowUpStatus.DONE,
                        dt.date(2025, 12, 5),
                    )
                ],
            )
        ],
    ),
    (
        dt.date(2025, 10, 16),
        MeetingKind.CASE_CONFERENCE,
        MeetingStatus.HELD,
        {},
        ["Konferenca e rastit DR-2025-000012: vlerësimi i rrezikut dhe plani i sigurisë"],
        "",
        [
            (
                "Plani i sigurisë për rastin DR-2025-000012 rishikohet pas 30 ditësh.",
                [
                    (
                        "social_work",
                        "Rishikimi i planit të sigurisë së rastit DR-2025-000012 me Policinë.",
                        dt.date(2025, 11, 17),
                        FollowUpStatus.DONE,
                        dt.date(2025, 11, 14),
                    )
                ],
            )
        ],
    ),
    (
        dt.date(2025, 12, 11),
        MeetingKind.REGULAR,
        MeetingStatus.HELD,
        {"court": A},
        ["Raporti i monitorimit 2025", "Rezultatet e fushatës 16 ditët e aktivizmit"],
        "Buxheti komunal për 2026 nuk parasheh linjë të veçantë për mekanizmin.",
        [
            (
                "Kërkohet linjë buxhetore për mekanizmin në buxhetin komunal 2026–2027.",
                [
                    (
                        "human_rights",
                        "Propozimi për linjë buxhetore dorëzohet te Drejtoria e Financave.",
                        dt.date(2026, 2, 28),
                        FollowUpStatus.DONE,
                        dt.date(2026, 2, 20),
                    )
                ],
            )
        ],
    ),
    (
        dt.date(2026, 3, 12),
        MeetingKind.REGULAR,
        MeetingStatus.HELD,
        {"employment": E},
        ["Raportimi i rasteve për tremujorin e katërt 2025", "Punësimi i grave të dhunuara"],
        "Bizneset lokale hezitojnë të punësojnë gra nga strehimorja pa mbështetje financiare.",
        [
            (
                "Zyra e Punësimit përgatit listën e programeve aktive të punësimit për "
                "gratë e dhunuara.",
                [
                    (
                        "employment",
                        "Lista e programeve aktive të punësimit dhe kushtet e pranimit.",
                        dt.date(2026, 7, 31),
                        FollowUpStatus.OPEN,
                        None,
                    )
                ],
            )
        ],
    ),
    (
        dt.date(2026, 6, 11),
        MeetingKind.REGULAR,
        MeetingStatus.HELD,
        {"prosecution": E, "health": E},
        ["Raportimi i rasteve për tremujorin e parë 2026", "Trajnimi i mësimdhënësve"],
        "Shkollat nuk kanë ende pikë kontakti për raportimin e dhunës.",
        [
            (
                "Drejtoria e Arsimit cakton pikë kontakti në secilën shkollë të mesme.",
                [
                    (
                        "education",
                        "Lista e pikave të kontaktit në shkolla dërgohet te mekanizmi.",
                        dt.date(2026, 10, 15),
                        FollowUpStatus.IN_PROGRESS,
                        None,
                    )
                ],
            ),
            (
                "Organizohet trajnim për mësimdhënësit për identifikimin e dhunës.",
                [
                    (
                        "education",
                        "Trajnimi i mësimdhënësve për identifikimin dhe raportimin e dhunës.",
                        dt.date(2027, 3, 31),
                        FollowUpStatus.OPEN,
                        None,
                    )
                ],
            ),
        ],
    ),
    (
        dt.date(2026, 9, 10),
        MeetingKind.REGULAR,
        MeetingStatus.HELD,
        {"court": E},
        [
            "Raportimi i rasteve për tremujorin e dytë 2026",
            "Përgatitja e fushatës 16 ditët e aktivizmit",
        ],
        "Rritje e rasteve të raportuara; nevojitet më shumë staf në QPS.",
        [
            (
                "Mekanizmi organizon fushatën 16 ditët e aktivizmit në bashkëpunim me OJQ-të.",
                [
                    (
                        "human_rights",
                        "Programi i fushatës dhe ndarja e detyrave ndërmjet anëtarëve.",
                        dt.date(2026, 11, 20),
                        FollowUpStatus.DONE,
                        dt.date(2026, 11, 18),
                    ),
                    (
                        "police",
                        "Pjesëmarrja e Policisë në ligjëratat në shkolla gjatë fushatës.",
                        dt.date(2026, 12, 10),
                        FollowUpStatus.OPEN,
                        None,
                    ),
                ],
            )
        ],
    ),
    (
        dt.date(2026, 12, 10),
        MeetingKind.REGULAR,
        MeetingStatus.PLANNED,
        {},
        [
            "Raportimi i rasteve për tremujorin e tretë 2026",
            "Raporti i monitorimit 2026",
            "Plani i takimeve për vitin 2027",
        ],
        "",
        [],
    ),
]

DRENAS_ACTIVITIES = [
    (
        ActivityKind.TRAINING,
        Involvement.HELD,
        "Trajnim për Konventën e Stambollit për stafin e QPS Drenas",
        dt.date(2025, 5, 22),
        "Koordinatori Nacional kundër Dhunës në Familje",
        14,
    ),
    (
        ActivityKind.CAMPAIGN,
        Involvement.HELD,
        "Fushata 16 ditët e aktivizmit kundër dhunës ndaj grave",
        dt.date(2025, 11, 25),
        "OJQ-të lokale",
        120,
    ),
    (
        ActivityKind.ROUND_TABLE,
        Involvement.ATTENDED,
        "Vizitë studimore te mekanizmi i Lipjanit",
        dt.date(2026, 4, 23),
        "Komuna e Lipjanit",
        8,
    ),
]

# Demo focal persons' work addresses (only where none is recorded); two members stay without,
# so that the invitation page shows who will not receive it.
WITHOUT_EMAIL = {"court", "prosecution"}


def _minutes(agenda: list[str], challenges: str) -> str:
    items = "".join(f"<li>{item}</li>" for item in agenda)
    text = (
        "<p>Takimin e hapi koordinatorja e mekanizmit. Anëtarët prezantuan rastet e tyre "
        "vetëm me numra dhe referenca, pa të dhëna personale.</p>"
        f"<h3>Rendi i ditës</h3><ol>{items}</ol>"
    )
    if challenges:
        text += f"<h3>Sfidat</h3><p>{challenges}</p>"
    return text


def _attendance(meeting, institutions: dict, keys: list[str], exceptions: dict) -> None:
    for key in keys:
        status = exceptions.get(key, P)
        Attendance.objects.update_or_create(
            meeting=meeting,
            institution=institutions[key],
            defaults={
                "status": status,
                "person_name": REPRESENTATIVES.get(key, "") if status == P else "",
            },
        )


def _meeting(mechanism, date, kind, status, place, agenda, challenges) -> Meeting:
    meeting, _created = Meeting.objects.update_or_create(
        mechanism=mechanism,
        date=date,
        kind=kind,
        defaults={
            "start_time": dt.time(10, 0),
            "end_time": dt.time(12, 0),
            "place": place,
            "status": status,
            "challenges": challenges,
            "minutes": _minutes(agenda, challenges) if status == MeetingStatus.HELD else "",
        },
    )
    if [a.title for a in meeting.agenda_items.all()] != agenda:
        meeting.agenda_items.all().delete()
        for order, title in enumerate(agenda, start=1):
            AgendaItem.objects.create(meeting=meeting, order=order, title=title)
    return meeting


def _activities(mechanism, rows) -> None:
    for kind, involvement, title, date, partner, participants in rows:
        Activity.objects.update_or_create(
            mechanism=mechanism,
            title=title,
            date=date,
            defaults={
                "kind": kind,
                "involvement": involvement,
                "partner": partner,
                "participants": participants,
            },
        )


def _emails(mechanism, institutions: dict, code: str) -> None:
    for key, institution in institutions.items():
        if key in WITHOUT_EMAIL:
            continue
        for membership in Membership.objects.filter(
            mechanism=mechanism, institution=institution, focal_person_email=""
        ):
            membership.focal_person_email = f"{key.replace('_', '-')}@{code}.demo.invalid"
            membership.save(update_fields=["focal_person_email"])


@transaction.atomic
def load(directory: dict, out=None) -> None:
    gjilan_mun = directory["municipalities"]["gjilan"]
    drenas_mun = directory["municipalities"]["drenas"]
    g_inst, d_inst = directory["gjilan"], directory["drenas"]
    g_mech = Mechanism.objects.get(municipality=gjilan_mun)
    d_mech = Mechanism.objects.get(municipality=drenas_mun)

    g_keys = [
        "police",
        "victim_advocate",
        "prosecution",
        "court",
        "social_work",
        "human_rights",
        "mpms",
        "health",
        "education",
        "legal_aid",
        "shelter",
    ]
    for date, exceptions, agenda, challenges in GJILAN_MEETINGS:
        meeting = _meeting(
            g_mech,
            date,
            MeetingKind.REGULAR,
            MeetingStatus.HELD,
            "Salla e mbledhjeve, Komuna e Gjilanit",
            agenda,
            challenges,
        )
        _attendance(meeting, g_inst, g_keys, exceptions)
    _activities(g_mech, GJILAN_ACTIVITIES)
    _emails(g_mech, g_inst, "gjilan")

    d_keys = [
        "police",
        "social_work",
        "victim_advocate",
        "prosecution",
        "court",
        "legal_aid",
        "health",
        "education",
        "employment",
        "human_rights",
        "shelter",
    ]
    for date, kind, status, exceptions, agenda, challenges, decisions in DRENAS_MEETINGS:
        meeting = _meeting(
            d_mech, date, kind, status, "Salla e Kuvendit Komunal, Drenas", agenda, challenges
        )
        if status == MeetingStatus.HELD:
            _attendance(meeting, d_inst, d_keys, exceptions)
        if kind == MeetingKind.CASE_CONFERENCE:
            CaseDiscussed.objects.get_or_create(meeting=meeting, reference="DR-2025-000012")
        for number, (text, tasks) in enumerate(decisions, start=1):
            decision, _ = Decision.objects.update_or_create(
                meeting=meeting, number=number, defaults={"text": text}
            )
            for owner, task, due, task_status, done_on in tasks:
                completed = (
                    timezone.make_aware(dt.datetime.combine(done_on, dt.time(14, 0)))
                    if done_on
                    else None
                )
                FollowUp.objects.update_or_create(
                    decision=decision,
                    owner=d_inst[owner],
                    description=task,
                    defaults={"due_date": due, "status": task_status, "completed_at": completed},
                )
    _activities(d_mech, DRENAS_ACTIVITIES)
    _emails(d_mech, d_inst, "drenas")
    if out:
        out.write(
            f"  meetings: {Meeting.objects.count()} meetings, "
            f"{FollowUp.objects.count()} follow-up tasks, "
            f"{Activity.objects.count()} activities"
        )
