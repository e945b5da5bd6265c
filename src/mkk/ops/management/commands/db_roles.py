from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from mkk.ops.roles import grant_script, grant_sql, setup_sql


class Command(BaseCommand):
    help = (
        "PostgreSQL roles: a migration owner and a runtime role with only INSERT and SELECT "
        "on the audit table. --print-sql prints the set-up; --apply grants (after migrate)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--owner", default="", help="owner role (default: current user)")
        parser.add_argument("--runtime", default="mkk_app", help="runtime role")
        parser.add_argument("--database", default="", help="database (default: DATABASE_URL's)")
        parser.add_argument("--print-sql", action="store_true")
        parser.add_argument("--apply", action="store_true", help="run the grants now")

    def handle(self, *args, owner, runtime, database, print_sql, apply, **options):
        if connection.vendor != "postgresql" and apply:
            raise CommandError("Database roles apply to PostgreSQL only.")
        if not owner:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT current_user")
                    owner = cursor.fetchone()[0]
            else:
                owner = "mkk_owner"
        database = database or str(connection.settings_dict.get("NAME") or "mkk")
        try:
            if print_sql or not apply:
                self.stdout.write(setup_sql(database=database, owner=owner, runtime=runtime))
                self.stdout.write(grant_sql(owner=owner, runtime=runtime))
            if apply:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(grant_script(owner=owner, runtime=runtime))
                self.stdout.write(
                    f"granted: {runtime} reads and writes the tables of {owner}, and only "
                    "INSERT and SELECT on the audit table"
                )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
