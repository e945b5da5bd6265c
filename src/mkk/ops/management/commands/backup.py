from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mkk.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database, the private files and a manifest with SHA-256 checksums into "
        "a new folder. The keys are never written: escrow them separately."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="new or empty folder")

    def handle(self, *args, output, **options):
        try:
            manifest = backup(Path(output))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"backup written to {output}: database ({manifest['vendor']}, {rows} rows in "
            f"{len(manifest['counts'])} tables), {len(manifest['files'])} private files. "
            "Keys are not included."
        )
