from django.apps import AppConfig


class PermanentCareConfig(AppConfig):
    name = "kinplan.permanent_care"
    verbose_name = "Permanent care support plans"
