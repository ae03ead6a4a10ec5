from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "kinplan.assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from kinplan.assessments.selectors import assessment_summary
        from kinplan.cases.sections import register_case_section

        register_case_section(
            name="assessments",
            order=10,
            template="assessments/partials/_case_section.html",
            context=lambda case, user: assessment_summary(case=case),
        )
