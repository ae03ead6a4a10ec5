from django.apps import AppConfig


class CourtConfig(AppConfig):
    name = "kinplan.court"
    verbose_name = "Court orders and hearings"
