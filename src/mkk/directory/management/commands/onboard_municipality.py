"""Set up a municipality in one step: mechanism, standard members, coordinator invitation.

    manage.py onboard_municipality --municipality peja --coordinator-email k@example.org \\
        --first-name Arta --last-name Krasniqi --actor admin [--decision-number ...]

Running it again changes nothing that exists (idempotent).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from mkk.accounts.models import User
from mkk.audit.context import acting
from mkk.directory.models import Municipality
from mkk.directory.onboarding import municipality_onboard


class Command(BaseCommand):
    help = (
        "Create a municipality's mechanism, its standard member institutions and invite "
        "its coordinator."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="Municipality code, e.g. peja.")
        parser.add_argument("--coordinator-email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--actor", required=True, help="Username of the administrator.")
        parser.add_argument("--decision-number", default="")
        parser.add_argument("--decision-date", type=dt.date.fromisoformat, default=None)
        parser.add_argument(
            "--all-types", action="store_true", help="Also the ministry and 'other' rows."
        )

    def handle(self, *args, **o):
        municipality = Municipality.objects.filter(code=o["municipality"]).first()
        if municipality is None:
            raise CommandError(f"No municipality with code {o['municipality']!r}.")
        actor = User.objects.filter(username=o["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {o['actor']!r}.")
        with acting(user=actor, reason="onboard_municipality command"):
            try:
                result = municipality_onboard(
                    actor=actor,
                    municipality=municipality,
                    coordinator_email=o["coordinator_email"],
                    coordinator_first_name=o["first_name"],
                    coordinator_last_name=o["last_name"],
                    decision_number=o["decision_number"],
                    decision_date=o["decision_date"],
                    all_types=o["all_types"],
                )
            except PermissionDenied as exc:
                raise CommandError(f"{actor.username} may not onboard a municipality.") from exc
            except ValidationError as exc:
                raise CommandError("\n".join(exc.messages)) from exc
        for line in result.created:
            self.stdout.write(f"created: {line}")
        self.stdout.write(
            f"{municipality.code}: {len(result.created)} created; coordinator "
            f"{result.coordinator.email}"
            + (" invited by e-mail." if result.invited else " already had an account.")
        )
