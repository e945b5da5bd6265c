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
from mkk.audit.context import current
from mkk.audit.models import AuditAction, AuditEntry
from mkk.audit.services import diff, snapshot
from mkk.cases import notifications as case_notifications
from mkk.core import periods
from mkk.core.values import plain

from . import services
from .models import (
    Case,
    CaseSequence,
    CaseStatus,
    Consent,
    Incident,
    ProtectionOrder,
    Referral,
    ReferralStatus,
    ShelterStay,
    VictimIdentity,
    gbvims_type_for,
    referral_kind_for,
)

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


class _Batch:
    """The demo's history, collected in memory and written in bulk.

    The same rows the services would write one by one (cases with their next reference,
    encrypted identities, incidents, referrals with their deadlines from the table, orders,
    shelter stays), each with the audit entry its save would have recorded; the receivers are
    told of each referral as ``referral_send`` tells them. A few hundred cases take a few
    statements instead of thousands of per-row validations and transactions.
    """

    def __init__(self, municipality):
        self.municipality = municipality
        self.cases: list[Case] = []
        self.identities: list = []
        self.children: dict[type, list] = {}
        self.referrals: list = []
        self.grounds: list[tuple] = []
        self.last: dict[int, int] = {}
        self.hours: dict[tuple, int] = {}
        self.before: dict[int, dict] = {}
        self.events: list[tuple] = []

    def change(self, obj, *, event: str, actor, **values) -> None:
        """Set ``values`` on ``obj`` as a later service call would: audited as an update and
        as the service's named event."""
        self.events.append((event, obj, actor))
        self.before.setdefault(id(obj), {f: getattr(obj, f) for f in values})
        for name, value in values.items():
            setattr(obj, name, value)

    def case(self, *, actor, identity, ground: str = "", reason: str = "", **fields) -> Case:
        year = fields["opened_on"].year
        if year not in self.last:
            seq = CaseSequence.objects.filter(municipality=self.municipality, year=year).first()
            self.last[year] = seq.last if seq else 0
        self.last[year] += 1
        case = Case(
            institution=actor.institution,
            reference=f"{services.reference_prefix(self.municipality)}-{year}-"
            f"{self.last[year]:06d}",
            victim_key=identity.victim_key,
            consent_recorded_by=actor
            if fields["consent_to_share"] != Consent.NOT_ASKED or ground
            else None,
            sharing_legal_ground=ground,
            sharing_reason=reason if ground else "",
            created_by=actor,
            **fields,
        )
        self.cases.append(case)
        self.identities.append((case, identity))
        if ground and fields["consent_to_share"] != Consent.YES:
            self.grounds.append((actor, case, ground))
        return case

    def child(self, model, **fields):
        obj = model(**fields)
        self.children.setdefault(model, []).append(obj)
        return obj

    def referral(self, *, actor, case, to_institution, urgency, sent_at, reason):
        kind = referral_kind_for(to_institution.kind)
        key = (actor.institution.kind, kind, urgency)
        if key not in self.hours:
            self.hours[key] = services.deadline_hours(
                from_kind=key[0], to_kind=kind, urgency=urgency, municipality=self.municipality
            )
        referral = Referral(
            case=case,
            from_institution=actor.institution,
            to_institution=to_institution,
            kind=kind,
            reason=reason,
            urgency=urgency,
            sent_at=sent_at,
            sent_by=actor,
            deadline_at=sent_at + dt.timedelta(hours=self.hours[key]),
        )
        self.referrals.append(referral)
        self.events.append((AuditAction.REFERRAL_SENT, referral, actor))
        return referral

    def write(self) -> None:
        Case.objects.bulk_create(self.cases, batch_size=500)
        for year, last in self.last.items():
            CaseSequence.objects.update_or_create(
                municipality=self.municipality, year=year, defaults={"last": last}
            )
        identities = [services._identity_row(case, ident) for case, ident in self.identities]
        rows = [*self.cases, *identities]
        VictimIdentity.objects.bulk_create(identities, batch_size=500)
        for obj in [*self.referrals, *(o for objs in self.children.values() for o in objs)]:
            obj.case_id = obj.case.pk  # the case had no key when the row was made
        Referral.objects.bulk_create(self.referrals, batch_size=500)
        rows += self.referrals
        for model, objs in self.children.items():
            model.objects.bulk_create(objs, batch_size=500)
            rows += objs
        ctx = current()
        entries = []
        for obj in rows:
            after = snapshot(obj)
            before = {**after, **snapshot_values(obj, self.before.get(id(obj), {}))}
            steps = [(AuditAction.CREATE, None, before)]
            if before != after:
                steps.append((AuditAction.UPDATE, before, after))
            entries += [
                AuditEntry(
                    action=action,
                    object_type=obj._meta.label_lower,
                    object_id=str(obj.pk),
                    object_repr=str(obj.audit_repr())[:250],
                    municipality_id=self.municipality.pk,
                    changes=diff(type(obj), old, new),
                    reason=ctx.reason or "",
                    ip_address=ctx.ip_address,
                )
                for action, old, new in steps
            ]
        entries += [
            AuditEntry(
                actor=actor,
                actor_username=actor.username,
                action=event,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj.audit_repr())[:250],
                municipality_id=self.municipality.pk,
                changes={},
                reason=ctx.reason or "",
                ip_address=ctx.ip_address,
            )
            for event, obj, actor in self.events
        ]
        AuditEntry.objects.bulk_create(entries, batch_size=500)
        for actor, case, ground in self.grounds:
            services._ground_recorded(actor, case, ground)
        for referral in self.referrals:
            case_notifications.referral_sent(referral)


def snapshot_values(obj, values: dict) -> dict:
    """``values`` (field name → value before a change) as the audit snapshot writes them."""
    out = {}
    for name, value in values.items():
        field = obj._meta.get_field(name)
        out[field.attname] = plain(value.pk if hasattr(value, "pk") else value)
    return out


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
    demo = _Demo(
        directory,
        users["drenas.police.case"],
        users["drenas.qps.case"],
        users["drenas.shelter.case"],
    )
    ended = min(demo.today - dt.timedelta(days=1), dt.date(2026, 12, 31))
    months = [p.start for p in periods.periods_between("month", dt.date(2025, 1, 1), ended)]
    counts = _police_counts(directory, months)
    serial = 0
    for month in months:
        for _ in range(counts[month]):
            serial += 1
            demo.police_case(month, serial)
    demo.batch.write()
    demo.waiting_referrals()
    if out:
        out.write(
            f"  cases: {demo.made} synthetic Drenas cases, "
            f"{demo.referrals} referrals to the centre for social work"
        )


class _Demo:
    """One run of the demo: the random stream (one fixed sequence of draws, so the demo is the
    same every time) and the three case workers, shared by the steps below."""

    def __init__(self, directory: dict, police, qps, shelter):
        self.rng = random.Random(SEED)  # noqa: S311 - synthetic demo data
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.drenas = directory["municipalities"]["drenas"]
        self.police, self.qps, self.shelter = police, qps, shelter
        self.made = self.referrals = 0
        self.batch = _Batch(self.drenas)  # the monthly history, written in bulk

    def police_case(self, month: dt.date, serial: int) -> None:
        """A police case of ``month`` with its incident, and what follows it."""
        rng = self.rng
        last_day = periods.month_end(month.year, month.month)
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
        case = self.batch.case(
            actor=self.police,
            identity=ident,
            sex=sex,
            age_group="child" if child else "adult",
            residence_municipality=self.drenas,
            consent_to_share=consent,
            consent_date=opened if consent == Consent.YES else None,
            ground="child_at_risk" if child else "",
            reason="Fëmijë në rrezik (demo)." if child else "",
            opened_on=opened,
            external_reference=f"DEMO-{serial:04d}",
        )
        reported = self._incident(case, opened)
        if rng.random() < 0.55 or child:
            self._refer_to_qps(case, ident, reported, serial)
        self._order_and_close(case, opened)
        self.made += 1

    def _incident(self, case, opened: dt.date) -> dt.datetime:
        rng = self.rng
        reported = _at(opened, rng.randint(0, 23), rng.choice([0, 15, 30, 45]))
        forms = list(rng.choice(FORMS))
        self.batch.child(
            Incident,
            recorded_by=self.police,
            case=case,
            occurred_on=opened,
            forms=forms,
            gbvims_type=gbvims_type_for(forms),
            relation=rng.choice(RELATIONS),
            perpetrator_sex="male" if rng.random() < 0.9 else "female",
            perpetrator_age_group="adult",
            risk_level=rng.choice(["low", "medium", "medium", "high"]),
            children_affected=rng.choice([0, 0, 1, 2, 3]),
            reported_at=reported,
            summary="Rast sintetik për demonstrim.",
        )
        return reported

    def _refer_to_qps(self, case, ident, reported: dt.datetime, serial: int) -> None:
        """Referred to the centre for social work: most accepted (some late), a few waiting."""
        rng = self.rng
        sent = reported + dt.timedelta(hours=rng.randint(1, 6))
        urgent = rng.random() < 0.25
        r = self.batch.referral(
            actor=self.police,
            case=case,
            to_institution=self.qps.institution,
            reason="Vlerësim social dhe mbështetje psiko-sociale.",
            urgency="urgent" if urgent else "normal",
            sent_at=sent,
        )
        self.referrals += 1
        recent = (self.now - sent).days < 3
        if recent and rng.random() < 0.5:
            return  # still waiting (overdue if past the deadline)
        late = rng.random() < 0.15
        limit = (r.deadline_at - sent).total_seconds() / 3600
        hours = limit * (1 + rng.random()) if late else limit * rng.uniform(0.1, 0.95)
        self.batch.change(
            r,
            event=AuditAction.REFERRAL_ACCEPTED,
            actor=self.qps,
            status=ReferralStatus.ACCEPTED,
            responded_at=min(sent + dt.timedelta(hours=hours), self.now),
            responded_by=self.qps,
            consent_recorded=case.consent_to_share == Consent.YES,
        )
        qps_day = min((sent + dt.timedelta(hours=hours)).date(), self.today)
        if rng.random() < 0.3:
            self._qps_own_file(case, ident, qps_day, serial)
        if rng.random() < 0.2:
            self._shelter_stay(case, ident, sent, hours, serial)

    def _qps_own_file(self, case, ident, day: dt.date, serial: int) -> None:
        """The centre for social work also opens its own file for the same person."""
        self.batch.case(
            actor=self.qps,
            identity=services.Identity(
                personal_number=ident.personal_number,
                full_name=ident.full_name,
                date_of_birth=ident.date_of_birth,
                address=ident.address,
            ),
            sex=case.sex,
            age_group=case.age_group,
            residence_municipality=self.drenas,
            consent_to_share=case.consent_to_share,
            consent_date=day if case.consent_to_share == Consent.YES else None,
            opened_on=day,
            external_reference=f"DEMO-Q{serial:04d}",
        )
        self.made += 1

    def _shelter_stay(self, case, ident, sent: dt.datetime, hours: float, serial: int) -> None:
        """The social worker places her in the shelter, which opens its own case."""
        stay_day = (sent + dt.timedelta(hours=hours + 3)).date()
        if stay_day > self.today:
            return
        s = self.batch.referral(
            actor=self.qps,
            case=case,
            to_institution=self.shelter.institution,
            reason="Strehim i sigurt.",
            urgency="urgent",
            sent_at=sent + dt.timedelta(hours=hours + 1),
        )
        self.batch.change(
            s,
            event=AuditAction.REFERRAL_ACCEPTED,
            actor=self.shelter,
            status=ReferralStatus.ACCEPTED,
            responded_at=sent + dt.timedelta(hours=hours + 2),
            responded_by=self.shelter,
            consent_recorded=True,
        )
        own = self.batch.case(
            actor=self.shelter,
            identity=services.Identity(
                personal_number=ident.personal_number,
                full_name=ident.full_name,
                date_of_birth=ident.date_of_birth,
            ),
            sex=case.sex,
            age_group=case.age_group,
            residence_municipality=self.drenas,
            consent_to_share=Consent.YES,
            consent_date=stay_day,
            opened_on=stay_day,
            external_reference=f"DEMO-S{serial:04d}",
        )
        self.batch.child(
            ShelterStay,
            recorded_by=self.shelter,
            institution=self.shelter.institution,
            case=own,
            admitted_on=stay_day,
            accompanying_children=self.rng.choice([0, 1, 2]),
        )
        self.made += 1

    def _order_and_close(self, case, opened: dt.date) -> None:
        rng = self.rng
        if rng.random() < 0.3:
            self.batch.child(
                ProtectionOrder,
                recorded_by=self.police,
                case=case,
                kind="interim_police",
                status="issued",
                requested_on=opened,
                decided_on=opened,
                valid_until=opened + dt.timedelta(days=3),
            )
        if (self.today - opened).days > 180 and rng.random() < 0.6:
            self.batch.change(
                case,
                event=AuditAction.CASE_CLOSED,
                actor=self.police,
                status=CaseStatus.CLOSED,
                closed_at=self.now,
            )

    def waiting_referrals(self) -> None:
        """This month (not in the monthly statistics yet): referrals waiting, two overdue."""
        for i, (hours_ago, to) in enumerate([(50, self.qps), (30, self.shelter), (2, self.qps)]):
            # never before this month's first day, so ended months keep matching the statistics
            sent = max(
                self.now - dt.timedelta(hours=hours_ago), _at(self.today.replace(day=1), 1, 30)
            )
            opened = timezone.localtime(sent).date()
            case = services.case_create(
                actor=self.police,
                institution=self.police.institution,
                identity=services.Identity(
                    full_name=f"{FIRST[i]} {LAST[i]} (demo)",
                    personal_number=f"{self.rng.randint(10**9, 10**10 - 1)}",
                    date_of_birth=dt.date(1980 + i, 3, 1),
                    address=f"Rruga Demo {i + 1}, Drenas",
                ),
                sex="female",
                age_group="adult",
                residence_municipality=self.drenas,
                consent_to_share=Consent.YES,
                consent_date=opened,
                opened_on=opened,
                external_reference=f"DEMO-N{i}",
            )
            services.incident_add(
                actor=self.police,
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
                actor=self.police,
                case=case,
                to_institution=to.institution,
                reason="Vlerësim dhe mbështetje.",
                sent_at=sent,
            )
            self.made += 1
            self.referrals += 1
