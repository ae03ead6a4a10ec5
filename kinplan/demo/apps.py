from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "kinplan.demo"
    verbose_name = "Demo data"
