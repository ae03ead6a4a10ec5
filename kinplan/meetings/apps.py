from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "kinplan.meetings"
    verbose_name = "Meetings"
