"""Which submissions count in a range, and how much of the range they cover.

Of one institution's submissions of one data set, only those lying wholly inside the range
count; overlapping ones are never added together (of the candidates, the non-overlapping set
covering the most days is used: :func:`choose_submissions`). Coverage is ``full``,
``partial`` (with the days not covered) or ``none``.

:func:`windows` decides this for every (institution, data set) of a comparison at once. On
PostgreSQL it asks the database for each pair's count of submissions, their days and their
"grain" (one calendar month, quarter, half-year or year); submissions of one grain cannot
overlap, so in the usual case – a pair's months covering the whole range – no submission
row is read into Python. Only pairs with mixed or irregular periods, or with gaps to list,
are read and decided one by one, as everywhere on other databases.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, IntegerField, Max, Min, Q, Sum
from django.db.models.expressions import RawSQL

from .figures import FULL, NONE, PARTIAL
from .models import Status, Submission

Pair = tuple[int, int]  # (institution id, data set id)


def statuses(include_submitted: bool) -> list[str]:
    return [Status.APPROVED, Status.SUBMITTED] if include_submitted else [Status.APPROVED]


def fetch(qs) -> list[tuple]:
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


# --- choosing submissions -------------------------------------------------------------------


def _weight(sub) -> tuple[int, int, int]:
    approved = sub.status == Status.APPROVED
    return (sub.days, sub.days if approved else 0, -1)


def _add(a: tuple, b: tuple) -> tuple:
    return tuple(x + y for x, y in zip(a, b, strict=True))


def choose_submissions(candidates: Iterable) -> list:
    """Non-overlapping submissions covering the most days (weighted interval scheduling).
    Ties: more approved days, then fewer, longer submissions (a quarter before its months)."""
    subs = sorted(candidates, key=lambda s: (s.period_end, s.period_start, s.pk or 0))
    if not subs:
        return []
    ends = [s.period_end for s in subs]
    best: list[tuple[tuple[int, int, int], list[int]]] = [((0, 0, 0), [])]
    for i, s in enumerate(subs):
        lo, hi = 0, i
        while lo < hi:  # the number of submissions (in order) ending before s starts
            mid = (lo + hi) // 2
            if ends[mid] < s.period_start:
                lo = mid + 1
            else:
                hi = mid
        with_s = (_add(best[lo][0], _weight(s)), best[lo][1] + [i])
        without = best[i]
        best.append(with_s if with_s[0] > without[0] else without)
    return [subs[i] for i in best[-1][1]]


def gaps(start: dt.date, end: dt.date, used: Iterable) -> list[tuple[dt.date, dt.date]]:
    """The stretches of [start, end] no submission of ``used`` covers."""
    out = []
    cursor = start
    for s in sorted(used, key=lambda s: s.period_start):
        if s.period_start > cursor:
            out.append((cursor, s.period_start - dt.timedelta(days=1)))
        cursor = max(cursor, s.period_end + dt.timedelta(days=1))
    if cursor <= end:
        out.append((cursor, end))
    return out


@dataclass(slots=True)
class Candidate:
    """A submission's metadata only (no ORM object): what choosing and coverage need."""

    pk: int
    period_start: dt.date
    period_end: dt.date
    status: str

    @property
    def days(self) -> int:
        return (self.period_end - self.period_start).days + 1


@dataclass
class Window:
    """Which submissions of one (institution, data set) count in one range."""

    coverage: str
    missing: list[tuple[dt.date, dt.date]]
    unapproved: bool
    excluded: list[int] = field(default_factory=list)


def empty_window(start: dt.date, end: dt.date) -> Window:
    return Window(NONE, [(start, end)], False)


def window(cands: list[Candidate], start: dt.date, end: dt.date) -> Window:
    """Which of one pair's candidate submissions count in [start, end]."""
    inside = [c for c in cands if c.period_start >= start and c.period_end <= end]
    if not inside:
        return empty_window(start, end)
    total_days = (end - start).days + 1
    used = choose_submissions(inside)
    covered = sum(s.days for s in used)
    used_ids = {s.pk for s in used}
    full = covered >= total_days
    return Window(
        coverage=FULL if full else PARTIAL,
        missing=[] if full else gaps(start, end, used),
        unapproved=any(s.status != Status.APPROVED for s in used),
        excluded=[s.pk for s in inside if s.pk not in used_ids],
    )


# --- every pair of a comparison at once ------------------------------------------------------


@dataclass
class Windows:
    """Per (institution, data set): its window in the current and in the previous range, and
    the submissions of each range that are not counted (they overlap a chosen one)."""

    ranges: tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]
    pairs: dict[Pair, tuple[Window, Window]] = field(default_factory=dict)
    excluded: tuple[list[int], list[int]] = field(default_factory=lambda: ([], []))

    def of(self, pair: Pair) -> tuple[Window, Window]:
        found = self.pairs.get(pair)
        if found is None:
            (s, e), (ps, pe) = self.ranges
            return empty_window(s, e), empty_window(ps, pe)
        return found

    def set(self, pair: Pair, index: int, win: Window) -> None:
        both = list(self.of(pair))
        both[index] = win
        self.pairs[pair] = (both[0], both[1])
        self.excluded[index].extend(win.excluded)


def _in_range(start: dt.date, end: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}period_start__gte": start, f"{prefix}period_end__lte": end})


def _candidates(base, pairs: set[Pair] | None = None) -> dict[Pair, list[Candidate]]:
    qs = base
    if pairs is not None:
        qs = qs.filter(institution_id__in={i for i, _d in pairs})
    rows = qs.order_by().values_list(
        "institution_id", "data_set_id", "pk", "period_start", "period_end", "status"
    )
    out: dict[Pair, list[Candidate]] = defaultdict(list)
    for inst_id, ds_id, pk, start, end, status in fetch(rows):
        if pairs is None or (inst_id, ds_id) in pairs:
            out[(inst_id, ds_id)].append(Candidate(pk, start, end, status))
    return out


#: A submission's length in days, and its grain: k when it is one calendar period of k
#: months (1 a month, 3 a quarter, 6 a half-year, 12 a year), else 0. Two different
#: submissions of the same grain never overlap (the periods of one grain tile the calendar,
#: and one institution has one submission per data set and period).
_DAYS_SQL = '"statistics_submission"."period_end" - "statistics_submission"."period_start" + 1'
GRAIN_SQL = """CASE
 WHEN EXTRACT(DAY FROM "statistics_submission"."period_start") <> 1 THEN 0
 WHEN "statistics_submission"."period_end"
      = ("statistics_submission"."period_start" + INTERVAL '1 month')::date - 1 THEN 1
 WHEN "statistics_submission"."period_end"
      = ("statistics_submission"."period_start" + INTERVAL '3 months')::date - 1
  AND mod(EXTRACT(MONTH FROM "statistics_submission"."period_start")::int, 3) = 1 THEN 3
 WHEN "statistics_submission"."period_end"
      = ("statistics_submission"."period_start" + INTERVAL '6 months')::date - 1
  AND mod(EXTRACT(MONTH FROM "statistics_submission"."period_start")::int, 6) = 1 THEN 6
 WHEN "statistics_submission"."period_end"
      = ("statistics_submission"."period_start" + INTERVAL '1 year')::date - 1
  AND EXTRACT(MONTH FROM "statistics_submission"."period_start") = 1 THEN 12
 ELSE 0 END"""


def _summaries(base, ranges) -> list[tuple]:
    """Per pair and range: submissions, days, unapproved ones, smallest and largest grain
    (PostgreSQL; constant SQL, no input in it)."""
    days = RawSQL(_DAYS_SQL, (), output_field=IntegerField())  # noqa: S611  # nosec B611 - constant SQL of this module, no input
    grain = RawSQL(GRAIN_SQL, (), output_field=IntegerField())  # noqa: S611  # nosec B611 - constant SQL of this module, no input
    annotations = {}
    for n, (start, end) in enumerate(ranges):
        inside = _in_range(start, end)
        annotations[f"n{n}"] = Count("pk", filter=inside)
        annotations[f"d{n}"] = Sum(days, filter=inside)
        annotations[f"u{n}"] = Count("pk", filter=inside & ~Q(status=Status.APPROVED))
        annotations[f"lo{n}"] = Min(grain, filter=inside)
        annotations[f"hi{n}"] = Max(grain, filter=inside)
    qs = base.order_by().values_list("institution_id", "data_set_id").annotate(**annotations)
    return fetch(qs.values_list("institution_id", "data_set_id", *annotations))


def windows(candidates, ranges, summaries: list[tuple] | None = None) -> Windows:
    """The windows of every pair among the candidate submissions of the scope (of its
    institutions and data sets, counted statuses, inside one of the two ranges):
    ``candidates()`` gives their queryset, asked for only when they are read.

    ``summaries``: the figures :func:`_summaries` reads, when they were read already."""
    result = Windows(ranges=tuple(ranges))
    if connection.vendor != "postgresql":
        for pair, cands in _candidates(candidates()).items():
            for index, (start, end) in enumerate(ranges):
                result.set(pair, index, window(cands, start, end))
        return result
    look_closer: dict[Pair, list[int]] = defaultdict(list)
    if summaries is None:
        summaries = _summaries(candidates(), ranges)
    totals = [(end - start).days + 1 for start, end in ranges]
    empty = tuple(empty_window(start, end) for start, end in ranges)
    for inst_id, ds_id, *figures in summaries:
        pair = (inst_id, ds_id)
        both = list(empty)
        for index in (0, 1):
            n, days, unapproved, lo, hi = figures[index * 5 : index * 5 + 5]
            if not n:
                continue
            if lo == hi and lo > 0 and days >= totals[index]:  # no overlap, no gap
                both[index] = Window(FULL, [], bool(unapproved))
            else:  # overlapping submissions to choose from, or gaps to list
                look_closer[pair].append(index)
        result.pairs[pair] = (both[0], both[1])
    if look_closer:
        for pair, cands in _candidates(candidates(), set(look_closer)).items():
            for index in look_closer[pair]:
                start, end = ranges[index]
                result.set(pair, index, window(cands, start, end))
    return result


def candidate_submissions(scope: Q, ds_ids, include_submitted: bool, ranges):
    """The submissions that may count: the scope's, of the data sets, in a counted status,
    wholly inside one of the ranges."""
    inside = Q()
    for start, end in ranges:
        inside |= _in_range(start, end)
    return Submission.objects.filter(
        inside, scope, data_set_id__in=ds_ids, status__in=statuses(include_submitted)
    )
