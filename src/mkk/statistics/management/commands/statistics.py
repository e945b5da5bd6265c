"""Print every figure of a range against the same range a year earlier, with coverage."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from mkk.core import periods
from mkk.core.spreadsheet import csv_dict_writer
from mkk.directory.i18n import localized
from mkk.directory.models import Municipality, Region
from mkk.statistics import formatting
from mkk.statistics.comparison import compare_range

COLUMNS = [
    "institution",
    "institution_kind",
    "element",
    "disaggregation",
    "label",
    "current",
    "previous",
    "difference",
    "percent",
    "change",
    "current_coverage",
    "previous_coverage",
    "unapproved",
]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text}") from exc


class Command(BaseCommand):
    help = (
        "Figures of a municipality for a date range against the same range a year earlier, "
        "per institution, element and disaggregation, with each institution's coverage."
    )

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--municipality", help="Municipality code, e.g. gjilan.")
        where.add_argument("--region", help="Police region code, e.g. gjilan (its total).")
        where.add_argument(
            "--national", action="store_true", help="All of Kosovo: each region and the total."
        )
        parser.add_argument("--start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--end", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
        parser.add_argument("--language", choices=["sq", "en", "sr-latn"], default="sq")
        parser.add_argument(
            "--approved-only",
            action="store_true",
            help="Leave out submitted figures that are not approved yet.",
        )
        parser.add_argument(
            "--all-rows",
            action="store_true",
            help="Also print categories with no figure in either year.",
        )

    def handle(self, *args, **o):
        start, end = _date(o["start"]), _date(o["end"])
        if end < start:
            raise CommandError("--end is before --start.")
        lang = o["language"]
        if not o["municipality"]:
            region = None
            if o["region"]:
                region = Region.objects.filter(code=o["region"]).first()
                if region is None:
                    known = ", ".join(Region.objects.values_list("code", flat=True))
                    raise CommandError(f"No region with code {o['region']!r} (known: {known}).")
            with translation.override(lang):
                result = compare_range(
                    region=region,
                    national=region is None,
                    start=start,
                    end=end,
                    include_submitted=not o["approved_only"],
                )
                self._scope(result, o, lang)
            return
        municipality = Municipality.objects.filter(code=o["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality with code {o['municipality']!r}.")
        with translation.override(lang):
            result = compare_range(
                municipality=municipality,
                start=start,
                end=end,
                include_submitted=not o["approved_only"],
            )
            self._municipality(result, o, lang, municipality)

    def _municipality(self, result, o, lang, municipality):
        rows = [
            r
            for r in result.rows
            if o["all_rows"] or r.is_total or r.current is not None or r.previous is not None
        ]
        records = [_record(r, lang) for r in rows]
        if o["format"] == "json":
            doc = {
                "municipality": municipality.code,
                "start": result.start.isoformat(),
                "end": result.end.isoformat(),
                "previous_start": result.previous_start.isoformat(),
                "previous_end": result.previous_end.isoformat(),
                "label": periods.period_label(result.start, result.end, lang),
                "previous_label": periods.period_label(
                    result.previous_start, result.previous_end, lang
                ),
                "rows": records,
                "coverage": [_coverage(c, lang) for c in result.coverage],
            }
            self.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2))
        elif o["format"] == "csv":
            writer = csv_dict_writer(self.stdout, COLUMNS, lineterminator="\n")
            writer.writeheader()
            for rec in records:
                writer.writerow({k: ("" if v is None else v) for k, v in rec.items()})
        else:
            self._table(result, rows, lang, municipality)

    def _table(self, result, rows, lang, municipality):
        w = self.stdout.write
        cur = periods.period_label(result.start, result.end, lang)
        prev = periods.period_label(result.previous_start, result.previous_end, lang)
        w(f"{localized(municipality, 'name', lang)}: {cur} / {prev}")
        header = f"{'':<58} {'now':>7} {'before':>7} {'diff':>6} {'%':>8}"
        current_inst = None
        for r in rows:
            if r.institution != current_inst:
                current_inst = r.institution
                c = result.coverage_of(r.institution)
                w("")
                w(
                    f"{r.institution.name_in(lang)}  [{c.current} / {c.previous}]"
                    + ("  *unapproved*" if c.unapproved else "")
                )
                w(header)
            label = ("  " if not r.is_total else "") + f"{r.label(lang)} ({r.element.code}"
            label += f" {r.disaggregation})" if r.disaggregation else ")"
            now, before = formatting.number(r.current, lang), formatting.number(r.previous, lang)
            diff, pct = formatting.signed(r.difference, lang), formatting.percent(r.percent, lang)
            w(f"  {label[:56]:<56} {now:>7} {before:>7} {diff:>6} {pct:>8}")
        w("")
        w("Coverage (full / partial / none), this range / a year earlier:")
        for c in result.coverage:
            gaps = "; ".join(f"{a:%Y-%m-%d}..{b:%Y-%m-%d}" for a, b in c.missing_current)
            w(
                f"  {c.institution.name_in(lang)[:50]:<50} {c.data_set.code:<16} {c.current:<8} "
                f"{c.previous:<8}" + (f" missing {gaps}" if c.current == "partial" else "")
            )

    # --- Region / all of Kosovo -----------------------------------------------------------

    def _scope(self, result, o, lang):
        records = _scope_records(result, o["all_rows"], lang)
        missing = [
            {
                "institution": c.institution.name_in(lang),
                "municipality": c.institution.municipality.code,
                "data_set": c.data_set.code,
                "current": c.current,
                "previous": c.previous,
            }
            for c in result.missing
        ]
        uncovered = {kind: [m.code for m in ms] for kind, ms in result.uncovered.items() if ms}
        if o["format"] == "json":
            doc = {
                "scope": result.scope,
                "region": result.region.code if result.region else None,
                "start": result.start.isoformat(),
                "end": result.end.isoformat(),
                "previous_start": result.previous_start.isoformat(),
                "previous_end": result.previous_end.isoformat(),
                "rows": records,
                "missing": missing,
                "uncovered": uncovered,
            }
            self.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2))
        elif o["format"] == "csv":
            writer = csv_dict_writer(self.stdout, list(SCOPE_COLUMNS), lineterminator="\n")
            writer.writeheader()
            for rec in records:
                writer.writerow({k: ("" if v is None else v) for k, v in rec.items()})
        else:
            self._scope_table(result, records, missing, uncovered, lang)

    def _scope_table(self, result, records, missing, uncovered, lang):
        w = self.stdout.write
        cur = periods.period_label(result.start, result.end, lang)
        prev = periods.period_label(result.previous_start, result.previous_end, lang)
        w(f"{result.totals.name_in(lang)}: {cur} / {prev}")
        header = f"{'':<58} {'now':>7} {'before':>7} {'diff':>6} {'%':>8} {'/10k':>8}"
        place = None
        for rec in records:
            if (rec["level"], rec["place"]) != place:
                place = (rec["level"], rec["place"])
                w("")
                w(f"[{rec['level']}] {rec['place']}")
                w(header)
            label = ("  " if rec["disaggregation"] else "") + f"{rec['label']} ({rec['element']}"
            label += f" {rec['disaggregation']})" if rec["disaggregation"] else ")"
            w(
                f"  {label[:56]:<56} {formatting.number(rec['current'], lang):>7} "
                f"{formatting.number(rec['previous'], lang):>7} "
                f"{formatting.signed(rec['difference'], lang):>6} "
                f"{(rec['percent'] or '–'):>8} {(rec['current_per_10k'] or '–'):>8}"
            )
        w("")
        w("Missing (institution, data set: this range / a year earlier):")
        for m in missing:
            w(
                f"  {m['institution'][:50]:<50} {m['data_set']:<16} "
                f"{m['current']:<8} {m['previous']}"
            )
        for kind, codes in uncovered.items():
            w(f"  no {kind} institution reports for: {', '.join(codes)}")


def _record(r, lang) -> dict:
    """One figure of a municipality's comparison, as the CSV and JSON give it."""
    return {
        "institution": r.institution.name_in(lang),
        "institution_kind": r.institution.kind,
        "element": r.element.code,
        "disaggregation": r.disaggregation,
        "label": r.label(lang),
        "current": r.current,
        "previous": r.previous,
        "difference": r.difference,
        "percent": None if r.percent is None else str(r.percent),
        "change": r.change,
        "current_coverage": r.current_coverage,
        "previous_coverage": r.previous_coverage,
        "unapproved": r.unapproved,
    }


def _coverage(c, lang) -> dict:
    return {
        "institution": c.institution.name_in(lang),
        "data_set": c.data_set.code,
        "current": c.current,
        "previous": c.previous,
        "missing_current": [[a.isoformat(), b.isoformat()] for a, b in c.missing_current],
        "missing_previous": [[a.isoformat(), b.isoformat()] for a, b in c.missing_previous],
        "unapproved": c.unapproved,
    }


def _scope_records(result, all_rows: bool, lang) -> list[dict]:
    """The totals of the scope, of each region (Kosovo) and of each unit, as rows."""
    blocks = [("national" if result.scope == "national" else "region", result.totals)]
    if result.scope == "national":
        blocks += [("region", t) for t in result.regions.values()]
    blocks += [(unit.kind, totals) for unit, totals in result.units.values()]
    return [
        {
            "level": level,
            "place": totals.name_in(lang),
            "element": row.element.code,
            "disaggregation": row.disaggregation,
            "label": row.label(lang),
            "current": row.current,
            "previous": row.previous,
            "difference": row.difference,
            "percent": None if row.percent is None else str(row.percent),
            "population": totals.population,
            "current_per_10k": _str(row.current_per_10k),
            "previous_per_10k": _str(row.previous_per_10k),
        }
        for level, totals in blocks
        for row in totals.rows.values()
        if all_rows or row.is_total or row.current is not None
    ]


SCOPE_COLUMNS = [
    "level",
    "place",
    "element",
    "disaggregation",
    "label",
    "current",
    "previous",
    "difference",
    "percent",
    "population",
    "current_per_10k",
    "previous_per_10k",
]


def _str(value):
    return None if value is None else str(value)
