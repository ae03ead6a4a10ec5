from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "kinplan.planning"
    verbose_name = "Service plans"

    def ready(self) -> None:
        from kinplan.cases.sections import register_case_section
        from kinplan.planning.selectors import plan_summary

        register_case_section(
            name="planning",
            order=20,
            template="planning/partials/_case_section.html",
            context=lambda case, user: {"plan_summary": plan_summary(case=case)},
        )
