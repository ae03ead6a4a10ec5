from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "kinplan.assessments"
    verbose_name = "Assessments"
