"""Remove the identity of closed cases older than MKK_CASE_RETENTION_DAYS (run daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from mkk.audit.context import acting
from mkk.cases import services


class Command(BaseCommand):
    help = (
        "Anonymise closed cases older than the retention period "
        "(MKK_CASE_RETENTION_DAYS, default 5 years): "
        "identity emptied, pseudonymous key kept for statistics. Meant for a daily schedule."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be anonymised; change nothing."
        )

    def handle(self, *args, **options):
        with acting(reason="anonymize_cases"):
            refs = services.cases_anonymize(dry_run=options["dry_run"])
        verb = "Would anonymise" if options["dry_run"] else "Anonymised"
        self.stdout.write(f"{verb} {len(refs)} cases (retention {services.retention_days()} days).")
        for ref in refs:
            self.stdout.write(f"  {ref}")
