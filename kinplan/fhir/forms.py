from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from kinplan.fhir.importer import LARGEST_FILE


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("FHIR care plan (JSON)"),
        help_text=_("A FHIR R4 Bundle with one CarePlan, such as Kinplan's 'Download as FHIR (JSON)' gives."),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > LARGEST_FILE:
            raise ValidationError(
                _("The file is larger than 5 MB; a care plan is much smaller. Check it is the right file.")
            )
        return upload
