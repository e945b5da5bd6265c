"""Re-encrypt every victim identity value with the first key of MKK_FIELD_KEYS.

Rotation: put the new key first in MKK_FIELD_KEYS (keep the old ones after it), restart,
run this command, then remove the old keys.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from mkk.audit.context import acting
from mkk.cases import services


class Command(BaseCommand):
    help = "Re-encrypt every identity value with the first key of MKK_FIELD_KEYS (all or nothing)."

    def handle(self, *args, **options):
        with acting(reason="rotate_keys"):
            counts = services.rotate_keys()
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-encrypted {counts['values']} values of {counts['identities']} identities."
            )
        )
