from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "kinplan.planning"
    verbose_name = "Service plans"
