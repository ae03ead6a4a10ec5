from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("FHIR care plan (JSON)"),
        help_text=_("A FHIR R4 Bundle with one CarePlan, such as Kinplan's 'Download as FHIR (JSON)' gives."),
    )
