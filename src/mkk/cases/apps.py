from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "mkk.cases"
    label = "cases"
