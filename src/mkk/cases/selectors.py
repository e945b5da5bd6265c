"""Reads of the case layer, always through mkk.accounts.scoping.

Two kinds of readers:

* case workers (``cases_for_worker``, ``case_for_worker``, ``referrals_for_worker``…): the
  cases of their institution and those referred to it and accepted; identity only through
  ``services.identity_reveal``;
* coordinators, national coordinator, administrators (``reference_list``, ``case_figures``):
  pseudonymous references and aggregates. These querysets never touch VictimIdentity.
"""

from __future__ import annotations

import datetime as dt
import statistics as pystats
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from mkk.accounts import scoping
from mkk.directory.models import SERVICE_KINDS, Institution, InstitutionKind

from .models import Case, Incident, Referral, ReferralStatus

ACCEPTED = [ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED]


def _accepted_by(institution_id: int) -> Q:
    return Q(referrals__to_institution_id=institution_id, referrals__status__in=ACCEPTED)


# --- Case workers ------------------------------------------------------------------------------


def cases_for_worker(user) -> QuerySet[Case]:
    """Cases of the user's institution and those referred to it and accepted (none for others)."""
    qs = Case.objects.select_related(
        "institution", "institution__municipality", "residence_municipality"
    )
    return scoping.scope_case_records(user, qs, shared=_accepted_by)


def search_cases(user, *, q="", status="", risk="", institution=None, year=None):
    """A case worker's cases filtered by reference (own or external), status, a recorded risk
    level, owning institution and the year opened. Never searches identity."""
    qs = cases_for_worker(user)
    if q:
        qs = qs.filter(
            Q(reference__icontains=q.strip()) | Q(external_reference__icontains=q.strip())
        )
    if status:
        qs = qs.filter(status=status)
    if risk:
        qs = qs.filter(pk__in=Incident.objects.filter(risk_level=risk).values("case_id"))
    if institution is not None:
        qs = qs.filter(institution=institution)
    if year:
        qs = qs.filter(opened_on__year=year)
    return qs.order_by("-opened_on", "-pk")


def worker_case_institutions(user):
    """Institutions owning a case the worker sees: the choices of the list's filter."""
    owners = cases_for_worker(user).values("institution_id")
    return Institution.objects.filter(pk__in=owners).order_by("name_sq")


def case_for_worker(user, pk: int) -> Case:
    """One case the case worker may open; 404 for anything else (also for every other role)."""
    return scoping.get_for_user(user, cases_for_worker(user), pk=pk)


def referrals_for_worker(user) -> QuerySet[Referral]:
    """Referrals of the user's own cases, and referrals sent to the user's institution."""
    qs = Referral.objects.select_related(
        "case", "from_institution", "to_institution", "case__institution"
    )
    return scoping.scope_case_records(
        user, qs, shared=lambda inst: Q(to_institution_id=inst) | Q(from_institution_id=inst)
    )


def referral_for_worker(user, pk: int) -> Referral:
    return scoping.get_for_user(user, referrals_for_worker(user), pk=pk)


def incoming_referrals(user) -> QuerySet[Referral]:
    return referrals_for_worker(user).filter(to_institution_id=user.institution_id)


def outgoing_referrals(user) -> QuerySet[Referral]:
    return referrals_for_worker(user).filter(from_institution_id=user.institution_id)


def overdue(qs: QuerySet[Referral], now=None) -> QuerySet[Referral]:
    return qs.filter(status=ReferralStatus.SENT, deadline_at__lt=now or timezone.now())


def child_for_worker(user, model, pk: int):
    """A protection order, court outcome, shelter stay or service of a case the worker may open."""
    qs = model.objects.select_related("case", "case__institution")
    return scoping.get_for_user(
        user,
        scoping.scope_case_records(
            user,
            qs,
            shared=lambda i: Q(
                **{
                    "case__referrals__to_institution_id": i,
                    "case__referrals__status__in": ACCEPTED,
                }
            ),
        ),
        pk=pk,
    )


# --- Pseudonymous: coordinators, national, admin -----------------------------------------------


def reference_list(user, municipality) -> QuerySet[Case]:
    """References, institutions, dates and referrals of a municipality's cases; never identity."""
    if not scoping.can_read_case_rows(user):
        return Case.objects.none()
    qs = Case.objects.filter(institution__municipality=municipality).select_related("institution")
    qs = qs.prefetch_related("referrals__to_institution")
    return scoping.scope(user, qs)


# --- Mechanism figures (reports call this) -----------------------------------------------------


@dataclass(frozen=True)
class CaseFigures:
    municipality_id: int
    start: dt.date
    end: dt.date
    cases: int
    unique_victims: int
    victims_in_more_than_one_institution: int
    #: [(institution, number of cases)], most cases first
    cases_by_institution: list = field(default_factory=list)
    #: hours from the police report to the centre for social work's acceptance
    police_to_social_work_hours: list = field(default_factory=list)
    median_hours_police_to_social_work: float | None = None
    p90_hours_police_to_social_work: float | None = None
    referrals_sent: int = 0
    referrals_due: int = 0
    referrals_answered_in_time: int = 0
    share_answered_in_time: float | None = None
    overdue_now: int = 0


def percentile(values: list[float], p: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None for no values."""
    if not values:
        return None
    data = sorted(values)
    if len(data) == 1:
        return float(data[0])
    pos = (len(data) - 1) * p / 100
    low = int(pos)
    high = min(low + 1, len(data) - 1)
    return float(data[low] + (data[high] - data[low]) * (pos - low))


def case_figures(*, municipality, start: dt.date, end: dt.date, now=None) -> CaseFigures:
    """Figures no institution has alone, for cases opened in [start, end] by institutions of
    ``municipality``. Small numbers are NOT suppressed here (internal); reports suppress.

    * unique victims: distinct pseudonymous victim keys across institutions;
    * victims in more than one institution: keys with cases in two or more institutions;
    * police → social work: for referrals sent in the period from a police case to a centre
      for social work and accepted, hours from the earliest police report time of the case
      (``Incident.reported_at``, else the referral's sending time) to the acceptance;
    * share answered within the deadline: among referrals sent in the period that were
      answered (accepted or declined) or whose deadline has passed, those answered by the
      deadline (withdrawn referrals are left out);
    * overdue now: referrals of the municipality's cases waiting past their deadline today.
    """
    now = now or timezone.now()
    cases = Case.objects.filter(
        institution__municipality=municipality, opened_on__gte=start, opened_on__lte=end
    )
    rows = list(cases.values_list("victim_key", "institution_id"))
    institutions_per_key: dict[str, set[int]] = defaultdict(set)
    anonymous = 0
    for key, inst in rows:
        if key:
            institutions_per_key[key].add(inst)
        else:
            anonymous += 1
    start_dt = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    end_dt = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    referrals = Referral.objects.filter(
        case__institution__municipality=municipality, sent_at__gte=start_dt, sent_at__lt=end_dt
    ).select_related("case__institution", "to_institution")
    hours, sent, due, in_time = _referral_times(list(referrals), now)
    overdue_now = Referral.objects.filter(
        case__institution__municipality=municipality,
        status=ReferralStatus.SENT,
        deadline_at__lt=now,
    ).count()
    return CaseFigures(
        municipality_id=municipality.pk,
        start=start,
        end=end,
        cases=len(rows),
        unique_victims=len(institutions_per_key) + anonymous,
        victims_in_more_than_one_institution=sum(
            1 for s in institutions_per_key.values() if len(s) > 1
        ),
        cases_by_institution=_cases_by_institution(rows),
        police_to_social_work_hours=sorted(hours),
        median_hours_police_to_social_work=round(pystats.median(hours), 1) if hours else None,
        p90_hours_police_to_social_work=round(percentile(hours, 90), 1) if hours else None,
        referrals_sent=sent,
        referrals_due=due,
        referrals_answered_in_time=in_time,
        share_answered_in_time=round(in_time / due, 3) if due else None,
        overdue_now=overdue_now,
    )


def _cases_by_institution(rows) -> list:
    """(institution, cases) for each institution with cases, most cases first."""
    by_inst = Counter(inst for _, inst in rows)
    names = {i.pk: i for i in Institution.objects.filter(pk__in=by_inst)}
    return sorted(
        ((names[pk], n) for pk, n in by_inst.items()), key=lambda t: (-t[1], t[0].name_sq)
    )


def _first_reports(case_ids: set[int]) -> dict:
    """The earliest police report time of each case (``Incident.reported_at``)."""
    from .models import Incident

    times: dict = {}
    for case_id, reported in Incident.objects.filter(
        case_id__in=case_ids, reported_at__isnull=False
    ).values_list("case_id", "reported_at"):
        if case_id not in times or reported < times[case_id]:
            times[case_id] = reported
    return times


def _referral_times(referrals: list, now) -> tuple[list[float], int, int, int]:
    """Hours police → social work, and referrals sent, due and answered in time."""
    police_cases = {
        r.case_id for r in referrals if r.case.institution.kind == InstitutionKind.POLICE
    }
    report_times = _first_reports(police_cases) if police_cases else {}
    hours: list[float] = []
    sent = due = in_time = 0
    for r in referrals:
        if r.status == ReferralStatus.WITHDRAWN:
            continue
        sent += 1
        if r.responded_at is not None or r.deadline_at < now:
            due += 1
            if r.responded_at is not None and r.responded_at <= r.deadline_at:
                in_time += 1
        if (
            r.case_id in police_cases
            and r.to_institution.kind == InstitutionKind.SOCIAL_WORK
            and r.status in ACCEPTED
            and r.responded_at is not None
        ):
            origin = report_times.get(r.case_id, r.sent_at)
            hours.append(round(max((r.responded_at - origin).total_seconds(), 0) / 3600, 2))
    return hours, sent, due, in_time


def referral_counts_by_status(municipality) -> dict[str, int]:
    qs = Referral.objects.filter(case__institution__municipality=municipality)
    return dict(qs.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))


def deadline_rows(municipality) -> list:
    """Every deadline that applies in ``municipality``: its own rows first, then the national ones
    it does not override."""
    from .models import ReferralDeadline

    own = list(ReferralDeadline.objects.filter(municipality=municipality))
    keys = {(r.from_kind, r.to_kind, r.urgency) for r in own}
    national = [
        r
        for r in ReferralDeadline.objects.filter(municipality__isnull=True)
        if (r.from_kind, r.to_kind, r.urgency) not in keys
    ]
    return sorted(own + national, key=lambda r: (r.to_kind, r.from_kind, r.urgency))


#: Institution types whose statistics the case records give (see services.statistics_values).
STATISTICS_KINDS = ["police", "social_work", "victim_advocate", "shelter", "legal_aid"]


def statistics_institutions(user, municipality):
    """Institutions of ``municipality`` the user may write statistics for, from case records."""

    qs = scoping.scope(
        user, Institution.objects.filter(municipality=municipality, kind__in=STATISTICS_KINDS)
    )
    return [i for i in qs if scoping.can_submit_for_institution(user, i.pk)]


def institution_choices(institutions) -> QuerySet[Institution]:
    """Those institutions as a form's choices."""
    return Institution.objects.filter(pk__in=[i.pk for i in institutions])


def referral_targets(case: Case, own_institution_id: int):
    """Service providers of the case's municipality, plus shelters and legal aid anywhere."""
    return (
        Institution.objects.filter(is_active=True, kind__in=SERVICE_KINDS)
        .filter(
            Q(municipality_id=case.institution.municipality_id)
            | Q(kind__in=[InstitutionKind.SHELTER, InstitutionKind.LEGAL_AID])
        )
        .exclude(pk__in=[own_institution_id, case.institution_id])
        .select_related("municipality")
    )
