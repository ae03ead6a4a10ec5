"""Forms for retention and erasure: they read the input; the services check the rules and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kinplan.privacy.models import ErasureDecision
from kinplan.privacy.services import LONGEST_KEEP_YEARS

NO_PERSONAL_DATA = _("It is kept after any erasure: do not name anyone or write personal details.")


class KeepForm(forms.Form):
    years = forms.IntegerField(
        label=_("Keep for another (years)"),
        min_value=1,
        max_value=LONGEST_KEEP_YEARS,
        error_messages={
            "required": _("Say for how many years."),
            "min_value": _("Keep it for at least 1 year."),
            "max_value": _("Keep it for at most %(limit_value)s years."),
        },
    )
    reason = forms.CharField(
        label=_("Why keep it?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_PERSONAL_DATA,
        error_messages={"required": _("Give the reason for the decision.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["years"].initial = settings.KINPLAN_RETENTION_YEARS


class ErasureRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should it be erased?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=NO_PERSONAL_DATA,
        error_messages={"required": _("Give the reason for the erasure.")},
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=ErasureDecision.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Approve or refuse.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed when you refuse. It is kept after any erasure: do not name anyone or write personal details."
        ),
    )
