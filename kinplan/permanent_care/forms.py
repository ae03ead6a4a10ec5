"""Input forms for the permanent care support plan: forms check the input; the services check the rules and save.

Many forms share one page, so each is given its own `auto_id` prefix by the view (no two fields share an id).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinplan.accounts.models import Organisation, User
from kinplan.assessments.models import Assessment, Need
from kinplan.cases.models import Case, Participant, Person, TeamMember
from kinplan.core.forms import DateInput, InputForm, VersionedForm
from kinplan.meetings.models import Meeting
from kinplan.permanent_care.models import (
    ApprovalDecision,
    Delivery,
    Discussion,
    EscalationStep,
    FurtherSupport,
    Objective,
    Purchase,
    Review,
    SupportAgreement,
    SupportArrangement,
    SupportItem,
    UniversalService,
)
from kinplan.permanent_care.services.handover import FURTHER_FIELDS, LETTER_METHODS, PURCHASE_FIELDS, REVIEW_FIELDS
from kinplan.permanent_care.services.plan import ITEM_FIELDS
from kinplan.permanent_care.services.referral import DISCUSSION_FIELDS, REFERRAL_FIELDS
from kinplan.providers.models import Provider, ProviderService

Outcome, Rung = EscalationStep.Outcome, EscalationStep.Rung
TEXT = forms.Textarea(attrs={"rows": 3})


def _people(case: Case, role: str) -> Any:
    return Person.objects.filter(
        participations__case=case, participations__role=role, participations__archived_at__isnull=True
    ).distinct()


class ConfirmForm(forms.Form):
    """An action with nothing to fill in (send the referral, submit for approval…): the service's refusal shows
    on it."""


class ReferralForm(InputForm):
    class Meta:
        model = SupportArrangement
        fields = list(REFERRAL_FIELDS)
        widgets = {"intention_noted_on": DateInput(), "referral_notes": TEXT}
        labels = {
            "child": _("The child (mokopuna)"),
            "caregiver": _("The permanent caregiver"),
            "support_service": _("Permanent Caregiver Support Service"),
            "intention_noted_on": _("When the caregiver said they intend a permanent living arrangement"),
        }

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = _people(case, Participant.Role.CHILD)
        self.fields["caregiver"].queryset = _people(case, Participant.Role.CAREGIVER)
        self.fields["support_service"].queryset = Organisation.objects.filter(kind=Organisation.Kind.SUPPORT_SERVICE)

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in REFERRAL_FIELDS}


class AllocateForm(forms.Form):
    caseworker = forms.ModelChoiceField(label=_("Caseworker"), queryset=User.objects.none())

    def __init__(self, *args: Any, arrangement: SupportArrangement, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        workers = User.objects.filter(
            is_active=True, role=User.Role.SUPPORT_CASEWORKER, organisation_id=arrangement.support_service_id
        )
        if user.role == User.Role.SUPPORT_CASEWORKER:  # a caseworker takes a referral themselves
            workers = workers.filter(pk=user.pk)
        self.fields["caseworker"].queryset = workers.order_by("first_name", "last_name", "username")
        self.fields["caseworker"].initial = arrangement.caseworker_id


class DiscussionForm(InputForm):
    class Meta:
        model = Discussion
        fields = list(DISCUSSION_FIELDS)
        widgets = {"held_on": DateInput(), "supports_discussed": TEXT, "resources_and_costs": TEXT}

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in DISCUSSION_FIELDS}


class DatesForm(VersionedForm, forms.Form):
    """The plan's span and review date, as the page showed them (the version seen: kinplan.core.concurrency)."""

    starts_on = forms.DateField(
        label=_("Plan starts"), widget=DateInput(), help_text=_("When the chief executive's orders are discharged.")
    )
    ends_on = forms.DateField(
        label=_("Plan ends"), widget=DateInput(), help_text=_("At most 12 months after it starts.")
    )
    review_on = forms.DateField(label=_("Review date"), widget=DateInput(), help_text=_("Inside the plan's span."))

    def __init__(self, *args: Any, arrangement: SupportArrangement, **kwargs: Any) -> None:
        fields = ("starts_on", "ends_on", "review_on")
        kwargs.setdefault("initial", {name: getattr(arrangement, name) for name in fields})
        super().__init__(*args, **kwargs)
        self.track_version(arrangement)


class ObjectiveForm(InputForm):
    class Meta:
        model = Objective
        fields = ["need", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        labels = {"need": "The child's identified need", "title": "Objective"}

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = Need.objects.filter(
            assessment__case=case, assessment__status=Assessment.Status.COMPLETED
        ).order_by("assessment_id", "id")
        self.fields["need"].required = False  # the service says why a need is required


class ItemForm(InputForm):
    class Meta:
        model = SupportItem
        fields = list(ITEM_FIELDS)
        widgets = {
            "starts_on": DateInput(),
            "due_on": DateInput(),
            "caregiver_instructions": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "provider": _("Who provides it (from the directory)"),
            "provider_service": _("The provider's service"),
            "costs_money": _("Does it cost money?"),
            "quantity": _("How much"),
        }

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        providers = Provider.objects.filter(Q(case__isnull=True) | Q(case=case)).filter(is_active=True)
        self.fields["provider"].queryset = providers.order_by("name")
        self.fields["provider_service"].queryset = (
            ProviderService.objects.filter(provider__in=providers, is_active=True)
            .select_related("provider", "service_type")
            .order_by("provider__name", "service_type__name")
        )

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ITEM_FIELDS}


class UniversalServiceForm(InputForm):
    class Meta:
        model = UniversalService
        fields = ["name", "how_to_access"]
        widgets = {"how_to_access": forms.Textarea(attrs={"rows": 2})}
        labels = {"name": "Universal service (GP, school, benefits…)"}


class AgreementForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Planning participant"), queryset=TeamMember.objects.none())
    position = forms.ChoiceField(label=_("Their position"), choices=SupportAgreement.Position.choices)
    method = forms.ChoiceField(label=_("How they gave it"), choices=SupportAgreement.Method.choices)
    reason = forms.CharField(
        label=_("Why (if they disagree)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = case.team_members.filter(archived_at__isnull=True).select_related(
            "person", "user"
        )


class CourtStepForm(forms.Form):
    court_step = forms.CharField(
        label=_("The court step"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What goes to court to finalise the permanent living arrangement."),
    )
    court_step_on = forms.DateField(label=_("Filed or set down on"), required=False, widget=DateInput())


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=ApprovalDecision.Decision.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("If not approved: what is not approved, and why."),
    )


def rung_outcomes(rung: int) -> list[tuple[str, str]]:
    """The outcomes a rung may record: the national manager determines; the others resolve or pass it on."""
    if rung == Rung.NATIONAL_DETERMINATION:
        wanted = [Outcome.DETERMINED_APPROVED, Outcome.DETERMINED_WITH_CHANGES, Outcome.DETERMINED_DECLINED]
    else:
        wanted = [Outcome.RESOLVED_UNCHANGED, Outcome.RESOLVED_WITH_CHANGES, Outcome.UNRESOLVED]
    return [(o.value, o.label) for o in wanted]


class RungForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), required=False, widget=DateInput())
    method = forms.ChoiceField(label=_("How"), choices=EscalationStep.Method.choices)
    caseworker_involved = forms.BooleanField(label=_("The support service's caseworker was involved"), required=False)
    meeting = forms.ModelChoiceField(label=_("Meeting (optional)"), queryset=Meeting.objects.none(), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[], widget=forms.RadioSelect)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was discussed and decided; the changes, if any."),
    )

    def __init__(self, *args: Any, arrangement: SupportArrangement, rung: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rung = rung
        self.fields["outcome"].choices = rung_outcomes(rung)
        self.fields["meeting"].queryset = Meeting.objects.filter(case_id=arrangement.case_id).order_by("-starts_at")


class FollowUpForm(forms.Form):
    discussed_on = forms.DateField(label=_("Discussed on"), required=False, widget=DateInput())
    method = forms.ChoiceField(label=_("How"), choices=SupportAgreement.Method.choices)
    note = forms.CharField(label=_("What they said"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class LetterForm(forms.Form):
    sent_on = forms.DateField(label=_("Sent on"), required=False, widget=DateInput())
    method = forms.ChoiceField(label=_("How"), choices=list(LETTER_METHODS.items()))


class PurchaseForm(InputForm):
    class Meta:
        model = Purchase
        fields = list(PURCHASE_FIELDS)
        widgets = {"period_start": DateInput(), "period_end": DateInput()}

    def __init__(self, *args: Any, item: SupportItem, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "provider": item.provider_id,
                "provider_service": item.provider_service_id,
                "quantity": item.quantity,
                "unit": item.unit,
                "cost": item.cost,
                "period_start": item.starts_on,
                "period_end": item.due_on,
            },
        )
        super().__init__(*args, **kwargs)
        providers = Provider.objects.filter(is_active=True, case__isnull=True)
        self.fields["provider"].queryset = providers.order_by("name")
        self.fields["provider_service"].queryset = ProviderService.objects.filter(
            provider__in=providers
        ).select_related("provider", "service_type")

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PURCHASE_FIELDS}


class DeliveryForm(InputForm):
    class Meta:
        model = Delivery
        fields = ["delivered_on", "quantity", "cost", "note"]
        widgets = {"delivered_on": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReviewForm(InputForm):
    class Meta:
        model = Review
        fields = list(REVIEW_FIELDS)
        widgets = {
            "reviewed_on": DateInput(),
            "next_review_on": DateInput(),
            "findings": TEXT,
            "caregiver_views": TEXT,
        }

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in REVIEW_FIELDS}


class FurtherSupportForm(InputForm):
    class Meta:
        model = FurtherSupport
        fields = list(FURTHER_FIELDS)
        widgets = {"agreed_on": DateInput(), "starts_on": DateInput(), "ends_on": DateInput(), "supports": TEXT}

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in FURTHER_FIELDS}


class ReasonForm(forms.Form):
    """Withdrawing the plan, or reopening planning: the service says why a reason is needed."""

    reason = forms.CharField(label=_("Why"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
