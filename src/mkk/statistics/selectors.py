"""Reads of the statistics app, always through the access-scoping module."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from mkk.accounts import scoping
from mkk.core import periods, versions
from mkk.directory.models import Institution, Municipality

from .comparison import KIND_ORDER, choose_submissions, compare_range, data_sets_by_kind
from .models import DataElement, DataSet, DataValue, Disaggregation, Status, Submission


def submissions_for(user, municipality: Municipality | None = None) -> QuerySet[Submission]:
    """Submissions the user may read: a focal point only their institution's."""
    if not scoping.can_read_records(user):
        return Submission.objects.none()
    qs = scoping.scope(
        user,
        Submission.objects.select_related("institution", "data_set", "submitted_by", "approved_by"),
        own_institution=True,
    )
    if municipality is not None:
        qs = qs.filter(institution__municipality=municipality)
    return qs


def submissions_filtered(
    user, municipality, *, status="", institution=None, data_set=None, year=None
) -> QuerySet[Submission]:
    """The submissions list with its filters, newest period first."""
    qs = submissions_for(user, municipality)
    if status:
        qs = qs.filter(status=status)
    if institution is not None:
        qs = qs.filter(institution=institution)
    if data_set is not None:
        qs = qs.filter(data_set=data_set)
    if year:
        qs = qs.filter(period_start__year__lte=year, period_end__year__gte=year)
    return qs.order_by("-period_start", "institution__name_sq", "pk")


def returned_submissions(user) -> QuerySet[Submission]:
    """Submissions of the user's institution returned for correction, with the comment."""
    return submissions_for(user).filter(status=Status.RETURNED).order_by("-updated_at")


def submission_for(user, pk: int) -> Submission:
    """One submission in scope (404 otherwise); 403 for a role that may not read records."""
    submission = scoping.get_for_user(
        user,
        Submission.objects.select_related("institution__municipality", "data_set"),
        # The deputy approver reads the submissions of every institution to approve them.
        own_institution=not scoping.is_deputy_approver(user, user.municipality_id),
        pk=pk,
    )
    scoping.require(scoping.can_read_records(user))
    return submission


def awaiting_approval(user, municipality: Municipality) -> QuerySet[Submission]:
    if not (
        scoping.can_manage_mechanism(user, municipality.pk)
        or scoping.is_deputy_approver(user, municipality.pk)
    ):
        return Submission.objects.none()
    return (
        submissions_for(user, municipality).filter(status=Status.SUBMITTED).order_by("submitted_at")
    )


def _kind_rank(inst: Institution) -> tuple:
    return (KIND_ORDER.index(inst.kind) if inst.kind in KIND_ORDER else 99, inst.name_sq)


def reporting_institutions(municipality: Municipality) -> list[Institution]:
    """The municipality's active institutions of a kind with a data set (the same for every
    reader; read once per data version: mkk.core.versions)."""

    def read() -> list[Institution]:
        kinds = list(data_sets_by_kind())
        return sorted(
            Institution.objects.filter(municipality=municipality, is_active=True, kind__in=kinds),
            key=_kind_rank,
        )

    return versions.cached(
        "statistics.reporting_institutions", read, municipality_id=municipality.pk, user=None
    )


def comparison(user, municipality: Municipality, start: dt.date, end: dt.date):
    """The statistics page's ``compare_range`` of the municipality, computed once per data
    version and reader scope (mkk.core.versions)."""
    return versions.cached(
        "statistics.comparison",
        lambda: compare_range(municipality=municipality, start=start, end=end),
        municipality_id=municipality.pk,
        user=user,
        parts=(start, end),
    )


def late_rows_cached(user, municipality: Municipality, *, today: dt.date) -> list:
    """``late_rows`` for the dashboard, once per data version, reader scope and day."""
    return versions.cached(
        "statistics.late_rows",
        lambda: late_rows(municipality, today=today),
        municipality_id=municipality.pk,
        user=user,
        parts=(today,),
    )


def entry_institutions(user, municipality: Municipality) -> list[Institution]:
    """Institutions the user may enter figures for in this municipality."""
    return [
        i
        for i in reporting_institutions(municipality)
        if scoping.can_submit_for_institution(user, i.pk)
        and (scoping.sees_all_municipalities(user) or user.municipality_id == municipality.pk)
    ]


def data_sets_of(institution: Institution) -> list[DataSet]:
    return list(DataSet.objects.filter(institution_kind=institution.kind, is_active=True))


def all_data_sets() -> QuerySet[DataSet]:
    return DataSet.objects.all()


def catalogue() -> dict[str, QuerySet]:
    """The catalogue page: every data set, data element and disaggregation."""
    return {
        "data_sets": DataSet.objects.prefetch_related("elements__disaggregations"),
        "elements": DataElement.objects.prefetch_related("disaggregations", "data_sets"),
        "disaggregations": Disaggregation.objects.prefetch_related("options"),
    }


def catalogue_data_sets() -> QuerySet[DataSet]:
    """The active data sets with their elements and disaggregation options (the catalogue)."""
    return DataSet.objects.filter(is_active=True).prefetch_related(
        "elements__disaggregations__options"
    )


def data_set_by_code(code: str) -> DataSet | None:
    return DataSet.objects.filter(code=code).first()


def entry_institution_for(user, pk: int) -> Institution:
    """An institution the user enters figures for (their own, for a focal point); 404
    otherwise (``scoping.can_submit_for_institution`` then decides)."""
    return scoping.get_for_user(
        user, Institution.objects.select_related("municipality"), own_institution=True, pk=pk
    )


def figures_for(user, statuses) -> QuerySet[DataValue]:
    """Single figures of submissions in ``statuses`` the user may read (a focal point: their
    institution's)."""
    return scoping.scope(
        user,
        DataValue.objects.filter(submission__status__in=statuses).select_related(
            "submission__institution__municipality", "submission__data_set", "element"
        ),
        own_institution=True,
    )


def active_data_sets_by_kind() -> dict[str, list[DataSet]]:
    """Active data sets by institution kind, in one query (no elements loaded)."""
    out: dict[str, list[DataSet]] = {}
    for ds in DataSet.objects.filter(is_active=True):
        out.setdefault(ds.institution_kind, []).append(ds)
    return out


def data_set_for(institution: Institution, pk: int) -> DataSet:
    """A data set of the institution's kind (404 otherwise)."""
    from django.http import Http404

    ds = DataSet.objects.filter(pk=pk, institution_kind=institution.kind, is_active=True).first()
    if ds is None:
        raise Http404
    return ds


def submission_at(user, institution: Institution, data_set: DataSet, start, end):
    """The user's visible submission of an institution, data set and period, if any."""
    return (
        submissions_for(user)
        .filter(institution=institution, data_set=data_set, period_start=start, period_end=end)
        .first()
    )


def entry_blocks(institutions, today: dt.date) -> list[dict]:
    """Per institution and data set it enters: its six most recent periods and their state."""
    by_kind = active_data_sets_by_kind()
    cells, pairs = [], []
    for inst in institutions:
        for ds in by_kind.get(inst.kind, []):
            ptype = ds.period_type if ds.period_type != "range" else "month"
            p = periods.last_complete(ptype, today)
            for _i in range(6):
                cells.append((inst, ds, p.start, p.end))
                p = periods.before(ptype, p)
            pairs.append((inst, ds))
    rows = completeness_rows(cells, today=today)  # one query for every block
    return [
        {"institution": inst, "data_set": ds, "recent": rows[6 * i : 6 * i + 6]}
        for i, (inst, ds) in enumerate(pairs)
    ]


# --- Completeness and timeliness ---------------------------------------------------------


@dataclass
class CompletenessRow:
    institution: Institution
    data_set: DataSet
    start: dt.date
    end: dt.date
    due: dt.date
    state: str  # on_time, late, partial, draft, returned, missing
    overdue: bool
    submitted_on: dt.date | None = None
    submission: Submission | None = None

    @property
    def needs_reminder(self) -> bool:
        return self.state in {"partial", "draft", "returned", "missing"}


def _submitted_day(s: Submission) -> dt.date:
    moment = s.submitted_at or s.approved_at or s.created_at
    return timezone.localdate(moment) if moment else s.period_end


def completeness_rows(
    cells: list[tuple[Institution, DataSet, dt.date, dt.date]], *, today: dt.date
) -> list[CompletenessRow]:
    """The completeness of many (institution, data set, start, end) cells in one query: the
    same rules as compare_range (approved and submitted submissions wholly inside the
    period, the best non-overlapping set), a pending draft or returned one named."""
    if not cells:
        return []
    lo = min(c[2] for c in cells)
    hi = max(c[3] for c in cells)
    by_pair: dict[tuple[int, int], list[Submission]] = {}
    for sub in Submission.objects.filter(
        institution_id__in={c[0].pk for c in cells},
        data_set_id__in={c[1].pk for c in cells},
        period_start__gte=lo,
        period_end__lte=hi,
    ).order_by():
        by_pair.setdefault((sub.institution_id, sub.data_set_id), []).append(sub)
    counted = {Status.APPROVED, Status.SUBMITTED}
    rows = []
    for inst, ds, start, end in cells:
        inside = [
            sub
            for sub in by_pair.get((inst.pk, ds.pk), [])
            if sub.period_start >= start and sub.period_end <= end
        ]
        used = choose_submissions([sub for sub in inside if sub.status in counted])
        covered = sum(sub.days for sub in used)
        due = periods.deadline(end, ds.deadline_days)
        row = CompletenessRow(inst, ds, start, end, due, "missing", today > due)
        if covered and covered >= (end - start).days + 1:
            day = max(_submitted_day(sub) for sub in used)
            row.submitted_on = day
            row.state = "on_time" if day <= due else "late"
            row.submission = used[0] if len(used) == 1 else None
        elif covered:
            row.state = "partial"
        else:
            pending = [sub for sub in inside if sub.status in {Status.DRAFT, Status.RETURNED}]
            if pending:
                latest = max(pending, key=lambda sub: sub.updated_at)
                row.state = latest.status
                row.submission = latest
        rows.append(row)
    return rows


def completeness_row(
    inst: Institution, ds: DataSet, start: dt.date, end: dt.date, *, today: dt.date
) -> CompletenessRow:
    return completeness_rows([(inst, ds, start, end)], today=today)[0]


def completeness(
    municipality: Municipality, start: dt.date, end: dt.date, *, today: dt.date | None = None
) -> list[CompletenessRow]:
    """For a period: which institutions submitted (on time or late), partly, or not at all."""
    today = today or timezone.localdate()
    by_kind = data_sets_by_kind()
    return completeness_rows(
        [
            (inst, ds, start, end)
            for inst in reporting_institutions(municipality)
            for ds in by_kind.get(inst.kind, [])
        ],
        today=today,
    )


def due_for_focal_point(user, *, today: dt.date | None = None) -> list[CompletenessRow]:
    """The focal point's data sets of the last complete period that are not yet submitted."""
    if not scoping.reports_for_own_institution(user):
        return []
    today = today or timezone.localdate()
    inst = user.institution
    out = []
    for ds in data_sets_of(inst):
        ptype = ds.period_type if ds.period_type != "range" else "month"
        p = periods.last_complete(ptype, today)
        row = completeness_row(inst, ds, p.start, p.end, today=today)
        if row.needs_reminder:
            out.append(row)
    return out


def late_rows(municipality: Municipality, *, today: dt.date | None = None) -> list[CompletenessRow]:
    """Each data set of each institution, for the last ended period of the data set's own
    period type, that is overdue and not (fully) submitted."""
    today = today or timezone.localdate()
    by_kind = data_sets_by_kind()
    cells = []
    for inst in reporting_institutions(municipality):
        for ds in by_kind.get(inst.kind, []):
            ptype = ds.period_type if ds.period_type != "range" else "month"
            p = periods.last_complete(ptype, today)
            cells.append((inst, ds, p.start, p.end))
    return [
        row for row in completeness_rows(cells, today=today) if row.needs_reminder and row.overdue
    ]
