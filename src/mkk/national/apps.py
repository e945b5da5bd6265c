from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "mkk.national"
    label = "national"
