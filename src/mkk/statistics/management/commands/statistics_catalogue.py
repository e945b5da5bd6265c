"""Install whatever of the default catalogue is missing (idempotent)."""

from django.core.management.base import BaseCommand

from mkk.statistics.catalogue import ensure_default_catalogue


class Command(BaseCommand):
    help = "Add the default data elements, disaggregations and data sets that are missing."

    def handle(self, *args, **options):
        created = ensure_default_catalogue()
        self.stdout.write(f"Default catalogue in place ({created} rows added).")
