from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What will use it, e.g. 'overdue report script'.")
    )
    read_only = forms.BooleanField(
        label=_("Read only"), required=False, help_text=_("The token can read but never change anything.")
    )
