"""Input forms for the directory search and a case's informal supports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kinplan.cases.models import Case, Person
from kinplan.core.forms import InputForm
from kinplan.providers.models import Provider, ServiceType
from kinplan.providers.services import INFORMAL_FIELDS


class DirectorySearchForm(forms.Form):
    service_type = forms.ModelChoiceField(
        queryset=ServiceType.objects.filter(is_active=True),
        required=False,
        label=_("Service"),
        empty_label=_("Any service"),
    )
    area = forms.CharField(required=False, max_length=100, label=_("Area"), help_text=_("A suburb, town or region."))
    culture = forms.CharField(
        required=False, max_length=100, label=_("Cultural match"), help_text=_("e.g. Māori, Samoan, an iwi's name.")
    )
    q = forms.CharField(required=False, max_length=100, label=_("Name or words"))


class InformalSupportForm(InputForm):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=_("A person in the case"),
        help_text=_("Leave empty for someone not recorded in the case, and give their name."),
    )

    class Meta:
        model = Provider
        fields = list(INFORMAL_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "address": forms.Textarea(attrs={"rows": 2})}
        labels = {"name": _("Name"), "description": _("What they help with"), "is_active": _("Still helping")}

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
