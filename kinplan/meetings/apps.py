from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "kinplan.meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from kinplan.cases.due_dates import register_due_date
        from kinplan.cases.sections import register_case_section
        from kinplan.meetings import permissions  # noqa: F401  (registers the rules)
        from kinplan.meetings.due_dates import next_meeting
        from kinplan.meetings.selectors import meetings_section

        register_case_section(
            name="meetings",
            order=40,
            template="meetings/partials/_case_section.html",
            context=lambda case, user: meetings_section(case=case, user=user),
        )
        register_due_date(name="meeting_due", label=_("a meeting"), expression=next_meeting)
