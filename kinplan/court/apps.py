from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CourtConfig(AppConfig):
    name = "kinplan.court"
    verbose_name = _("Court orders and hearings")

    def ready(self) -> None:
        from kinplan.cases.sections import register_case_section
        from kinplan.court.due_dates import register_due_dates
        from kinplan.court.selectors import court_section

        register_case_section(
            name="court",
            order=50,
            template="court/partials/_case_section.html",
            context=lambda case, user: court_section(case=case),
        )
        register_due_dates()
