from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "kinplan.calendars"
    verbose_name = "Calendars"
