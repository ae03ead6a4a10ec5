from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "kinplan.audit"
    verbose_name = _("History and access log")

    def ready(self) -> None:
        from kinplan.audit import permissions  # noqa: F401  registers audit.view_audit and audit.verify_chains
