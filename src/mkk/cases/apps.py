from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "mkk.cases"
    label = "cases"

    def ready(self):
        from . import notifications  # noqa: F401  (registers the events)
