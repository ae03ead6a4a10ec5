from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "kinplan.referrals"
    verbose_name = "Referrals"

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
