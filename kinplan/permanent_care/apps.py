from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermanentCareConfig(AppConfig):
    name = "kinplan.permanent_care"
    verbose_name = _("Permanent care support plans")

    def ready(self) -> None:
        from kinplan.cases.permissions import can_edit_case
        from kinplan.cases.sections import register_case_section
        from kinplan.permanent_care.selectors import arrangement_for_case

        register_case_section(
            name="permanent_care",
            order=60,
            template="permanent_care/partials/_case_section.html",
            context=lambda case, user: {
                "pc_arrangement": arrangement_for_case(case),
                "pc_can_start": can_edit_case(user, case),
            },
        )
