"""THE comparison: the figures of any date range against the same range a year earlier.

Everything that shows or reports figures (the statistics page, the command, the dashboard,
the reports app) calls :func:`compare_range`.

How a range is aggregated, per institution and data set:

* Only submissions lying **wholly inside** the range count; one that sticks out of it is
  ignored (its figures cannot be split by day).
* **Approved and submitted** submissions count; drafts and returned ones do not. A figure
  that rests on a submitted but not yet approved submission is flagged ``unapproved`` so a
  page or report can say so. (Pass ``include_submitted=False`` for approved figures only.)
* Submissions of one institution and data set that overlap are never added together: of the
  candidates, the set of non-overlapping submissions that covers the most days is used
  (ties: more approved days, then fewer, longer submissions – a quarter before its three
  months).
* Coverage is ``full`` when the used submissions cover every day of the range, ``partial``
  when they cover some, ``none`` when none; the days not covered are listed.
* Missing is not zero: a figure with no submission (or not given in any used submission) is
  ``None``, and a percentage against a missing or zero figure is ``None``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch

from mkk.directory.i18n import localized
from mkk.directory.models import Institution

from . import periods
from .models import DataElement, DataSet, DataValue, Status, Submission

FULL, PARTIAL, NONE = "full", "partial", "none"

#: Order in which institution kinds are listed (as the reports list them).
KIND_ORDER = [
    "police",
    "social_work",
    "victim_advocate",
    "prosecution",
    "basic_court",
    "shelter",
    "legal_aid",
    "employment",
    "health",
    "education",
]


@dataclass
class Aggregate:
    """One institution's figures of one data set over a range."""

    institution: Institution
    data_set: DataSet
    start: dt.date
    end: dt.date
    submissions: list[Submission] = field(default_factory=list)
    values: dict[tuple[str, str], int] = field(default_factory=dict)
    coverage: str = NONE
    missing: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    unapproved: bool = False


@dataclass
class FigureRow:
    institution: Institution | None
    element: DataElement
    disaggregation: str  # "" for the total, else "sex=female" etc.
    current: int | None
    previous: int | None
    data_set: DataSet | None = None
    current_coverage: str = NONE
    previous_coverage: str = NONE
    unapproved: bool = False

    @property
    def key(self) -> str:
        return self.disaggregation

    @property
    def is_total(self) -> bool:
        return self.disaggregation == ""

    @property
    def difference(self) -> int | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def percent(self) -> Decimal | None:
        diff = self.difference
        if diff is None or not self.previous:
            return None
        return (Decimal(diff) * 100 / Decimal(self.previous)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def change(self) -> str:
        diff = self.difference
        if diff is None:
            return "unknown"
        return "increase" if diff > 0 else "decrease" if diff < 0 else "same"

    def label(self, language: str | None = None) -> str:
        """The element's name, or the option's ("Female", "Children") for a part."""
        if not self.disaggregation:
            return localized(self.element, "name", language)
        return option_label(self.element, self.disaggregation, language)


@dataclass
class CoverageRow:
    institution: Institution
    data_set: DataSet
    current: str
    previous: str
    missing_current: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    missing_previous: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    unapproved: bool = False


@dataclass
class RangeComparison:
    start: dt.date
    end: dt.date
    previous_start: dt.date
    previous_end: dt.date
    rows: list[FigureRow] = field(default_factory=list)
    coverage: list[CoverageRow] = field(default_factory=list)

    def get(
        self, institution_or_kind, element_code: str, disaggregation: str = ""
    ) -> FigureRow | None:
        """The row of an institution (object or pk), or of an institution kind ("police").

        For a kind with several institutions in the comparison, a combined row is returned
        (``institution=None``; each figure is the sum of those given, ``None`` if none is).
        """
        if isinstance(institution_or_kind, str):
            found = [
                r
                for r in self.rows
                if r.institution is not None
                and r.institution.kind == institution_or_kind
                and r.element.code == element_code
                and r.disaggregation == disaggregation
            ]
            if len(found) <= 1:
                return found[0] if found else None
            return FigureRow(
                institution=None,
                element=found[0].element,
                disaggregation=disaggregation,
                current=_sum_or_none(r.current for r in found),
                previous=_sum_or_none(r.previous for r in found),
                data_set=found[0].data_set,
                current_coverage=_combine_coverage(r.current_coverage for r in found),
                previous_coverage=_combine_coverage(r.previous_coverage for r in found),
                unapproved=any(r.unapproved for r in found),
            )
        pk = getattr(institution_or_kind, "pk", institution_or_kind)
        for r in self.rows:
            if (
                r.institution is not None
                and r.institution.pk == pk
                and r.element.code == element_code
                and r.disaggregation == disaggregation
            ):
                return r
        return None

    def coverage_of(self, institution, data_set=None) -> CoverageRow | None:
        pk = getattr(institution, "pk", institution)
        for c in self.coverage:
            if c.institution.pk == pk and (data_set is None or c.data_set.pk == data_set.pk):
                return c
        return None

    @property
    def institutions(self) -> list[Institution]:
        seen: dict[int, Institution] = {}
        for c in self.coverage:
            seen.setdefault(c.institution.pk, c.institution)
        return list(seen.values())

    def rows_of(self, institution) -> list[FigureRow]:
        pk = getattr(institution, "pk", institution)
        return [r for r in self.rows if r.institution is not None and r.institution.pk == pk]

    @property
    def has_unapproved(self) -> bool:
        return any(c.unapproved for c in self.coverage)


def _sum_or_none(values: Iterable[int | None]) -> int | None:
    given = [v for v in values if v is not None]
    return sum(given) if given else None


def _combine_coverage(values: Iterable[str]) -> str:
    vals = set(values)
    if vals == {FULL}:
        return FULL
    if vals == {NONE}:
        return NONE
    return PARTIAL


def option_label(element: DataElement, key: str, language: str | None = None) -> str:
    cat_code, _sep, opt_code = key.partition("=")
    for d in element.disaggregations.all():
        if d.code == cat_code:
            for o in d.options.all():
                if o.code == opt_code:
                    return localized(o, "name", language)
    return key


def element_keys(element: DataElement) -> list[str]:
    keys = [""]
    for d in element.disaggregations.all():
        keys.extend(f"{d.code}={o.code}" for o in d.options.all())
    return keys


# --- Choosing submissions -----------------------------------------------------------------


def _weight(sub: Submission) -> tuple[int, int, int]:
    approved = sub.status == Status.APPROVED
    return (sub.days, sub.days if approved else 0, -1)


def _add(a: tuple, b: tuple) -> tuple:
    return tuple(x + y for x, y in zip(a, b, strict=True))


def choose_submissions(candidates: Iterable[Submission]) -> list[Submission]:
    """Non-overlapping submissions covering the most days (weighted interval scheduling)."""
    subs = sorted(candidates, key=lambda s: (s.period_end, s.period_start, s.pk or 0))
    if not subs:
        return []
    # p[i]: number of submissions (in order) ending before subs[i] starts.
    ends = [s.period_end for s in subs]
    best: list[tuple[tuple[int, int, int], list[int]]] = [((0, 0, 0), [])]
    for i, s in enumerate(subs):
        j = 0
        lo, hi = 0, i
        while lo < hi:  # last index with end < s.period_start
            mid = (lo + hi) // 2
            if ends[mid] < s.period_start:
                lo = mid + 1
            else:
                hi = mid
        j = lo
        with_s = (_add(best[j][0], _weight(s)), best[j][1] + [i])
        without = best[i]
        best.append(with_s if with_s[0] > without[0] else without)
    return [subs[i] for i in best[-1][1]]


def _gaps(start: dt.date, end: dt.date, used: list[Submission]) -> list[tuple[dt.date, dt.date]]:
    gaps = []
    cursor = start
    for s in sorted(used, key=lambda s: s.period_start):
        if s.period_start > cursor:
            gaps.append((cursor, s.period_start - dt.timedelta(days=1)))
        cursor = max(cursor, s.period_end + dt.timedelta(days=1))
    if cursor <= end:
        gaps.append((cursor, end))
    return gaps


def aggregate_submissions(
    institution: Institution,
    data_set: DataSet,
    start: dt.date,
    end: dt.date,
    candidates: Iterable[Submission],
) -> Aggregate:
    """Aggregate already-loaded candidates (with their values prefetched) over [start, end]."""
    inside = [
        s
        for s in candidates
        if s.period_start >= start
        and s.period_end <= end
        and s.institution_id == institution.pk
        and s.data_set_id == data_set.pk
    ]
    used = choose_submissions(inside)
    values: dict[tuple[str, str], int] = defaultdict(int)
    for s in used:
        for v in s.values.all():
            values[(v.element.code, v.key)] += v.value
    covered = sum(s.days for s in used)
    total_days = (end - start).days + 1
    coverage = NONE if covered == 0 else FULL if covered >= total_days else PARTIAL
    return Aggregate(
        institution=institution,
        data_set=data_set,
        start=start,
        end=end,
        submissions=used,
        values=dict(values),
        coverage=coverage,
        missing=_gaps(start, end, used),
        unapproved=any(s.status != Status.APPROVED for s in used),
    )


def _statuses(include_submitted: bool) -> list[str]:
    return [Status.APPROVED, Status.SUBMITTED] if include_submitted else [Status.APPROVED]


def _load_submissions(institutions, data_sets, start, end, include_submitted):
    return list(
        Submission.objects.filter(
            institution__in=institutions,
            data_set__in=data_sets,
            status__in=_statuses(include_submitted),
            period_start__gte=start,
            period_end__lte=end,
        ).prefetch_related(Prefetch("values", queryset=DataValue.objects.select_related("element")))
    )


def aggregate(
    institution: Institution,
    data_set: DataSet,
    start: dt.date,
    end: dt.date,
    *,
    include_submitted: bool = True,
    exclude: Submission | None = None,
) -> Aggregate:
    """One institution's figures of one data set over a range (same rules as compare_range)."""
    subs = _load_submissions([institution], [data_set], start, end, include_submitted)
    if exclude is not None:
        subs = [s for s in subs if s.pk != exclude.pk]
    return aggregate_submissions(institution, data_set, start, end, subs)


def data_sets_by_kind() -> dict[str, list[DataSet]]:
    elements = DataElement.objects.prefetch_related("disaggregations__options").order_by(
        "order", "code"
    )
    out: dict[str, list[DataSet]] = defaultdict(list)
    for ds in DataSet.objects.filter(is_active=True).prefetch_related(
        Prefetch("elements", queryset=elements)
    ):
        out[ds.institution_kind].append(ds)
    return out


def _kind_rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def compare_range(
    *,
    municipality,
    start: dt.date,
    end: dt.date,
    institutions=None,
    include_submitted: bool = True,
) -> RangeComparison:
    """Every figure of [start, end] per institution, element and disaggregation, against the
    same range a year earlier, with the coverage of each institution and data set.

    ``institutions``: an iterable of Institution objects (default: every active institution
    of the municipality whose type has a data set).
    """
    if end < start:
        raise ValueError("end before start")
    prev_start, prev_end = periods.previous_year(start, end)
    by_kind = data_sets_by_kind()
    if institutions is None:
        institutions = Institution.objects.filter(
            municipality=municipality, is_active=True, kind__in=list(by_kind)
        )
    insts = sorted(
        (i for i in institutions if i.kind in by_kind and i.municipality_id == municipality.pk),
        key=lambda i: (_kind_rank(i.kind), i.name_sq),
    )
    all_sets = [ds for sets in by_kind.values() for ds in sets]
    subs = _load_submissions(insts, all_sets, prev_start, end, include_submitted)
    by_pair: dict[tuple[int, int], list[Submission]] = defaultdict(list)
    for s in subs:
        by_pair[(s.institution_id, s.data_set_id)].append(s)

    result = RangeComparison(start=start, end=end, previous_start=prev_start, previous_end=prev_end)
    for inst in insts:
        for ds in by_kind[inst.kind]:
            cands = by_pair.get((inst.pk, ds.pk), [])
            cur = aggregate_submissions(inst, ds, start, end, cands)
            prev = aggregate_submissions(inst, ds, prev_start, prev_end, cands)
            result.coverage.append(
                CoverageRow(
                    institution=inst,
                    data_set=ds,
                    current=cur.coverage,
                    previous=prev.coverage,
                    missing_current=cur.missing,
                    missing_previous=prev.missing,
                    unapproved=cur.unapproved or prev.unapproved,
                )
            )
            for element in ds.elements.all():
                for key in element_keys(element):
                    result.rows.append(
                        FigureRow(
                            institution=inst,
                            element=element,
                            disaggregation=key,
                            current=cur.values.get((element.code, key)),
                            previous=prev.values.get((element.code, key)),
                            data_set=ds,
                            current_coverage=cur.coverage,
                            previous_coverage=prev.coverage,
                            unapproved=cur.unapproved or prev.unapproved,
                        )
                    )
    return result
