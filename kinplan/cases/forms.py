"""Input forms for cases, people, households, relationships and the team."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kinplan.accounts.models import Team, User
from kinplan.cases.models import Case, Household, Iwi, Participant, Person, Relationship, TeamMember
from kinplan.cases.permissions import staff_for_case
from kinplan.cases.services import PERSON_FIELDS
from kinplan.core.forms import DateInput, InputForm


class CaseForm(InputForm):
    class Meta:
        model = Case
        fields = ["name", "team", "worker", "summary", "next_review_on", "status", "closed_on"]
        widgets = {
            "next_review_on": DateInput(),
            "closed_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"worker": _("Allocated social worker"), "next_review_on": _("Next review")}

    def __init__(self, *args: Any, site_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(site_id=site_id, is_active=True)
        self.fields["worker"].queryset = User.objects.filter(
            site_id=site_id, is_active=True, role__in=[User.Role.SOCIAL_WORKER, User.Role.SUPERVISOR]
        )


class CaseCreateForm(CaseForm):
    class Meta(CaseForm.Meta):
        fields = ["name", "team", "worker", "summary", "next_review_on"]


class PersonForm(InputForm):
    iwi = forms.ModelMultipleChoiceField(
        queryset=Iwi.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        label=_("Iwi"),
        help_text=_("Optional; choose all that apply (Ctrl/Cmd-click for several)."),
    )

    class Meta:
        model = Person
        fields = list(PERSON_FIELDS)
        widgets = {
            "date_of_birth": DateInput(),
            "address": forms.Textarea(attrs={"rows": 2}),
            "contact_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PERSON_FIELDS}


class ParticipantForm(InputForm):
    class Meta:
        model = Participant
        fields = ["role", "household", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = case.households.filter(archived_at__isnull=True)


class HouseholdForm(InputForm):
    class Meta:
        model = Household
        fields = ["name", "address", "address_is_confidential", "is_childs_home", "notes"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 2})}


def _people_in(case: Case, **filters: Any) -> Any:
    return Person.objects.filter(
        participations__case=case,
        participations__archived_at__isnull=True,
        **{f"participations__{k}": v for k, v in filters.items()},
    ).distinct()


class RelationshipForm(InputForm):
    class Meta:
        model = Relationship
        fields = ["person", "kind", "child", "notes"]
        labels = {"person": _("Person"), "kind": _("is the … of"), "child": _("Child")}
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people_in(case)
        self.fields["child"].queryset = _people_in(case, role=Participant.Role.CHILD)


class RelationshipEditForm(InputForm):
    class Meta:
        model = Relationship
        fields = ["kind", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class TeamMemberForm(InputForm):
    class Meta:
        model = TeamMember
        fields = ["role", "person", "user", "is_required", "notes"]
        labels = {
            "person": _("A person in the case"),
            "user": _("…or a Kinplan user"),
            "is_required": _("Their agreement is required"),
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people_in(case)
        self.fields["user"].queryset = staff_for_case(case)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("person")) == bool(data.get("user")):
            raise forms.ValidationError(_("Choose either a person in the case or a Kinplan user."))
        return data


class TeamMemberEditForm(InputForm):
    class Meta:
        model = TeamMember
        fields = ["role", "is_required", "notes"]
        labels = {"is_required": _("Their agreement is required")}
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    date_of_birth = forms.DateField(label=_("Date of birth (optional)"), required=False, widget=DateInput())


class RestrictionForm(forms.Form):
    is_restricted = forms.BooleanField(
        label=_("Restrict this case"),
        required=False,
        help_text=_("Only the people named below see it; anyone else must give a reason to open it."),
    )
    restricted_reason = forms.CharField(
        label=_("Why it is restricted"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: a staff member's relative, or a case in the news."),
    )
    named_users = forms.ModelMultipleChoiceField(
        label=_("Named users"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("You and the allocated social worker are always named."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["named_users"].queryset = staff_for_case(case).order_by("last_name", "first_name")


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you need to open this case"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your reason, your name and the time are kept in the case history, and your site manager is told."),
    )
