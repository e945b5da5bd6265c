from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "mkk.meetings"
    label = "meetings"
