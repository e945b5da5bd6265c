from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "mkk.reports"
    label = "reports"
