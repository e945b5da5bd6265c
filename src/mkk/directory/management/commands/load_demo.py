"""Load the demo data (idempotent): registry, users, and each app's demo data."""

from __future__ import annotations

import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from mkk.accounts import demo as accounts_demo
from mkk.audit.context import acting
from mkk.directory import demo as directory_demo

#: Apps whose ``demo.load(directory, out)`` runs after the registry and users, in order.
APP_DEMOS = ["plans", "statistics", "meetings", "cases", "reports"]


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
        # One transaction: no commit (and no disk sync) per row; the audit log is written
        # by the same signals as ever, inside it.
        with transaction.atomic(), acting(reason="load_demo"):
            directory = directory_demo.load(out=self.stdout)
            users = accounts_demo.load(directory, out=self.stdout)
            for app in APP_DEMOS:
                importlib.import_module(f"mkk.{app}.demo").load(directory, out=self.stdout)
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
