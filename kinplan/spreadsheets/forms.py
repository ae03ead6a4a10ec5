"""The import's upload form, and the confirmation that names the file already checked."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kinplan.spreadsheets.imports import MAX_BYTES
from kinplan.spreadsheets.storage import DIGEST


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet of cases and people (.csv or .xlsx)"),
        help_text=_("At most 5 MB and 2,000 rows. Nothing is saved until you confirm the import."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB: split it into smaller files."))
        return upload


class ImportConfirmForm(forms.Form):
    upload = forms.RegexField(regex=DIGEST, widget=forms.HiddenInput)
