from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "kinplan.planning"
    verbose_name = _("Service plans")

    def ready(self) -> None:
        from kinplan.cases.due_dates import register_due_date
        from kinplan.cases.sections import register_case_section
        from kinplan.planning.due_dates import next_plan_review, next_step_due
        from kinplan.planning.selectors import plan_summary

        register_case_section(
            name="planning",
            order=20,
            template="planning/partials/_case_section.html",
            context=lambda case, user: {"plan_summary": plan_summary(case=case)},
        )
        register_due_date(name="step_due", label=_("a plan step"), expression=next_step_due)
        register_due_date(name="plan_review_due", label=_("plan review"), expression=next_plan_review)
