"""Write an institution's statistics figures for a period from its case records."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from mkk.audit.context import acting
from mkk.cases import services
from mkk.directory.models import Institution


class Command(BaseCommand):
    help = "Save (draft, or --submit) an institution's statistics figures computed from its cases."

    def add_arguments(self, parser):
        parser.add_argument("--institution", type=int, required=True)
        parser.add_argument("--start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--end", required=True, help="YYYY-MM-DD")
        parser.add_argument("--submit", action="store_true")
        parser.add_argument("--dry-run", action="store_true", help="Print the figures only.")

    def handle(self, *args, **options):
        institution = Institution.objects.filter(pk=options["institution"]).first()
        if institution is None:
            raise CommandError("No institution with that id.")
        try:
            start = dt.date.fromisoformat(options["start"])
            end = dt.date.fromisoformat(options["end"])
        except ValueError as exc:
            raise CommandError("Dates are YYYY-MM-DD.") from exc
        try:
            values = services.statistics_values(
                institution=institution, period_start=start, period_end=end
            )
            for (code, key), value in sorted(values.items()):
                self.stdout.write(f"  {code} {key or 'total'}: {value}")
            if options["dry_run"]:
                return
            with acting(reason="cases_statistics command"):
                sub = services.statistics_from_cases(
                    actor=None,
                    institution=institution,
                    period_start=start,
                    period_end=end,
                    submit=options["submit"],
                )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Saved submission {sub.pk} ({sub.get_status_display()}).")
        )
