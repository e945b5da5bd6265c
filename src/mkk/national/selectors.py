"""What the national coordinator reads: every municipality's reporting and aggregates.

Every function here loads in a fixed number of queries whatever the number of
municipalities (no query per municipality, institution or data set), and returns
aggregates only: no case, no person.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from mkk.core import periods
from mkk.directory.models import Institution, Mechanism, Municipality, Region, ReportingLevel
from mkk.statistics.comparison import _kind_rank, choose_submissions, data_sets_by_kind
from mkk.statistics.models import DataElement, DataSet, Status, Submission

# States of a cell of the completeness matrix, from worst to best.
MISSING, LATE, SUBMITTED, APPROVED, NO_UNIT = "missing", "late", "submitted", "approved", "none"
STATE_ORDER = [MISSING, LATE, SUBMITTED, APPROVED]


@dataclass
class Cell:
    """One municipality's figures of one data set for the period."""

    state: str
    units: int = 0  # institutions expected to report for it
    done: int = 0  # of which fully submitted
    overdue: bool = False


@dataclass
class MatrixRow:
    municipality: Municipality
    cells: list[Cell]


@dataclass
class Matrix:
    start: dt.date
    end: dt.date
    data_sets: list[DataSet]
    rows: list[MatrixRow]
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class _Sub:
    pk: int
    period_start: dt.date
    period_end: dt.date
    status: str
    day: dt.date

    @property
    def days(self) -> int:
        return (self.period_end - self.period_start).days + 1


def _day(moment) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def completeness_matrix(start: dt.date, end: dt.date, *, today: dt.date | None = None) -> Matrix:
    """Municipality × data set for one period: approved, submitted, late or missing.

    A municipality's units for a data set are its own municipal institutions of that type and
    the regional ones serving its region (so Kamenica's police figures come from the Gjilan
    Regional Directorate). A cell is as good as its worst unit; ``none`` when no institution
    reports that data set for the municipality.
    """
    today = today or timezone.localdate()
    by_kind = data_sets_by_kind()
    data_sets = sorted(
        (ds for sets in by_kind.values() for ds in sets),
        key=lambda ds: (_kind_rank(ds.institution_kind), ds.code),
    )
    municipalities = list(Municipality.objects.select_related("region").order_by("name_sq"))
    insts = list(
        Institution.objects.filter(is_active=True, kind__in=list(by_kind))
        .exclude(level=ReportingLevel.NATIONAL)
        .select_related("municipality")
        .order_by()
    )
    subs = _submissions_of(insts, start, end)
    total_days = (end - start).days + 1

    def unit_state(inst: Institution, ds: DataSet) -> str:
        used = choose_submissions(subs.get((inst.pk, ds.pk), []))
        if sum(s.days for s in used) < total_days:
            return MISSING
        due = periods.deadline(end, ds.deadline_days)
        if max(s.day for s in used) > due:
            return LATE
        return APPROVED if all(s.status == Status.APPROVED for s in used) else SUBMITTED

    state_of: dict[tuple[int, int], str] = {}
    municipal: dict[tuple[int, str], list[Institution]] = defaultdict(list)
    regional: dict[tuple[int | None, str], list[Institution]] = defaultdict(list)
    for inst in insts:
        for ds in by_kind[inst.kind]:
            state_of[(inst.pk, ds.pk)] = unit_state(inst, ds)
        if inst.level == ReportingLevel.REGIONAL:
            regional[(inst.served_region_id, inst.kind)].append(inst)
        else:
            municipal[(inst.municipality_id, inst.kind)].append(inst)

    counts = dict.fromkeys([*STATE_ORDER, NO_UNIT], 0)
    matrix_rows = []
    for m in municipalities:
        cells = []
        for ds in data_sets:
            kind = ds.institution_kind
            units = municipal.get((m.pk, kind), []) + regional.get((m.region_id, kind), [])
            cell = _cell(units, ds, state_of, end=end, today=today)
            counts[cell.state] += 1
            cells.append(cell)
        matrix_rows.append(MatrixRow(m, cells))
    return Matrix(start, end, data_sets, matrix_rows, counts)


def _cell(units, ds: DataSet, state_of, *, end: dt.date, today: dt.date) -> Cell:
    """A municipality's cell for one data set: as good as its worst unit."""
    if not units:
        return Cell(NO_UNIT)
    states = [state_of[(u.pk, ds.pk)] for u in units]
    worst = min(states, key=STATE_ORDER.index)
    return Cell(
        worst,
        units=len(units),
        done=sum(1 for s in states if s != MISSING),
        overdue=worst == MISSING and today > periods.deadline(end, ds.deadline_days),
    )


def _submissions_of(insts, start: dt.date, end: dt.date) -> dict[tuple[int, int], list[_Sub]]:
    """Submitted and approved submissions inside [start, end], by (institution, data set)."""
    subs: dict[tuple[int, int], list[_Sub]] = defaultdict(list)
    rows = (
        Submission.objects.filter(
            institution__in=[i.pk for i in insts],
            period_start__gte=start,
            period_end__lte=end,
            status__in=[Status.SUBMITTED, Status.APPROVED],
        )
        .order_by()
        .values_list(
            "pk",
            "institution_id",
            "data_set_id",
            "period_start",
            "period_end",
            "status",
            "submitted_at",
            "approved_at",
            "created_at",
        )
    )
    for pk, inst_id, ds_id, p_start, p_end, status, submitted, approved, created in rows:
        day = _day(submitted) or _day(approved) or _day(created) or p_end
        subs[(inst_id, ds_id)].append(_Sub(pk, p_start, p_end, status, day))
    return subs


@dataclass
class MechanismRow:
    municipality: Municipality
    mechanism: Mechanism | None
    last_report: object | None = None
    plan: object | None = None
    implementation_rate: Decimal | None = None  # completed ÷ non-cancelled actions, 0..100


def mechanisms(today: dt.date | None = None) -> list[MechanismRow]:
    """Every municipality with its mechanism, last published report and the completion rate
    of its current plan (latest approved progress of each action up to today)."""
    from mkk.plans.models import (
        Action,
        ActionPlan,
        ActionStatus,
        PlanStatus,
        ProgressUpdate,
        ReviewState,
    )
    from mkk.reports.models import MonitoringReport, ReportStatus

    today = today or timezone.localdate()
    municipalities = list(Municipality.objects.select_related("region").order_by("name_sq"))
    mechs = {m.municipality_id: m for m in Mechanism.objects.all()}
    reports: dict[int, MonitoringReport] = {}
    for r in (
        MonitoringReport.objects.filter(status=ReportStatus.PUBLISHED)
        .order_by("mechanism_id", "-period_end", "-published_at", "-pk")
        .only(
            "pk",
            "mechanism_id",
            "period_start",
            "period_end",
            "language",
            "title",
            "published_at",
            "public_slug",
            "version",
            "status",
        )
    ):
        reports.setdefault(r.mechanism_id, r)
    plans: dict[int, ActionPlan] = {}
    candidates = ActionPlan.objects.filter(
        start_year__lte=today.year, end_year__gte=today.year
    ).order_by("-start_year", "-pk")
    for p in sorted(
        candidates,
        key=lambda p: (p.status != PlanStatus.ARCHIVED, p.status == PlanStatus.ADOPTED),
        reverse=True,
    ):
        plans.setdefault(p.mechanism_id, p)
    plan_ids = [p.pk for p in plans.values()]
    actions = defaultdict(list)
    for pk, plan_id in (
        Action.objects.filter(plan_id__in=plan_ids).order_by().values_list("pk", "plan_id")
    ):
        actions[plan_id].append(pk)
    latest: dict[int, str] = {}
    for action_id, status in (
        ProgressUpdate.objects.filter(
            action__plan_id__in=plan_ids,
            review_state=ReviewState.APPROVED,
            period_start__lte=today,
        )
        .order_by("action_id", "period_start", "pk")
        .values_list("action_id", "status")
    ):
        latest[action_id] = status
    out = []
    for m in municipalities:
        mech = mechs.get(m.pk)
        row = MechanismRow(m, mech)
        if mech is not None:
            row.last_report = reports.get(mech.pk)
            plan = plans.get(mech.pk)
            row.plan = plan
            if plan is not None:
                statuses = [latest.get(a, ActionStatus.NOT_STARTED) for a in actions[plan.pk]]
                counted = [s for s in statuses if s != ActionStatus.CANCELLED]
                if counted:
                    done = sum(1 for s in counted if s == ActionStatus.COMPLETED)
                    row.implementation_rate = (Decimal(done) * 100 / len(counted)).quantize(
                        Decimal("0.1")
                    )
        out.append(row)
    return out


def regions() -> list[Region]:
    return list(Region.objects.all())


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last complete quarter."""
    p = periods.last_complete("quarter", today or timezone.localdate())
    return p.start, p.end


def active_elements() -> QuerySet[DataElement]:
    """The data elements a national page offers to choose from."""
    return DataElement.objects.filter(is_active=True).order_by("order", "code")
