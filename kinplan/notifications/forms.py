"""The settings form: the user's language, and for each kind of reminder whether in Kinplan and by e-mail."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kinplan.notifications.models import ReminderKind
from kinplan.notifications.services import Choice


class SettingsForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("As my browser says")), *settings.LANGUAGES],
        help_text=_("The language of your screens, e-mail and reminders."),
    )

    def __init__(self, *args: Any, choices: dict[str, Choice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in ReminderKind.choices:
            choice = choices[kind]
            self.fields[f"{kind}__in_app"] = forms.BooleanField(label=label, required=False, initial=choice.in_app)
            self.fields[f"{kind}__by_email"] = forms.BooleanField(label=label, required=False, initial=choice.by_email)

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(label, self[f"{kind}__in_app"], self[f"{kind}__by_email"]) for kind, label in ReminderKind.choices]

    def chosen(self) -> dict[str, Choice]:
        data = self.cleaned_data
        return {kind: Choice(data[f"{kind}__in_app"], data[f"{kind}__by_email"]) for kind in ReminderKind.values}
