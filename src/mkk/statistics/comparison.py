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

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Prefetch, Q, Sum

from mkk.core import periods, versions
from mkk.directory.i18n import localized
from mkk.directory.models import Institution, Municipality, Region, ReportingLevel

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
    coverage: list[CoverageRow] = field(default_factory=list)
    #: "municipality", "region" or "national", and the place compared.
    scope: str = "municipality"
    municipality: object = None
    region: object = None
    #: Sums over the scope, per region (code) and per unit (key -> (Unit, ScopeTotals)).
    totals: ScopeTotals | None = None
    regions: dict = field(default_factory=dict)
    units: dict = field(default_factory=dict)
    #: Per institution type: the municipalities no active institution reports for.
    uncovered: dict = field(default_factory=dict)

    #: The rows per institution are built on first use (a national total does not need them).
    _rows: list | None = None
    _build_rows: object = None

    @property
    def rows(self) -> list[FigureRow]:
        if self._rows is None:
            self._rows = self._build_rows() if self._build_rows else []
        return self._rows

    @rows.setter
    def rows(self, value: list[FigureRow]) -> None:
        self._rows = value

    @property
    def missing(self) -> list[CoverageRow]:
        """The institutions and data sets whose figures do not cover the whole range."""
        return [c for c in self.coverage if c.current != FULL]

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
    """The active data sets with their elements, disaggregations and options, by institution
    kind: read once per version of the catalogue (mkk.core.versions; the same for everyone)."""
    return versions.cached(
        "statistics.data_sets_by_kind", _data_sets_by_kind, municipality_id=None, user=None
    )


def _data_sets_by_kind() -> dict[str, list[DataSet]]:
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


@dataclass(slots=True)
class _Sub:
    """A submission's metadata only (no ORM object): what choosing and coverage need."""

    pk: int
    institution_id: int
    data_set_id: int
    period_start: dt.date
    period_end: dt.date
    status: str

    @property
    def days(self) -> int:
        return (self.period_end - self.period_start).days + 1


@dataclass
class _Window:
    """Which submissions of one (institution, data set) count in one range."""

    coverage: str
    missing: list[tuple[dt.date, dt.date]]
    unapproved: bool
    excluded: list[int]


def _window(cands: list[tuple], start: dt.date, end: dt.date, total_days: int) -> _Window:
    """Which of one pair's submissions (pk, start, end, status) count in [start, end]."""
    inside = [c for c in cands if c[1] >= start and c[2] <= end]
    if not inside:
        return _Window(NONE, [(start, end)], False, [])
    inside.sort(key=lambda c: (c[1], c[2]))
    previous_end = None
    overlap = False
    covered = 0
    unapproved = False
    for _pk, s_start, s_end, status in inside:
        if previous_end is not None and s_start <= previous_end:
            overlap = True
            break
        previous_end = s_end
        covered += (s_end - s_start).days + 1
        unapproved = unapproved or status != Status.APPROVED
    if not overlap:
        if covered >= total_days:
            return _Window(FULL, [], unapproved, [])
        used = [_Sub(pk, 0, 0, a, b, st) for pk, a, b, st in inside]
        return _Window(PARTIAL, _gaps(start, end, used), unapproved, [])
    subs = [_Sub(pk, 0, 0, a, b, st) for pk, a, b, st in inside]
    used = choose_submissions(subs)
    covered = sum(s.days for s in used)
    used_ids = {s.pk for s in used}
    return _Window(
        coverage=FULL if covered >= total_days else PARTIAL,
        missing=[] if covered >= total_days else _gaps(start, end, used),
        unapproved=any(s.status != Status.APPROVED for s in used),
        excluded=[s.pk for s in subs if s.pk not in used_ids],
    )


@dataclass
class Unit:
    """A place figures are summed for: a municipality (its municipal institutions), a
    regional institution (counted once, for its region) or a national one."""

    kind: str  # "municipality" | "regional" | "national"
    key: str  # municipality code, or "institution-<pk>"
    name_sq: str
    name_sr: str
    name_en: str
    region_id: int | None
    population: int | None = None

    @property
    def name(self) -> str:
        return localized(self, "name")

    def name_in(self, language: str) -> str:
        return localized(self, "name", language)


@dataclass
class TotalRow:
    """A figure summed over several institutions: ``None`` when none of them gave it."""

    element: DataElement
    disaggregation: str
    current: int | None = None
    previous: int | None = None
    population: int | None = None

    key = property(lambda self: self.disaggregation)
    is_total = FigureRow.is_total
    difference = FigureRow.difference
    percent = FigureRow.percent
    change = FigureRow.change
    label = FigureRow.label

    def add(self, current: int | None, previous: int | None) -> None:
        if current is not None:
            self.current = (self.current or 0) + current
        if previous is not None:
            self.previous = (self.previous or 0) + previous

    @staticmethod
    def _per(value: int | None, population: int | None) -> Decimal | None:
        if value is None or not population:
            return None
        return (Decimal(value) * 10000 / Decimal(population)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def current_per_10k(self) -> Decimal | None:
        return self._per(self.current, self.population)

    @property
    def previous_per_10k(self) -> Decimal | None:
        return self._per(self.previous, self.population)


@dataclass
class ScopeTotals:
    """The totals of one unit, region or all of Kosovo, per (element code, disaggregation)."""

    label_sq: str
    label_sr: str
    label_en: str
    population: int | None
    rows: dict[tuple[str, str], TotalRow] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return localized(self, "label")

    def name_in(self, language: str) -> str:
        return localized(self, "label", language)

    def get(self, element_code: str, disaggregation: str = "") -> TotalRow | None:
        return self.rows.get((element_code, disaggregation))

    def value(self, element_code: str, disaggregation: str = "") -> int | None:
        row = self.rows.get((element_code, disaggregation))
        return None if row is None else row.current


def _population_of(municipalities) -> int | None:
    """The population of a set of municipalities, only if every one of them has a figure."""
    pops = [m.population for m in municipalities]
    if not pops or any(p is None for p in pops):
        return None
    return sum(pops)


def _fetch(qs) -> list[tuple]:
    """Rows of a ``values_list`` query; on PostgreSQL straight from the driver (the dates
    and numbers it returns are already Python's), without Django's per-row conversion."""
    if connection.vendor == "postgresql":
        try:
            sql, params = qs.query.sql_with_params()
        except EmptyResultSet:  # e.g. no data set in the catalogue: nothing to read
            return []
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    return list(qs)


def _scope_q(prefix: str, municipality, region) -> Q:
    """The institutions of a scope (active ones), as a filter through ``prefix``."""
    p = prefix

    def q(**kw) -> Q:
        return Q(**{p + k: v for k, v in kw.items()})

    where = q(is_active=True)
    if municipality is not None:
        return where & q(municipality=municipality)
    if region is not None:
        return where & (
            q(level=ReportingLevel.MUNICIPAL, municipality__region=region)
            | q(level=ReportingLevel.REGIONAL, region=region)
            | q(level=ReportingLevel.REGIONAL, region__isnull=True, municipality__region=region)
        )
    return where


def _scope_institutions(by_kind, municipality, region, national):
    return Institution.objects.filter(
        _scope_q("", municipality, region), kind__in=list(by_kind)
    ).select_related("municipality")


def _unit_of(inst: Institution) -> Unit:
    m = inst.municipality
    if inst.level == ReportingLevel.MUNICIPAL:
        return Unit(
            "municipality", m.code, m.name_sq, m.name_sr, m.name_en, m.region_id, m.population
        )
    kind = "regional" if inst.level == ReportingLevel.REGIONAL else "national"
    region_id = inst.served_region_id if kind == "regional" else None
    return Unit(kind, f"institution-{inst.pk}", inst.name_sq, inst.name_sr, inst.name_en, region_id)


def compare_range(
    *,
    municipality=None,
    start: dt.date,
    end: dt.date,
    region=None,
    national: bool = False,
    institutions=None,
    include_submitted: bool = True,
) -> RangeComparison:
    """Every figure of [start, end] per institution, element and disaggregation, against the
    same range a year earlier, with the coverage of each institution and data set.

    Scope: one ``municipality`` (every active institution seated there, whatever its
    level, as a municipal report lists them), a ``region`` (a Region or its code: the
    municipal institutions of its municipalities plus the regional institutions serving it)
    or ``national=True`` (every institution). Each institution is counted once, at its
    reporting level; ``result.totals``, ``result.regions`` and ``result.units`` hold the sums.

    The values are summed in the database (one GROUP BY); which submissions count is decided
    from their dates only (no value is loaded into Python).

    ``institutions``: an iterable of Institution objects (default: every active institution
    of the scope whose type has a data set).
    """
    if end < start:
        raise ValueError("end before start")
    if sum(x is not None and x is not False for x in (municipality, region, national)) != 1:
        raise ValueError("give exactly one of municipality, region or national")
    if isinstance(region, str):
        region = Region.objects.get(code=region)
    prev_start, prev_end = periods.previous_year(start, end)
    by_kind = data_sets_by_kind()
    custom = institutions is not None
    if institutions is None:
        institutions = _scope_institutions(by_kind, municipality, region, national)
    insts = sorted(
        (
            i
            for i in institutions
            if i.kind in by_kind and (municipality is None or i.municipality_id == municipality.pk)
        ),
        key=lambda i: (_kind_rank(i.kind), i.name_sq),
    )
    inst_ids = [i.pk for i in insts]
    ds_ids = [ds.pk for sets in by_kind.values() for ds in sets]
    in_current = Q(period_start__gte=start, period_end__lte=end)
    in_previous = Q(period_start__gte=prev_start, period_end__lte=prev_end)
    # Through the same joins as the scope (not a long list of ids): the database plans it as
    # it would a hand-written GROUP BY over that municipality, region or all of Kosovo.
    if custom:
        sub_scope, value_scope = (
            Q(institution_id__in=inst_ids),
            Q(submission__institution_id__in=inst_ids),
        )
    else:
        sub_scope = _scope_q("institution__", municipality, region)
        value_scope = _scope_q("submission__institution__", municipality, region)
    sub_rows = (
        Submission.objects.filter(
            in_current | in_previous,
            sub_scope,
            data_set_id__in=ds_ids,
            status__in=_statuses(include_submitted),
        )
        .order_by()
        .values_list("institution_id", "data_set_id", "pk", "period_start", "period_end", "status")
    )
    by_pair: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for inst_id, ds_id, *rest in _fetch(sub_rows):
        by_pair[(inst_id, ds_id)].append(rest)

    windows: dict[tuple[int, int], tuple[_Window, _Window]] = {}
    excluded_cur: list[int] = []
    excluded_prev: list[int] = []
    empty = (
        _Window(NONE, [(start, end)], False, []),
        _Window(NONE, [(prev_start, prev_end)], False, []),
    )
    cur_days = (end - start).days + 1
    prev_days = (prev_end - prev_start).days + 1
    for pair, cands in by_pair.items():
        cur = _window(cands, start, end, cur_days)
        prev = _window(cands, prev_start, prev_end, prev_days)
        excluded_cur += cur.excluded
        excluded_prev += prev.excluded
        windows[pair] = (cur, prev)

    # One GROUP BY in the database: the sums of the current and previous range side by side.
    sub_current = Q(submission__period_start__gte=start, submission__period_end__lte=end)
    sub_previous = Q(submission__period_start__gte=prev_start, submission__period_end__lte=prev_end)
    if excluded_cur:
        sub_current &= ~Q(submission_id__in=excluded_cur)
    if excluded_prev:
        sub_previous &= ~Q(submission_id__in=excluded_prev)
    sums: dict[tuple[int, int], dict[tuple[int, str], tuple[int | None, int | None]]] = defaultdict(
        dict
    )
    if by_pair:
        grouped = (
            DataValue.objects.filter(
                Q(submission__period_start__gte=start, submission__period_end__lte=end)
                | Q(submission__period_start__gte=prev_start, submission__period_end__lte=prev_end),
                value_scope,
                submission__data_set_id__in=ds_ids,
                submission__status__in=_statuses(include_submitted),
            )
            .order_by()
            .values_list(
                "submission__institution_id", "submission__data_set_id", "element_id", "key"
            )
            .annotate(cur=Sum("value", filter=sub_current), prev=Sum("value", filter=sub_previous))
        )
        for inst_id, ds_id, element_id, key, cur, prev in _fetch(grouped):
            sums[(inst_id, ds_id)][(element_id, key)] = (cur, prev)

    keys_of = {
        ds.pk: [(element, key) for element in ds.elements.all() for key in element_keys(element)]
        for sets in by_kind.values()
        for ds in sets
    }
    result = RangeComparison(start=start, end=end, previous_start=prev_start, previous_end=prev_end)
    result.scope = (
        "municipality" if municipality is not None else "region" if region else "national"
    )
    result.municipality = municipality
    result.region = region
    for inst in insts:
        for ds in by_kind[inst.kind]:
            cur, prev = windows.get((inst.pk, ds.pk), empty)
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

    def build_rows() -> list[FigureRow]:
        rows = []
        for inst in insts:
            for ds in by_kind[inst.kind]:
                cur, prev = windows.get((inst.pk, ds.pk), empty)
                pair_sums = sums.get((inst.pk, ds.pk), {})
                unapproved = cur.unapproved or prev.unapproved
                for element, key in keys_of[ds.pk]:
                    c, p = pair_sums.get((element.pk, key), (None, None))
                    rows.append(
                        FigureRow(
                            institution=inst,
                            element=element,
                            disaggregation=key,
                            current=c,
                            previous=p,
                            data_set=ds,
                            current_coverage=cur.coverage,
                            previous_coverage=prev.coverage,
                            unapproved=unapproved,
                        )
                    )
        return rows

    if municipality is not None:
        result.rows = build_rows()
    else:
        result._build_rows = build_rows
    _sum_scope(result, insts, by_kind, municipality, region, sums, keys_of)
    return result


def _sum_scope(
    result: RangeComparison, insts, by_kind, municipality, region, sums, keys_of
) -> None:
    """Totals of the scope, of each region and each unit; which municipalities no institution
    of a type covers."""
    if municipality is not None:
        municipalities = [municipality]
        regions = [municipality.region] if municipality.region_id else []
    elif region is not None:
        municipalities = list(Municipality.objects.filter(region=region).order_by("name_sq"))
        regions = [region]
    else:
        municipalities = list(Municipality.objects.order_by("name_sq"))
        regions = list(Region.objects.all())
    if municipality is not None:
        label = (municipality.name_sq, municipality.name_sr, municipality.name_en)
    elif region is not None:
        label = (region.name_sq, region.name_sr, region.name_en)
    else:
        label = ("Kosova", "Kosovo", "Kosovo")
    result.totals = ScopeTotals(*label, population=_population_of(municipalities))
    result.regions = {
        r.code: ScopeTotals(
            r.name_sq,
            r.name_sr,
            r.name_en,
            _population_of([m for m in municipalities if m.region_id == r.pk]),
        )
        for r in regions
    }
    region_code = {r.pk: r.code for r in regions}
    result.units = {}
    inst_unit: dict[int, Unit] = {}
    for inst in insts:
        unit = _unit_of(inst)
        if municipality is not None:  # a municipal report: everything seated there
            unit = Unit(
                "municipality",
                municipality.code,
                municipality.name_sq,
                municipality.name_sr,
                municipality.name_en,
                municipality.region_id,
                municipality.population,
            )
        inst_unit[inst.pk] = unit
        if unit.key not in result.units:
            result.units[unit.key] = (
                unit,
                ScopeTotals(unit.name_sq, unit.name_sr, unit.name_en, unit.population),
            )

    elements = {e.pk: e for pairs in keys_of.values() for e, _key in pairs}
    targets: dict[tuple[int, int], list[ScopeTotals]] = {}
    prepared: set[tuple[int, int]] = set()
    for inst in insts:
        unit = inst_unit[inst.pk]
        code = region_code.get(unit.region_id)
        these = [result.totals, result.units[unit.key][1]]
        if code is not None:
            these.append(result.regions[code])
        for ds in by_kind[inst.kind]:
            targets[(inst.pk, ds.pk)] = these  # every category shows, given or not (then None)
            for t in these:
                if (id(t), ds.pk) in prepared:
                    continue
                prepared.add((id(t), ds.pk))
                for element, key in keys_of[ds.pk]:
                    if (element.code, key) not in t.rows:
                        t.rows[(element.code, key)] = TotalRow(
                            element, key, population=t.population
                        )
    for pair, pair_sums in sums.items():
        these = targets.get(pair)
        if these is None:
            continue
        for (element_id, key), (c, p) in pair_sums.items():
            element = elements.get(element_id)
            if element is None:
                continue
            k = (element.code, key)
            for t in these:
                row = t.rows.get(k)
                if row is None:
                    row = t.rows[k] = TotalRow(element, key, population=t.population)
                if c is not None:
                    row.current = (row.current or 0) + c
                if p is not None:
                    row.previous = (row.previous or 0) + p

    # Municipalities no active institution of a type reports for (at any level).
    covered: dict[str, set] = defaultdict(set)  # kind -> municipality ids, region ids, "all"
    for inst in insts:
        if municipality is not None or inst.level == ReportingLevel.MUNICIPAL:
            covered[inst.kind].add(("m", inst.municipality_id))
        elif inst.level == ReportingLevel.REGIONAL:
            covered[inst.kind].add(("r", inst.served_region_id))
        else:
            covered[inst.kind].add(("all", None))
    result.uncovered = {}
    for kind in sorted(by_kind, key=_kind_rank):
        marks = covered.get(kind, set())
        result.uncovered[kind] = [
            m
            for m in municipalities
            if ("m", m.pk) not in marks
            and ("r", m.region_id) not in marks
            and ("all", None) not in marks
        ]
