from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotesConfig(AppConfig):
    name = "kinplan.notes"
    verbose_name = _("Case notes")

    def ready(self) -> None:
        from kinplan.cases.sections import register_case_section
        from kinplan.notes.selectors import notes_section

        register_case_section(
            name="notes",
            order=45,
            template="notes/partials/_case_section.html",
            context=lambda case, user: notes_section(case=case, user=user),
        )
