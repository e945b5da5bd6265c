"""Import an institution's cases from a CSV file: all rows or none."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mkk.accounts.models import Role, User
from mkk.audit.context import acting
from mkk.cases import importer
from mkk.directory.models import Institution


class Command(BaseCommand):
    help = "Import cases of one institution from CSV (checked as a whole; all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("--institution", type=int, required=True, help="Institution id.")
        parser.add_argument(
            "--user",
            help="Case worker of that institution to record as author (default: the first).",
        )
        parser.add_argument("file", help="CSV file (UTF-8).")

    def handle(self, *args, **options):
        institution = Institution.objects.filter(pk=options["institution"]).first()
        if institution is None:
            raise CommandError("No institution with that id.")
        workers = User.objects.filter(
            role=Role.CASE_WORKER, institution=institution, is_active=True
        )
        if options["user"]:
            workers = workers.filter(username=options["user"])
        actor = workers.order_by("pk").first()
        if actor is None:
            raise CommandError("The institution has no active case worker to record as the author.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError("File not found.")
        with acting(user=actor, reason="import_cases command"):
            result = importer.import_cases(
                actor=actor, institution=institution, data=path.read_bytes()
            )
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing imported: {len(result.errors)} problems.")
        self.stdout.write(self.style.SUCCESS(f"Imported {len(result.created)} cases."))
