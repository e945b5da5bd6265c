"""Export figures of a municipality and range as CSV or DHIS2 dataValueSets JSON."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from mkk.directory.models import Municipality, Region
from mkk.statistics import exchange


class Command(BaseCommand):
    help = "Export the figures of submissions lying wholly inside a range (approved and submitted)."

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--municipality", help="Municipality code, e.g. gjilan.")
        where.add_argument("--region", help="Police region code: its municipalities and units.")
        where.add_argument("--national", action="store_true", help="All of Kosovo.")
        parser.add_argument("--start", required=True, type=dt.date.fromisoformat)
        parser.add_argument("--end", required=True, type=dt.date.fromisoformat)
        parser.add_argument("--format", choices=["csv", "dhis2"], default="csv")
        parser.add_argument("--approved-only", action="store_true")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, **o):
        municipality = region = None
        if o["municipality"]:
            municipality = Municipality.objects.filter(code=o["municipality"]).first()
            if municipality is None:
                raise CommandError(f"No municipality with code {o['municipality']!r}.")
        elif o["region"]:
            region = Region.objects.filter(code=o["region"]).first()
            if region is None:
                raise CommandError(f"No region with code {o['region']!r}.")
        export = exchange.export_csv if o["format"] == "csv" else exchange.export_dhis2
        try:
            text = export(
                municipality=municipality,
                region=region,
                start=o["start"],
                end=o["end"],
                include_submitted=not o["approved_only"],
            )
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        if o["output"]:
            Path(o["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
