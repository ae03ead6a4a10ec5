"""Forms for case notes: they read the input; the services check the rules and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kinplan.cases.models import Case, Person
from kinplan.core.forms import DateInput, InputForm
from kinplan.notes.models import CaseNote
from kinplan.notes.selectors import people_in_case


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name


class NoteForm(InputForm):
    about = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=_("About"),
        empty_label=_("The case as a whole"),
        help_text=_("The person in the case the note is mainly about, if one."),
    )

    class Meta:
        model = CaseNote
        fields = ["kind", "occurred_on", "about", "text", "is_confidential", "confidential_reason"]
        widgets = {
            "occurred_on": DateInput(),
            "text": forms.Textarea(attrs={"rows": 16, "class": "note-text", "spellcheck": "true"}),
        }
        error_messages = {"text": {"required": _("Write the note.")}}

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["about"].queryset = people_in_case(case=case)
        self.fields["kind"].label = _("What it records")
        self.fields["is_confidential"].label = _("Confidential")

    def details(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class NoteFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Every kind")), *CaseNote.Kind.choices])
    about = PersonChoiceField(queryset=Person.objects.none(), required=False, label=_("About"), empty_label=_("Anyone"))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["about"].queryset = people_in_case(case=case)


class StrikeOutForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it struck out?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. Written on the wrong case. The note stays in the record, crossed out."),
        error_messages={"required": _("Say why the note is struck out.")},
    )


class ConfidentialityForm(forms.Form):
    confidential = forms.TypedChoiceField(
        label=_("Who may read it"),
        choices=[
            ("yes", _("Confidential: only the case's social worker, supervisor and site manager, and its author")),
            ("no", _("Everyone who reads the case")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why?"),
        max_length=300,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text=_(
            "For a confidential note, e.g. Family violence: the caregiver's address is withheld from the father."
        ),
        error_messages={"required": _("Give the reason.")},
    )
