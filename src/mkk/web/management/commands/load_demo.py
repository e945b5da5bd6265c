"""Load the demo data (idempotent): registry, users, and each app's demo data.

The command sits on the top floor (web) because it reaches every app: each app's ``demo``
module is imported by name here, in the order of the layers (directory and accounts, then
plans, statistics, meetings and cases, then reports), so that a renamed demo fails at import.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from mkk.accounts import demo as accounts_demo
from mkk.audit.context import acting
from mkk.cases import demo as cases_demo
from mkk.directory import demo as directory_demo
from mkk.meetings import demo as meetings_demo
from mkk.plans import demo as plans_demo
from mkk.reports import demo as reports_demo
from mkk.statistics import demo as statistics_demo

#: Each ``demo.load(directory, out)`` runs after the registry and users, in this order: the
#: cases follow the statistics (their monthly counts match), the reports come last.
APP_DEMOS = [plans_demo, statistics_demo, meetings_demo, cases_demo, reports_demo]


class Command(BaseCommand):
    help = "Load the Drenas and Gjilan demo data and demo users (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even with DEBUG off (demo users have a published password).",
        )
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print logins.")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "Refusing to load demo users with DEBUG off: their password is public. "
                "Use --allow-production on a throwaway instance only."
            )
        translation.activate("sq")
        # One transaction: no commit (and no disk sync) per row. The audit log is written
        # inside it, by the same signals as ever or, where a demo writes in bulk (the
        # cases), by the demo with the entries the signals would have written.
        with transaction.atomic(), acting(reason="load_demo"):
            directory = directory_demo.load(out=self.stdout)
            users = accounts_demo.load(directory, out=self.stdout)
            for demo in APP_DEMOS:
                demo.load(directory, out=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if options["quiet_logins"]:
            return
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {accounts_demo.DEMO_PASSWORD}):")
        for row in users:
            extra = f"  TOTP key {row['totp']}" if row["totp"] else ""
            self.stdout.write(f"  {row['username']:<22} {row['role']:<32}{extra}")
        self.stdout.write(
            "Roles with a TOTP key need a code: add the key to an authenticator app, or run "
            "`.venv/bin/python manage.py demo_totp USERNAME` for the current code."
        )
