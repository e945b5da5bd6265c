from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "mkk.statistics"
    label = "statistics"
