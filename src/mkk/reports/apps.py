from django.apps import AppConfig, apps


class ReportsConfig(AppConfig):
    name = "mkk.reports"
    label = "reports"

    def ready(self):
        if apps.is_installed("mkk.notifications"):
            from . import notifications  # noqa: F401  (registers the events)
