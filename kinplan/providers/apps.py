from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "kinplan.providers"
    verbose_name = "Services and providers"

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
