from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "kinplan.cases"
    verbose_name = "Cases and people"
