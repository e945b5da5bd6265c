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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Prefetch, Q

from mkk.core import periods, versions
from mkk.directory.models import Institution, Municipality, Region, ReportingLevel

from .coverage import (
    Windows,
    candidate_submissions,
    choose_submissions,
    fetch,
    gaps,
    statuses,
    windows,
)
from .figures import (
    FULL,
    KIND_ORDER,
    NONE,
    PARTIAL,
    CoverageRow,
    FigureRow,
    ScopeTotals,
    TotalRow,
    Unit,
    combine_coverage,
    element_keys,
    kind_rank,
    option_label,
    sum_or_none,
)
from .models import (
    CATALOGUE_SCOPE,
    DataElement,
    DataSet,
    DataValue,
    Status,
    Submission,
)
from .sums import SumQuery, one_statement

__all__ = [
    "FULL",
    "KIND_ORDER",
    "NONE",
    "PARTIAL",
    "Aggregate",
    "CoverageRow",
    "FigureRow",
    "RangeComparison",
    "ScopeTotals",
    "TotalRow",
    "Unit",
    "aggregate",
    "aggregate_submissions",
    "choose_submissions",
    "compare_range",
    "data_sets_by_kind",
    "element_keys",
    "option_label",
]

_kind_rank = kind_rank  # the name other apps import


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
    _build_rows: Callable[[], list[FigureRow]] | None = None
    _institutions: Callable[[], dict[int, Institution]] | None = None
    _order: list[int] = field(default_factory=list)

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
                current=sum_or_none(r.current for r in found),
                previous=sum_or_none(r.previous for r in found),
                data_set=found[0].data_set,
                current_coverage=combine_coverage(r.current_coverage for r in found),
                previous_coverage=combine_coverage(r.previous_coverage for r in found),
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
            if c.institution_id == pk and (data_set is None or c.data_set.pk == data_set.pk):
                return c
        return None

    @property
    def institutions(self) -> list[Institution]:
        if not self._order:
            return []
        loaded = self._institutions()
        return [loaded[pk] for pk in self._order]

    def rows_of(self, institution) -> list[FigureRow]:
        pk = getattr(institution, "pk", institution)
        return [r for r in self.rows if r.institution is not None and r.institution.pk == pk]

    @property
    def has_unapproved(self) -> bool:
        return any(c.unapproved for c in self.coverage)


# --- one institution and data set -------------------------------------------------------------


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
        missing=gaps(start, end, used),
        unapproved=any(s.status != Status.APPROVED for s in used),
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
    subs = Submission.objects.filter(
        institution=institution,
        data_set=data_set,
        status__in=statuses(include_submitted),
        period_start__gte=start,
        period_end__lte=end,
    ).prefetch_related(Prefetch("values", queryset=DataValue.objects.select_related("element")))
    if exclude is not None:
        subs = subs.exclude(pk=exclude.pk)
    return aggregate_submissions(institution, data_set, start, end, subs)


# --- the catalogue, kept in Django's cache per data version -----------------------------------

#: The catalogue changes rarely (an administrator edits it); every comparison reads it. Every
#: change of a data set, element, category or option renews the named data version
#: ``CATALOGUE_SCOPE`` (the models' ``data_version_scope``; ``mkk.core.versions`` keeps it in
#: the database, so every process sees it at once): the catalogue is read again on the first
#: call after such a change, and not after changes of other data.


def _load_data_sets_by_kind() -> dict[str, list[DataSet]]:
    elements = DataElement.objects.prefetch_related("disaggregations__options").order_by(
        "order", "code"
    )
    out: dict[str, list[DataSet]] = defaultdict(list)
    for ds in DataSet.objects.filter(is_active=True).prefetch_related(
        Prefetch("elements", queryset=elements)
    ):
        out[ds.institution_kind].append(ds)
    return out


#: This process's copy of the cached catalogue: (cache key, catalogue). Kept beside Django's
#: cache so that a call does not unpickle the catalogue again while its version holds.
_read: tuple[str, dict] | None = None


def data_sets_by_kind() -> dict[str, list[DataSet]]:
    """The active data sets per institution type, with their elements, categories and
    options. The objects are shared by every caller of this process until the catalogue's
    data version changes: read them, never change them."""
    global _read
    key = f"mkk:statistics:catalogue:{versions.named_token(CATALOGUE_SCOPE)}"
    if _read is None or _read[0] != key:
        found = cache.get(key)
        if found is None:
            found = _load_data_sets_by_kind()
            cache.set(key, found, versions.TIMEOUT)
        _read = (key, found)
    return defaultdict(list, _read[1])


def catalogue_forget() -> None:
    """Drop this process's copy (tests whose rolled-back data versions repeat a key)."""
    global _read
    _read = None


# --- the scope: which institutions, summed into which places ----------------------------------


@dataclass(slots=True)
class _Inst:
    """What the sums need of an institution (read as plain values, not model objects)."""

    pk: int
    kind: str
    level: str
    municipality_id: int
    own_region_id: int | None
    seat_region_id: int | None
    name_sq: str
    name_sr: str
    name_en: str

    @property
    def served_region_id(self) -> int | None:  # as Institution.served_region_id
        if self.level == ReportingLevel.NATIONAL:
            return None
        if self.level == ReportingLevel.REGIONAL and self.own_region_id:
            return self.own_region_id
        return self.seat_region_id


_INST_FIELDS = (
    "pk",
    "kind",
    "level",
    "municipality_id",
    "region_id",
    "municipality__region_id",
    "name_sq",
    "name_sr",
    "name_en",
)


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


def _given_insts(institutions, by_kind, municipality) -> list[_Inst]:
    return [
        _Inst(
            i.pk,
            i.kind,
            i.level,
            i.municipality_id,
            i.region_id,
            i.municipality.region_id,
            i.name_sq,
            i.name_sr,
            i.name_en,
        )
        for i in institutions
        if i.kind in by_kind and (municipality is None or i.municipality_id == municipality.pk)
    ]


class _Loader:
    """The model objects of the compared institutions, read once on first use."""

    def __init__(self, ids: list[int], given: dict[int, Institution] | None = None):
        self._ids = ids
        self._map = given

    def __call__(self) -> dict[int, Institution]:
        if self._map is None:
            self._map = Institution.objects.select_related("municipality").in_bulk(self._ids)
        return self._map


def _scope_places(municipality, region):
    """The municipalities and regions of a scope, and its label."""
    if municipality is not None:
        regions = [municipality.region] if municipality.region_id else []
        label = (municipality.name_sq, municipality.name_sr, municipality.name_en)
        return [municipality], regions, label
    if region is not None:
        munis = list(Municipality.objects.filter(region=region).order_by("name_sq"))
        return munis, [region], (region.name_sq, region.name_sr, region.name_en)
    munis = list(Municipality.objects.order_by("name_sq"))
    return munis, list(Region.objects.all()), ("Kosova", "Kosovo", "Kosovo")


def _population_of(municipalities) -> int | None:
    """The population of a set of municipalities, only if every one of them has a figure."""
    pops = [m.population for m in municipalities]
    if not pops or any(p is None for p in pops):
        return None
    return sum(pops)


def _unit_of(inst: _Inst, munis: dict[int, Municipality], municipality) -> tuple[str, Unit]:
    """The place an institution's figures are summed for, and the key its sums come under."""
    if municipality is not None or inst.level == ReportingLevel.MUNICIPAL:
        m = (
            municipality
            or munis.get(inst.municipality_id)
            or Municipality.objects.get(pk=inst.municipality_id)  # given from outside the scope
        )
        unit = Unit("municipality", m.code, m.name_sq, m.name_sr, m.name_en, m.region_id)
        unit.population = m.population
        return f"m{m.pk}", unit
    kind = "regional" if inst.level == ReportingLevel.REGIONAL else "national"
    region_id = inst.served_region_id if kind == "regional" else None
    key = f"institution-{inst.pk}"
    return f"i{inst.pk}", Unit(kind, key, inst.name_sq, inst.name_sr, inst.name_en, region_id)


def _places(result: RangeComparison, insts, by_kind, keys_of, municipality, region):
    """Totals of the scope, each region and each unit, with a row for every category; returns
    which totals each sum key ("m<municipality>", "i<institution>") goes into."""
    munis, regions, label = _scope_places(municipality, region)
    result.totals = ScopeTotals(*label, population=_population_of(munis))
    result.regions = {
        r.code: ScopeTotals(
            r.name_sq,
            r.name_sr,
            r.name_en,
            _population_of([m for m in munis if m.region_id == r.pk]),
        )
        for r in regions
    }
    region_code = {r.pk: r.code for r in regions}
    by_id = {m.pk: m for m in munis}
    targets: dict[str, list[ScopeTotals]] = {}
    kinds: dict[tuple[str, str], None] = {}  # (sum key, kind), in the institutions' order
    for inst in insts:
        if municipality is not None or inst.level == ReportingLevel.MUNICIPAL:
            sum_key = f"m{municipality.pk if municipality is not None else inst.municipality_id}"
        else:
            sum_key = f"i{inst.pk}"
        if sum_key not in targets:
            _key, unit = _unit_of(inst, by_id, municipality)
            totals = ScopeTotals(unit.name_sq, unit.name_sr, unit.name_en, unit.population)
            result.units[unit.key] = (unit, totals)
            code = region_code.get(unit.region_id)
            targets[sum_key] = [result.totals, totals]
            if code is not None:
                targets[sum_key].append(result.regions[code])
        kinds[(sum_key, inst.kind)] = None
    prepared: set[tuple[int, int]] = set()
    for sum_key, kind in kinds:
        for ds in by_kind[kind]:
            for t in targets[sum_key]:
                if (id(t), ds.pk) not in prepared:
                    prepared.add((id(t), ds.pk))
                    t.prepare(keys_of[ds.pk])
    result.uncovered = _uncovered(insts, by_kind, munis, municipality)
    return targets


def _uncovered(insts, by_kind, munis, municipality) -> dict[str, list[Municipality]]:
    """Per institution type: the municipalities no active institution of it reports for."""
    covered: dict[str, set] = defaultdict(set)  # kind -> municipality ids, region ids, "all"
    for inst in insts:
        if municipality is not None or inst.level == ReportingLevel.MUNICIPAL:
            covered[inst.kind].add(("m", inst.municipality_id))
        elif inst.level == ReportingLevel.REGIONAL:
            covered[inst.kind].add(("r", inst.served_region_id))
        else:
            covered[inst.kind].add(("all", None))
    out = {}
    for kind in sorted(by_kind, key=kind_rank):
        marks = covered.get(kind, set())
        out[kind] = [
            m
            for m in munis
            if ("m", m.pk) not in marks
            and ("r", m.region_id) not in marks
            and ("all", None) not in marks
        ]
    return out


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

    The values are summed in the database (GROUP BY: per institution for a municipality,
    per municipality and regional or national institution for a region or Kosovo; the rows
    per institution of those are summed on first use). Which submissions count is decided
    from their dates only (:func:`mkk.statistics.coverage.windows`).

    ``institutions``: an iterable of Institution objects (default: every active institution
    of the scope whose type has a data set).
    """
    if end < start:
        raise ValueError("end before start")
    if sum(x is not None and x is not False for x in (municipality, region, national)) != 1:
        raise ValueError("give exactly one of municipality, region or national")
    if isinstance(region, str):
        region = Region.objects.get(code=region)
    ranges = ((start, end), periods.previous_year(start, end))
    by_kind = data_sets_by_kind()
    ds_ids = [ds.pk for sets in by_kind.values() for ds in sets]
    summaries = fetched = read = None
    postgresql = connection.vendor == "postgresql"
    if municipality is not None and institutions is None and postgresql:
        # One round trip: the institutions, their coverage figures and their sums.
        read, summaries, fetched = one_statement(
            "municipality", municipality.pk, "institution", ds_ids, include_submitted, ranges,
            kinds=list(by_kind),
        )  # fmt: skip
    scope = _scope(by_kind, municipality, region, institutions, read)
    insts, loader = scope.insts, scope.loader
    (start, end), (prev_start, prev_end) = ranges
    result = RangeComparison(start=start, end=end, previous_start=prev_start, previous_end=prev_end)
    result.scope = (
        "municipality" if municipality is not None else "region" if region else "national"
    )
    result.municipality, result.region = municipality, region
    result._institutions, result._order = loader, [i.pk for i in insts]

    if read is None and scope.statement is not None and insts and postgresql:
        summaries, fetched = one_statement(*scope.statement, ds_ids, include_submitted, ranges)
    wins = windows(
        lambda: candidate_submissions(scope.sub_scope, ds_ids, include_submitted, ranges),
        ranges,
        summaries,
    )
    if wins.excluded[0] or wins.excluded[1]:
        fetched = None  # summed again, without the submissions that are not counted
    result.coverage = _coverage_rows(insts, by_kind, wins, loader)

    keys_of = {
        ds.pk: [(element, key) for element in ds.elements.all() for key in element_keys(element)]
        for sets in by_kind.values()
        for ds in sets
    }
    query = SumQuery(scope.value_scope, ds_ids, include_submitted, ranges, wins.excluded)
    targets = _places(result, insts, by_kind, keys_of, municipality, region)
    _sum(result, scope, query, fetched, wins, by_kind, keys_of, targets, municipality)
    return result


def _sum(result, scope, query, fetched, wins, by_kind, keys_of, targets, municipality) -> None:
    """The rows per institution (or how to build them) and the totals of every place, from
    the sums already ``fetched`` in one statement or asked for now."""
    insts, loader = scope.insts, scope.loader
    if scope.per_institution:
        if fetched is not None:
            sums: dict = defaultdict(dict)
            for inst_id, ds_id, element_id, key, cur, prev in fetched:
                sums[(inst_id, ds_id)][(element_id, key)] = (cur, prev)
        else:
            sums = query.per_institution() if insts else {}
        result.rows = _figure_rows(insts, by_kind, keys_of, wins, sums, loader)
        per_place = _per_place(insts, by_kind, municipality, sums)
    else:
        if fetched is not None:
            per_place = [(f"m{m}" if m is not None else f"i{i}", *rest) for m, i, *rest in fetched]
        else:
            per_place = query.per_unit() if insts else []
        result._build_rows = lambda: _figure_rows(
            insts, by_kind, keys_of, wins, query.per_institution(), loader
        )
    elements = {e.pk: e for pairs in keys_of.values() for e, _key in pairs}
    for sum_key, element_id, key, cur, prev in per_place:
        element = elements.get(element_id)
        for t in targets.get(sum_key, ()) if element is not None else ():
            t.add(element, key, cur, prev)


@dataclass
class _Scope:
    insts: list[_Inst]
    loader: _Loader
    sub_scope: Q
    value_scope: Q
    #: Sums per institution (a municipality, given institutions) or per place.
    per_institution: bool
    #: The scope for :func:`one_statement` (PostgreSQL), or None (Kosovo: two queries the
    #: database can run in parallel do better).
    statement: tuple | None


def _scope(by_kind, municipality, region, institutions, read=None) -> _Scope:
    """``read``: a municipality's institutions, when they were read already."""
    if institutions is not None:
        given = list(institutions)
        insts = _given_insts(given, by_kind, municipality)
        insts.sort(key=lambda i: (kind_rank(i.kind), i.name_sq))
        ids = [i.pk for i in insts]
        return _Scope(
            insts,
            _Loader(ids, {i.pk: i for i in given}),
            Q(institution_id__in=ids),
            Q(submission__institution_id__in=ids),
            True,
            ("institutions", ids, "institution"),
        )
    in_scope = Institution.objects.filter(
        _scope_q("", municipality, region), kind__in=list(by_kind)
    ).order_by()
    if municipality is not None:  # a few model objects, needed for the rows anyway
        given = read if read is not None else list(in_scope)
        seat = Institution._meta.get_field("municipality")
        for inst in given:
            seat.set_cached_value(inst, municipality)  # as select_related would, without a join
        insts = _given_insts(given, by_kind, municipality)
        loaded = {i.pk: i for i in given}
    else:
        insts, loaded = [_Inst(*row) for row in fetch(in_scope.values_list(*_INST_FIELDS))], None
    insts.sort(key=lambda i: (kind_rank(i.kind), i.name_sq))
    if municipality is not None:
        statement = ("municipality", municipality.pk, "institution")
    elif region is not None:
        statement = ("region", region.pk, "unit")
    else:
        statement = None
    # Through the same joins as the scope (not a long list of ids): the database plans it as
    # it would a hand-written GROUP BY over that municipality, region or all of Kosovo.
    return _Scope(
        insts,
        _Loader([i.pk for i in insts], loaded),
        _scope_q("institution__", municipality, region),
        _scope_q("submission__institution__", municipality, region),
        municipality is not None,
        statement,
    )


def _coverage_rows(insts, by_kind, wins: Windows, loader) -> list[CoverageRow]:
    rows = []
    for inst in insts:
        for ds in by_kind[inst.kind]:
            cur, prev = wins.of((inst.pk, ds.pk))
            rows.append(
                CoverageRow(
                    institution_id=inst.pk,
                    data_set=ds,
                    current=cur.coverage,
                    previous=prev.coverage,
                    missing_current=cur.missing,
                    missing_previous=prev.missing,
                    unapproved=cur.unapproved or prev.unapproved,
                    institutions=loader,
                )
            )
    return rows


def _per_place(insts, by_kind, municipality, sums) -> list[tuple]:
    """Sums per institution as the sums per place (the key :func:`_places` gives)."""
    out = []
    for inst in insts:
        if municipality is not None or inst.level == ReportingLevel.MUNICIPAL:
            sum_key = f"m{municipality.pk if municipality is not None else inst.municipality_id}"
        else:
            sum_key = f"i{inst.pk}"
        for ds in by_kind[inst.kind]:
            for (element_id, key), (cur, prev) in sums.get((inst.pk, ds.pk), {}).items():
                out.append((sum_key, element_id, key, cur, prev))
    return out


def _figure_rows(insts, by_kind, keys_of, wins: Windows, sums, loader) -> list[FigureRow]:
    """A row per institution, element and category (every category, given or not)."""
    loaded = loader() if insts else {}
    rows = []
    for inst in insts:
        institution = loaded[inst.pk]
        for ds in by_kind[inst.kind]:
            cur, prev = wins.of((inst.pk, ds.pk))
            pair_sums = sums.get((inst.pk, ds.pk), {})
            unapproved = cur.unapproved or prev.unapproved
            for element, key in keys_of[ds.pk]:
                c, p = pair_sums.get((element.pk, key), (None, None))
                rows.append(
                    FigureRow(
                        institution=institution,
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
