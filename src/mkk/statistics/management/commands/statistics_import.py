"""Import figures from CSV or DHIS2 dataValueSets JSON: the whole file or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from mkk.accounts.models import User
from mkk.audit.context import acting
from mkk.directory.models import Municipality
from mkk.statistics import exchange


class Command(BaseCommand):
    help = (
        "Import figures (CSV or DHIS2 dataValueSets). The file is validated as a whole; any "
        "error refuses all of it, listing each row and reason. Imported figures are submitted "
        "(and approved with --approve)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--format",
            choices=["csv", "dhis2"],
            default=None,
            help="Default: from the file name (.json is dhis2).",
        )
        parser.add_argument("--municipality", help="Only accept rows of this municipality.")
        parser.add_argument(
            "--user", help="Act as this user (their rights apply; default: system)."
        )
        parser.add_argument("--approve", action="store_true")

    def handle(self, *args, **o):
        path = Path(o["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        fmt = o["format"] or ("dhis2" if path.suffix.lower() == ".json" else "csv")
        municipality = None
        if o["municipality"]:
            municipality = Municipality.objects.filter(code=o["municipality"]).first()
            if municipality is None:
                raise CommandError(f"No municipality with code {o['municipality']!r}.")
        user = None
        if o["user"]:
            user = User.objects.filter(username=o["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {o['user']!r}.")
        importer = exchange.import_csv if fmt == "csv" else exchange.import_dhis2
        with acting(user=user, reason=f"statistics_import {path.name}"):
            try:
                result = importer(
                    path.read_bytes(), actor=user, municipality=municipality, approve=o["approve"]
                )
            except ValidationError as exc:
                raise CommandError(
                    "The file was refused; nothing was saved.\n" + "\n".join(exc.messages)
                ) from exc
        for w in result.warnings:
            self.stderr.write(f"warning: {w}")
        self.stdout.write(
            f"Imported {result.values} values in {len(result.submissions)} submissions."
        )
