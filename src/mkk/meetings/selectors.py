"""Reads of the meetings app, always through the access-scoping module.

``meeting_summary`` is the one place that counts meetings for the monitoring report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from mkk.accounts import scoping
from mkk.directory.models import Institution, Municipality

from .models import (
    Activity,
    Attendance,
    AttendanceStatus,
    CaseDiscussed,
    Decision,
    FollowUp,
    FollowUpStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
)

OPEN_STATUSES = (FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS)


# --- Scoped reads for the pages --------------------------------------------------------------


def meetings_for(user, municipality: Municipality) -> QuerySet[Meeting]:
    return (
        scoping.scope(user, Meeting.objects.all())
        .filter(mechanism__municipality=municipality)
        .annotate(
            n_decisions=Count("decisions", distinct=True),
            n_present=Count(
                "attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT), distinct=True
            ),
        )
    )


def meeting_for(user, pk: int) -> Meeting:
    return scoping.get_for_user(
        user,
        Meeting.objects.select_related("mechanism__municipality").prefetch_related(
            "agenda_items",
            Prefetch("attendance", queryset=Attendance.objects.select_related("institution")),
            "cases_discussed",
            Prefetch(
                "decisions",
                queryset=Decision.objects.prefetch_related(
                    Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner"))
                ),
            ),
        ),
        pk=pk,
    )


def decision_for(user, pk: int) -> Decision:
    return scoping.get_for_user(
        user, Decision.objects.select_related("meeting__mechanism__municipality"), pk=pk
    )


def follow_up_for(user, pk: int) -> FollowUp:
    return scoping.get_for_user(
        user,
        FollowUp.objects.select_related("owner", "decision__meeting__mechanism__municipality"),
        pk=pk,
    )


def case_discussed_for(user, pk: int) -> CaseDiscussed:
    return scoping.get_for_user(
        user, CaseDiscussed.objects.select_related("meeting__mechanism"), pk=pk
    )


def activities_for(user, municipality: Municipality) -> QuerySet[Activity]:
    return scoping.scope(user, Activity.objects.select_related("meeting")).filter(
        mechanism__municipality=municipality
    )


def activity_for(user, pk: int) -> Activity:
    return scoping.get_for_user(
        user, Activity.objects.select_related("mechanism__municipality"), pk=pk
    )


def follow_ups_for(user, municipality: Municipality, *, mine: bool = False) -> QuerySet[FollowUp]:
    """Follow-up tasks of the municipality; ``mine`` limits a focal point to their institution."""
    qs = scoping.scope(
        user,
        FollowUp.objects.select_related("owner", "decision__meeting"),
        own_institution=mine,
    ).filter(decision__meeting__mechanism__municipality=municipality)
    return qs


def overdue_follow_ups(user, *, on: dt.date | None = None) -> QuerySet[FollowUp]:
    """Open tasks past their due date the user should act on: all of a coordinator's
    municipality, a focal point's own institution's."""
    day = on or timezone.localdate()
    qs = FollowUp.objects.select_related(
        "owner", "decision__meeting__mechanism__municipality"
    ).filter(status__in=OPEN_STATUSES, due_date__lt=day)
    own_institution = scoping.follow_ups_own_institution_only(user)
    if own_institution is None:
        return qs.none()
    return scoping.scope(user, qs, own_institution=own_institution)


def open_follow_ups_of_institution(user) -> QuerySet[FollowUp]:
    return scoping.scope(
        user,
        FollowUp.objects.select_related("owner", "decision__meeting").filter(
            status__in=OPEN_STATUSES
        ),
        own_institution=True,
    )


def next_meeting(user, municipality: Municipality) -> Meeting | None:
    return (
        scoping.scope(user, Meeting.objects.all())
        .filter(
            mechanism__municipality=municipality,
            status=MeetingStatus.PLANNED,
            date__gte=timezone.localdate(),
        )
        .order_by("date", "start_time")
        .first()
    )


# --- Numbers for the monitoring report --------------------------------------------------------


def _rate(part: int, whole: int) -> Decimal | None:
    """Percentage with one decimal place, e.g. Decimal("87.5"); None when there is nothing."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class InstitutionAttendance:
    institution: Institution
    meetings: int  # held meetings in the period with this institution's attendance recorded
    present: int
    excused: int
    absent: int
    rate: Decimal | None  # present / meetings, in percent (0–100, one decimal), None if 0


@dataclass(frozen=True)
class OverdueFollowUp:
    follow_up: FollowUp
    owner: Institution
    due_date: dt.date
    description: str
    decision: str
    meeting_date: dt.date


@dataclass(frozen=True)
class FollowUpCounts:
    total: int  # tasks of decisions taken in the period, not cancelled
    done: int  # completed on or before the end date
    open: int  # total - done
    overdue: int  # open at the end date (or today, if earlier) and past their due date
    overdue_list: list[OverdueFollowUp] = field(default_factory=list)


@dataclass(frozen=True)
class ActivityRow:
    kind: str
    kind_display: str
    involvement: str
    title: str
    date: dt.date
    partner: str
    participants: int | None


@dataclass(frozen=True)
class MeetingSummary:
    municipality: Municipality
    start: dt.date
    end: dt.date
    meetings_held: int
    by_type: dict[str, int]  # MeetingKind value -> held meetings (every kind present, maybe 0)
    case_conferences: int
    attendance: list[InstitutionAttendance]
    attendance_rate: Decimal | None  # all present / all recorded, percent
    decisions_taken: int
    follow_ups: FollowUpCounts
    activities: list[ActivityRow]
    challenges: list[str]
    cases_discussed: int
    meetings: list[Meeting]


def _attendance_of(ids: list[int]) -> list[InstitutionAttendance]:
    """Each institution's attendance of the meetings ``ids``, best rate first."""
    rows: dict[int, dict] = {}
    institutions: dict[int, Institution] = {}
    for a in Attendance.objects.filter(meeting_id__in=ids).select_related("institution"):
        institutions[a.institution_id] = a.institution
        counts = rows.setdefault(a.institution_id, dict.fromkeys(AttendanceStatus.values, 0))
        counts[a.status] += 1
    attendance = []
    for inst_id, counts in rows.items():
        total = sum(counts.values())
        attendance.append(
            InstitutionAttendance(
                institution=institutions[inst_id],
                meetings=total,
                present=counts[AttendanceStatus.PRESENT],
                excused=counts[AttendanceStatus.EXCUSED],
                absent=counts[AttendanceStatus.ABSENT],
                rate=_rate(counts[AttendanceStatus.PRESENT], total),
            )
        )
    attendance.sort(key=lambda r: (-(r.rate or Decimal(-1)), r.institution.name_sq))
    return attendance


def _follow_ups_of(ids: list[int], end: dt.date) -> FollowUpCounts:
    """The follow-ups of the meetings ``ids`` as they stood at the end of ``end``."""
    as_of = min(end, timezone.localdate())
    end_of_day = timezone.make_aware(dt.datetime.combine(end, dt.time.max))
    tasks = list(
        FollowUp.objects.filter(decision__meeting_id__in=ids)
        .exclude(status=FollowUpStatus.CANCELLED)
        .select_related("owner", "decision__meeting")
        .order_by("due_date", "pk")
    )
    done = [
        t
        for t in tasks
        if t.status == FollowUpStatus.DONE and t.completed_at and t.completed_at <= end_of_day
    ]
    done_ids = {t.pk for t in done}
    overdue = [t for t in tasks if t.pk not in done_ids and t.due_date < as_of]
    return FollowUpCounts(
        total=len(tasks),
        done=len(done),
        open=len(tasks) - len(done),
        overdue=len(overdue),
        overdue_list=[
            OverdueFollowUp(
                follow_up=t,
                owner=t.owner,
                due_date=t.due_date,
                description=t.description,
                decision=t.decision.text,
                meeting_date=t.decision.meeting.date,
            )
            for t in overdue
        ],
    )


def _activities_of(municipality: Municipality, start: dt.date, end: dt.date) -> list[ActivityRow]:
    return [
        ActivityRow(
            kind=a.kind,
            kind_display=a.get_kind_display(),
            involvement=a.involvement,
            title=a.title,
            date=a.date,
            partner=a.partner,
            participants=a.participants,
        )
        for a in Activity.objects.filter(
            mechanism__municipality=municipality, date__gte=start, date__lte=end
        ).order_by("date", "pk")
    ]


def meeting_summary(*, municipality: Municipality, start: dt.date, end: dt.date) -> MeetingSummary:
    """What the mechanism of ``municipality`` did from ``start`` to ``end`` (both included).

    Counts only meetings with status *held*. Not scoped to a user: the caller (the report)
    decides who may see the numbers.
    """
    held = list(
        Meeting.objects.filter(
            mechanism__municipality=municipality,
            status=MeetingStatus.HELD,
            date__gte=start,
            date__lte=end,
        ).order_by("date", "start_time", "pk")
    )
    ids = [m.pk for m in held]
    by_type = dict.fromkeys(MeetingKind.values, 0)
    for m in held:
        by_type[m.kind] += 1
    attendance = _attendance_of(ids)
    all_present = sum(r.present for r in attendance)
    all_recorded = sum(r.meetings for r in attendance)
    return MeetingSummary(
        municipality=municipality,
        start=start,
        end=end,
        meetings_held=len(held),
        by_type=by_type,
        case_conferences=by_type[MeetingKind.CASE_CONFERENCE],
        attendance=attendance,
        attendance_rate=_rate(all_present, all_recorded),
        decisions_taken=Decision.objects.filter(meeting_id__in=ids).count(),
        follow_ups=_follow_ups_of(ids, end),
        activities=_activities_of(municipality, start, end),
        challenges=[m.challenges.strip() for m in held if m.challenges.strip()],
        cases_discussed=CaseDiscussed.objects.filter(meeting_id__in=ids).count(),
        meetings=held,
    )
