from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "kinplan.providers"
    verbose_name = "Services and providers"
