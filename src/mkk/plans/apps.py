from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "mkk.plans"
    label = "plans"
