from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kinplan.audit"
    verbose_name = "History and access log"
