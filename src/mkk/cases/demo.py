"""Synthetic demo cases for Drenas, January 2025 to the last ended month.

* The number of police cases in each month equals the synthetic POL_CASES figure of the
  statistics demo for the Drenas police (read from the database when it is there; drawn
  from the same 5–15 range otherwise), so cases and statistics agree.
* People are fictional: names from a small fixed list marked "(demo)", random 10-digit
  personal numbers from a fixed seed, addresses "Rruga Demo".
* About half of the police cases are referred to the centre for social work (most accepted,
  some late, one or two still waiting past the deadline); some go on to the shelter, which
  opens its own case for the same person, so that some victims are known to two or three
  institutions.

Idempotent: demo cases carry an external reference "DEMO-…" and are not made twice.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from mkk.accounts.models import User
from mkk.core import periods

from . import services
from .models import Case, Consent

SEED = 20250107
FIRST = [
    "Ana",
    "Blerta",
    "Dafina",
    "Era",
    "Fjolla",
    "Gresa",
    "Hana",
    "Jeta",
    "Kaltrina",
    "Lira",
    "Mimoza",
    "Nora",
    "Arben",
    "Besim",
    "Driton",
]
LAST = ["Shembulli", "Provë", "Fiktive", "Demo"]
FORMS = [
    ["physical"],
    ["physical", "psychological"],
    ["psychological"],
    ["psychological", "economic"],
    ["physical", "psychological", "economic"],
    ["sexual", "physical"],
]
RELATIONS = ["spouse", "spouse", "spouse", "former_spouse", "parent", "child", "sibling", "in_law"]


def _police_counts(directory, months) -> dict[dt.date, int]:
    counts = {}
    try:
        from mkk.statistics.models import DataValue

        police = directory["drenas"]["police"]
        for v in DataValue.objects.filter(
            submission__institution=police,
            element__code="POL_CASES",
            key="",
            submission__period_type="month",
        ).select_related("submission"):
            counts[v.submission.period_start] = v.value
    except (ImportError, LookupError, KeyError):
        pass
    rng = random.Random(SEED + 1)  # noqa: S311 - synthetic demo data
    return {m: counts.get(m, rng.randint(5, 15)) for m in months}


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@transaction.atomic
def load(directory: dict, out=None) -> None:
    if Case.objects.filter(external_reference__startswith="DEMO-").exists():
        if out:
            out.write("  cases: demo cases already there")
        return
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["drenas.police.case", "drenas.qps.case", "drenas.shelter.case"]
        )
    }
    if len(users) < 3:
        if out:
            out.write("  cases: demo case workers missing; skipped")
        return
    police, qps, shelter = (
        users["drenas.police.case"],
        users["drenas.qps.case"],
        users["drenas.shelter.case"],
    )
    rng = random.Random(SEED)  # noqa: S311 - synthetic demo data
    today = timezone.localdate()
    ended = min(today - dt.timedelta(days=1), dt.date(2026, 12, 31))
    months = [p.start for p in periods.periods_between("month", dt.date(2025, 1, 1), ended)]
    counts = _police_counts(directory, months)
    drenas = directory["municipalities"]["drenas"]
    now = timezone.now()
    made = referrals = 0
    serial = 0
    for month in months:
        last_day = periods.month_end(month.year, month.month)
        for _ in range(counts[month]):
            serial += 1
            opened = month + dt.timedelta(days=rng.randint(0, (last_day - month).days))
            child = rng.random() < 0.15
            sex = "male" if rng.random() < 0.18 else "female"
            born = opened - dt.timedelta(
                days=rng.randint(6, 16) * 365 if child else rng.randint(19, 70) * 365
            )
            ident = services.Identity(
                full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)} (demo)",
                personal_number=f"{rng.randint(1, 9)}{rng.randint(0, 10**9 - 1):09d}",
                date_of_birth=born,
                phone=f"+383 00 000 {rng.randint(100, 999)}",
                address=f"Rruga Demo {rng.randint(1, 120)}, Drenas",
            )
            consent = Consent.YES if rng.random() < 0.7 else Consent.NOT_ASKED
            case = services.case_create(
                actor=police,
                institution=police.institution,
                identity=ident,
                sex=sex,
                age_group="child" if child else "adult",
                residence_municipality=drenas,
                consent_to_share=consent,
                consent_date=opened if consent == Consent.YES else None,
                sharing_legal_ground="child_at_risk" if child else "",
                sharing_reason="Fëmijë në rrezik (demo)." if child else "",
                opened_on=opened,
                external_reference=f"DEMO-{serial:04d}",
            )
            reported = _at(opened, rng.randint(0, 23), rng.choice([0, 15, 30, 45]))
            services.incident_add(
                actor=police,
                case=case,
                occurred_on=opened,
                forms=rng.choice(FORMS),
                relation=rng.choice(RELATIONS),
                perpetrator_sex="male" if rng.random() < 0.9 else "female",
                perpetrator_age_group="adult",
                risk_level=rng.choice(["low", "medium", "medium", "high"]),
                children_affected=rng.choice([0, 0, 1, 2, 3]),
                reported_at=reported,
                summary="Rast sintetik për demonstrim.",
            )
            if rng.random() < 0.55 or child:
                sent = reported + dt.timedelta(hours=rng.randint(1, 6))
                urgent = rng.random() < 0.25
                r = services.referral_send(
                    actor=police,
                    case=case,
                    to_institution=qps.institution,
                    reason="Vlerësim social dhe mbështetje psiko-sociale.",
                    urgency="urgent" if urgent else "normal",
                    sent_at=sent,
                )
                referrals += 1
                recent = (now - sent).days < 3
                if recent and rng.random() < 0.5:
                    pass  # still waiting (overdue if past the deadline)
                else:
                    late = rng.random() < 0.15
                    limit = (r.deadline_at - sent).total_seconds() / 3600
                    hours = limit * (1 + rng.random()) if late else limit * rng.uniform(0.1, 0.95)
                    services.referral_accept(
                        actor=qps,
                        referral=r,
                        consent_recorded=consent == Consent.YES,
                        at=min(sent + dt.timedelta(hours=hours), now),
                    )
                    qps_day = min((sent + dt.timedelta(hours=hours)).date(), today)
                    if rng.random() < 0.3:
                        # the centre for social work also opens its own file for the same person
                        services.case_create(
                            actor=qps,
                            institution=qps.institution,
                            identity=services.Identity(
                                personal_number=ident.personal_number,
                                full_name=ident.full_name,
                                date_of_birth=born,
                                address=ident.address,
                            ),
                            sex=sex,
                            age_group=case.age_group,
                            residence_municipality=drenas,
                            consent_to_share=consent,
                            consent_date=qps_day if consent == Consent.YES else None,
                            opened_on=qps_day,
                            external_reference=f"DEMO-Q{serial:04d}",
                        )
                        made += 1
                    if rng.random() < 0.2:
                        # the social worker places her in the shelter, which opens its own case
                        stay_day = (sent + dt.timedelta(hours=hours + 3)).date()
                        if stay_day <= today:
                            s = services.referral_send(
                                actor=qps,
                                case=case,
                                to_institution=shelter.institution,
                                reason="Strehim i sigurt.",
                                urgency="urgent",
                                sent_at=sent + dt.timedelta(hours=hours + 1),
                            )
                            services.referral_accept(
                                actor=shelter,
                                referral=s,
                                consent_recorded=True,
                                at=sent + dt.timedelta(hours=hours + 2),
                            )
                            own = services.case_create(
                                actor=shelter,
                                institution=shelter.institution,
                                identity=services.Identity(
                                    personal_number=ident.personal_number,
                                    full_name=ident.full_name,
                                    date_of_birth=born,
                                ),
                                sex=sex,
                                age_group=case.age_group,
                                residence_municipality=drenas,
                                consent_to_share=Consent.YES,
                                consent_date=stay_day,
                                opened_on=stay_day,
                                external_reference=f"DEMO-S{serial:04d}",
                            )
                            services.child_add(
                                actor=shelter,
                                case=own,
                                record_type="shelter",
                                admitted_on=stay_day,
                                accompanying_children=rng.choice([0, 1, 2]),
                            )
                            made += 1
            if rng.random() < 0.3:
                services.child_add(
                    actor=police,
                    case=case,
                    record_type="order",
                    kind="interim_police",
                    status="issued",
                    requested_on=opened,
                    decided_on=opened,
                    valid_until=opened + dt.timedelta(days=3),
                )
            if (today - opened).days > 180 and rng.random() < 0.6:
                services.case_close(actor=police, case=case)
            made += 1
    # This month (not in the monthly statistics yet): referrals waiting, two of them overdue.
    for i, (hours_ago, to) in enumerate([(50, qps), (30, shelter), (2, qps)]):
        # never before this month's first day, so the ended months keep matching the statistics
        sent = max(now - dt.timedelta(hours=hours_ago), _at(today.replace(day=1), 1, 30))
        opened = timezone.localtime(sent).date()
        case = services.case_create(
            actor=police,
            institution=police.institution,
            identity=services.Identity(
                full_name=f"{FIRST[i]} {LAST[i]} (demo)",
                personal_number=f"{rng.randint(10**9, 10**10 - 1)}",
                date_of_birth=dt.date(1980 + i, 3, 1),
                address=f"Rruga Demo {i + 1}, Drenas",
            ),
            sex="female",
            age_group="adult",
            residence_municipality=drenas,
            consent_to_share=Consent.YES,
            consent_date=opened,
            opened_on=opened,
            external_reference=f"DEMO-N{i}",
        )
        services.incident_add(
            actor=police,
            case=case,
            occurred_on=opened,
            forms=["physical", "psychological"],
            relation="spouse",
            perpetrator_sex="male",
            risk_level="high",
            children_affected=1,
            reported_at=sent - dt.timedelta(hours=1),
            summary="Rast sintetik për demonstrim.",
        )
        services.referral_send(
            actor=police,
            case=case,
            to_institution=to.institution,
            reason="Vlerësim dhe mbështetje.",
            sent_at=sent,
        )
        made += 1
        referrals += 1
    if out:
        out.write(
            f"  cases: {made} synthetic Drenas cases, "
            f"{referrals} referrals to the centre for social work"
        )
