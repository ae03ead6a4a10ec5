from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "kinplan.referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from kinplan.cases.sections import register_case_section
        from kinplan.referrals import permissions  # noqa: F401  (registers the rules)
        from kinplan.referrals.selectors import case_section

        register_case_section(
            name="referrals",
            order=30,
            template="referrals/partials/_case_section.html",
            context=lambda case, user: case_section(case=case),
        )
