"""Input forms for the directory search and a case's informal supports."""

from __future__ import annotations

from typing import Any

from django import forms

from kinplan.cases.models import Case, Person
from kinplan.core.forms import InputForm
from kinplan.providers.models import Provider, ServiceType
from kinplan.providers.services import INFORMAL_FIELDS


class DirectorySearchForm(forms.Form):
    service_type = forms.ModelChoiceField(
        queryset=ServiceType.objects.filter(is_active=True), required=False, label="Service", empty_label="Any service"
    )
    area = forms.CharField(required=False, max_length=100, label="Area", help_text="A suburb, town or region.")
    culture = forms.CharField(
        required=False, max_length=100, label="Cultural match", help_text="e.g. Māori, Samoan, an iwi's name."
    )
    q = forms.CharField(required=False, max_length=100, label="Name or words")


class InformalSupportForm(InputForm):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="A person in the case",
        help_text="Leave empty for someone not recorded in the case, and give their name.",
    )

    class Meta:
        model = Provider
        fields = list(INFORMAL_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "address": forms.Textarea(attrs={"rows": 2})}
        labels = {"name": "Name", "description": "What they help with", "is_active": "Still helping"}

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["person"].queryset = Person.objects.filter(
            participations__case=case, participations__archived_at__isnull=True
        ).distinct()
        if self.instance.pk:
            del self.fields["person"]  # who they are does not change; record someone else as a new support
        else:
            del self.fields["is_active"]

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in INFORMAL_FIELDS if name in self.fields}
