"""The sums of a comparison, in the database: one GROUP BY over the counted values.

:class:`SumQuery` sums through the ORM (any database): per institution and data set, or per
place (municipal institutions per municipality, the others per institution).
:func:`one_statement` is PostgreSQL's shortcut for a municipality or a region: the scope's
candidate submissions are found once and feed both the coverage figures
(:func:`mkk.statistics.coverage.windows`) and the sums, in one statement.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q, Sum

from mkk.directory.models import Institution, ReportingLevel

from .coverage import GRAIN_SQL, fetch, statuses
from .models import DataValue, Status

Sums = dict[tuple[int, int], dict[tuple[int, str], tuple]]


@dataclass
class SumQuery:
    """What every query of one comparison shares."""

    value_scope: Q
    ds_ids: list[int]
    include_submitted: bool
    ranges: tuple
    excluded: tuple[list[int], list[int]]

    def grouped(self, *group: str, **filters) -> list[tuple]:
        """(*group, current sum, previous sum) of the counted values (one GROUP BY)."""
        (start, end), (prev_start, prev_end) = self.ranges
        current = Q(submission__period_start__gte=start, submission__period_end__lte=end)
        previous = Q(submission__period_start__gte=prev_start, submission__period_end__lte=prev_end)
        either = current | previous
        if self.excluded[0]:
            current &= ~Q(submission_id__in=self.excluded[0])
        if self.excluded[1]:
            previous &= ~Q(submission_id__in=self.excluded[1])
        qs = (
            DataValue.objects.filter(
                either,
                self.value_scope,
                submission__data_set_id__in=self.ds_ids,
                submission__status__in=statuses(self.include_submitted),
                **filters,
            )
            .order_by()
            .values_list(*group)
            .annotate(cur=Sum("value", filter=current), prev=Sum("value", filter=previous))
        )
        return fetch(qs)

    def per_institution(self) -> Sums:
        sums: Sums = defaultdict(dict)
        for inst_id, ds_id, element_id, key, cur, prev in self.grouped(
            "submission__institution_id", "submission__data_set_id", "element_id", "key"
        ):
            sums[(inst_id, ds_id)][(element_id, key)] = (cur, prev)
        return sums

    def per_unit(self) -> list[tuple]:
        """(sum key, element id, key, current, previous): municipal institutions summed per
        municipality ("m<id>"), the others per institution ("i<id>"), each only for a data
        set of its type."""
        kind = {"submission__data_set__institution_kind": F("submission__institution__kind")}
        level = "submission__institution__level"
        municipal = self.grouped(
            "submission__institution__municipality_id",
            "element_id",
            "key",
            **{level: ReportingLevel.MUNICIPAL},
            **kind,
        )
        others = self.grouped(
            "submission__institution_id",
            "element_id",
            "key",
            **{f"{level}__in": [ReportingLevel.REGIONAL, ReportingLevel.NATIONAL]},
            **kind,
        )
        return [(f"m{g}", *rest) for g, *rest in municipal] + [
            (f"i{g}", *rest) for g, *rest in others
        ]


# --- PostgreSQL: coverage and sums of a municipality or a region in one statement ------------

_SCOPES = {
    "municipality": "i.is_active AND i.municipality_id = %(place)s",
    "region": (
        "i.is_active AND ((i.level = %(municipal)s AND m.region_id = %(place)s)"
        " OR (i.level = %(regional)s AND i.region_id = %(place)s)"
        " OR (i.level = %(regional)s AND i.region_id IS NULL AND m.region_id = %(place)s))"
    ),
    "institutions": "i.id = ANY(%(place)s)",
}
_GROUPS = {
    "institution": ("c.inst", "c.ds"),
    "unit": (
        "CASE WHEN c.level = %(municipal)s THEN c.muni END",
        "CASE WHEN c.level <> %(municipal)s THEN c.inst END",
    ),
}
_S = '"statistics_submission"'
_STATEMENT = """
WITH c AS MATERIALIZED (
  SELECT {s}."id" AS id, {s}."institution_id" AS inst, {s}."data_set_id" AS ds,
         i.level AS level, i.municipality_id AS muni,
         {s}."period_end" - {s}."period_start" + 1 AS days,
         {s}."status" <> %(approved)s AS unapproved,
         {grain} AS grain,
         ({s}."period_start" >= %(s0)s AND {s}."period_end" <= %(e0)s) AS in0,
         ({s}."period_start" >= %(s1)s AND {s}."period_end" <= %(e1)s) AS in1
    FROM {s}
    JOIN "directory_institution" i ON i.id = {s}."institution_id"
    JOIN "directory_municipality" m ON m.id = i.municipality_id
    JOIN "statistics_dataset" d ON d.id = {s}."data_set_id" AND d.institution_kind = i.kind
   WHERE {scope}
     AND {s}."data_set_id" = ANY(%(ds)s) AND {s}."status" = ANY(%(statuses)s)
     AND (({s}."period_start" >= %(s0)s AND {s}."period_end" <= %(e0)s)
       OR ({s}."period_start" >= %(s1)s AND {s}."period_end" <= %(e1)s))
)
SELECT 0, inst, ds, NULL::bigint, NULL::text,
       count(*) FILTER (WHERE in0), sum(days) FILTER (WHERE in0),
       count(*) FILTER (WHERE in0 AND unapproved),
       min(grain) FILTER (WHERE in0), max(grain) FILTER (WHERE in0),
       count(*) FILTER (WHERE in1), sum(days) FILTER (WHERE in1),
       count(*) FILTER (WHERE in1 AND unapproved),
       min(grain) FILTER (WHERE in1), max(grain) FILTER (WHERE in1)
  FROM c GROUP BY inst, ds
UNION ALL
SELECT 1, {g1}, {g2}, v.element_id, v.key,
       sum(v.value) FILTER (WHERE c.in0), sum(v.value) FILTER (WHERE c.in1),
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM "statistics_datavalue" v JOIN c ON c.id = v.submission_id
 GROUP BY 2, 3, 4, 5
"""


#: A municipality's institutions of the given types, read in the same round trip.
_INSTITUTIONS = """
SELECT {columns} FROM "directory_institution" i
 WHERE i.is_active AND i.municipality_id = %(place)s AND i.kind = ANY(%(kinds)s);
"""


def one_statement(scope: str, place, group: str, ds_ids, include_submitted, ranges, kinds=None):
    """Coverage figures per (institution, data set), as ``coverage.windows`` reads them, and
    the values' sums without any exclusion: per (institution, data set) for ``group =
    "institution"``, per (municipality or None, institution or None) for ``"unit"``.

    ``scope``: "municipality" (``place`` its id), "region" (its id) or "institutions" (a
    list of ids). With ``kinds`` (a municipality only), its active institutions of those
    types come first, as model objects: (institutions, coverage, sums)."""
    (s0, e0), (s1, e1) = ranges
    g1, g2 = _GROUPS[group]
    sql = _STATEMENT.format(s=_S, grain=GRAIN_SQL, scope=_SCOPES[scope], g1=g1, g2=g2)
    fields = Institution._meta.concrete_fields
    if kinds is not None:
        columns = ", ".join(f'i."{f.column}"' for f in fields)
        sql = _INSTITUTIONS.format(columns=columns) + sql
    params = {
        "place": place,
        "municipal": ReportingLevel.MUNICIPAL.value,
        "regional": ReportingLevel.REGIONAL.value,
        "approved": Status.APPROVED.value,
        "ds": list(ds_ids),
        "statuses": [str(s) for s in statuses(include_submitted)],
        "s0": s0,
        "e0": e0,
        "s1": s1,
        "e1": e1,
    }
    institutions = None
    with connection.cursor() as cursor:
        # Reviewed: the SQL is built from this module's constants and the model's column
        # names only; every value is a parameter.
        cursor.execute(sql, {**params, "kinds": list(kinds or ())})  # nosemgrep: mkk-raw-sql-string
        if kinds is not None:
            names = [f.attname for f in fields]
            institutions = [
                Institution.from_db(connection.alias, names, row) for row in cursor.fetchall()
            ]
            cursor.nextset()
        rows = cursor.fetchall()
    coverage = [row[1:3] + row[5:] for row in rows if row[0] == 0]
    values = [row[1:7] for row in rows if row[0] == 1]
    if kinds is not None:
        return institutions, coverage, values
    return coverage, values
