"""Import a municipality's Local Action Plan from its .docx or its plain-text export."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mkk.audit.context import acting
from mkk.directory.models import Mechanism
from mkk.plans.importing import ImportResult, PlanImportError, PlanImportRefused, plan_import
from mkk.plans.parsing import COLUMN_ROLES, MAX_UPLOAD_BYTES, header_key


class Command(BaseCommand):
    help = "Import a Local Action Plan (.docx or .txt) into a municipality's mechanism."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the plan document: .docx, or the .txt export")
        parser.add_argument("--municipality", required=True, help="municipality code, e.g. drenas")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would change; save nothing"
        )
        parser.add_argument("--verbose", action="store_true", help="list where every cell went")
        parser.add_argument(
            "--accept",
            action="append",
            default=[],
            metavar="KEY",
            help="accept one blocking warning (its key is printed by --dry-run); repeatable",
        )
        parser.add_argument(
            "--confirm-removal",
            action="append",
            default=[],
            metavar="KEY",
            help="confirm retiring or removing one objective/action with history; repeatable",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help="read the column titled HEADER as FIELD (" + ", ".join(COLUMN_ROLES) + ")",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            raise CommandError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
        mechanism = Mechanism.objects.filter(municipality__code=options["municipality"]).first()
        if mechanism is None:
            raise CommandError(f"No mechanism for municipality code {options['municipality']!r}.")
        column_map = {}
        for item in options["map"]:
            header, _sep, role = item.rpartition("=")
            if not header or role not in COLUMN_ROLES:
                raise CommandError(
                    f"--map {item!r}: write HEADER=FIELD, FIELD one of {COLUMN_ROLES}"
                )
            column_map[header_key(header)] = role
        try:
            with acting(reason=f"import_plan {path.name}"):
                result = plan_import(
                    actor=None,
                    mechanism=mechanism,
                    name=path.name,
                    data=path.read_bytes(),
                    dry_run=options["dry_run"],
                    accepted=options["accept"],
                    confirm_removals=options["confirm_removal"],
                    column_map=column_map,
                )
        except PlanImportRefused as exc:
            for p in exc.problems:
                row = f"row {p['row'] + 1} " if p["row"] is not None else ""
                self.stderr.write(
                    f"  {row}{p['code']} [{p['kind']}] {p['message']}  key: {p['key']}"
                )
            raise CommandError(
                f"Nothing was imported: {exc.message} Accept each with --accept KEY "
                "(--confirm-removal KEY for removals) after checking it."
            ) from exc
        except PlanImportError as exc:
            raise CommandError(f"Nothing was imported: {exc.message}") from exc
        self.report(result, verbose=options["verbose"])

    def report(self, r: ImportResult, *, verbose: bool) -> None:
        w = self.stdout.write
        c = r.counts
        w(
            ("DRY RUN, nothing saved: " if r.dry_run else "Imported: ")
            + f"{r.file_name} (SHA-256 {r.sha256[:16]}…)"
        )
        w(
            f"Plan: {r.plan_title}"
            + (" (existing plan updated in place)" if r.plan_existed else " (new plan)")
        )
        w(f"Strategic objectives: {c['strategic_objectives']}")
        w(f"Specific objectives:  {c['specific_objectives']}")
        w(f"Actions:              {c['actions']}")
        w(f"Actions with amounts: {c['actions_with_amounts']}")
        for year, amount in c["budget_by_year"].items():
            w(f"Budget {year}:          {_eur(amount)} EUR")
        w(f"Budget total:         {_eur(c['budget_total'])} EUR")
        w(
            f"Institutions linked:  {c['institutions_linked']}, "
            f"not linked: {c['institutions_unlinked']}"
        )
        w(
            "Actions without a lead institution linked to the directory: "
            f"{c['actions_without_linked_lead']}"
        )
        w(f"Source cells: {c['cells_nonempty']} non-empty, {c['cells_placed']} placed")
        w("Changes (created / updated / unchanged / retired / deleted):")
        for kind, n in r.changes.items():
            w(
                f"  {kind:<20} "
                + " ".join(
                    f"{n[k]:>4}" for k in ("created", "updated", "unchanged", "retired", "deleted")
                )
            )
        w(f"Warnings: {len(r.warnings)}")
        for wr in r.warnings:
            where = " ".join(
                x
                for x in (
                    f"row {wr['row'] + 1}" if wr["row"] is not None else "",
                    wr["code"],
                    wr["column"],
                )
                if x
            )
            w(f"  [{wr['kind']}] {where}: {wr['message']}")
        if r.problems:
            w("Problems that refuse the import unless accepted:")
            for p in r.problems:
                state = "accepted" if p["accepted"] else "OPEN"
                row = f"row {p['row'] + 1} " if p["row"] is not None else ""
                w(f"  [{state}] {row}{p['code']} {p['kind']}: {p['message']}  key: {p['key']}")
        if r.unlinked:
            w("Institutions not linked to the directory:")
            for u in r.unlinked:
                w(f"  {u['code']} ({u['role']}): {u['text']}")
        w("Where the cells went:")
        for kind, n in r.placement_summary():
            w(f"  {kind:<40} {n:>4}")
        if verbose:
            for p in r.placements:
                text = p["text"].replace("\n", " ⏎ ")
                w(f"  row {p['row'] + 1:>3} col {p['column'] + 1:>2} → {p['target']}: {text[:100]}")
        if r.import_run_id:
            w(self.style.SUCCESS(f"Import run #{r.import_run_id} recorded."))


def _eur(value) -> str:
    from decimal import Decimal

    return f"{Decimal(value):,.2f}"
