from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mkk.ops.backup import BackupError, restore, restore_report, verify


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into the (new, empty) database of DATABASE_URL and "
        "the (empty) private storage, after checking every checksum; then compare row counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument(
            "--check", action="store_true", help="only verify the checksums; change nothing"
        )
        parser.add_argument(
            "--force", action="store_true", help="overwrite a database/storage that is not empty"
        )

    def handle(self, *args, folder, check, force, **options):
        try:
            if check:
                manifest = verify(Path(folder))
                self.stdout.write(
                    f"backup of {manifest['created']}: checksums of the database and "
                    f"{len(manifest['files'])} files are right"
                )
                return
            manifest = restore(Path(folder), force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        problems = restore_report(manifest)
        if problems:
            raise CommandError("restored, but: " + "; ".join(problems))
        self.stdout.write(
            f"restored the backup of {manifest['created']}: {len(manifest['counts'])} tables "
            f"with the same row counts, {len(manifest['files'])} files with the same checksums"
        )
