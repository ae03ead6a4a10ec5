from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    name = "kinplan.providers"
    verbose_name = _("Services and providers")

    def ready(self) -> None:
        from kinplan.cases.sections import register_case_section
        from kinplan.providers import admin  # noqa: F401  (registers the catalogue and directory in /manage/)
        from kinplan.providers.selectors import informal_supports

        register_case_section(
            name="providers",
            order=35,
            template="providers/partials/_case_section.html",
            context=lambda case, user: {"informal_supports": list(informal_supports(case=case))},
        )
