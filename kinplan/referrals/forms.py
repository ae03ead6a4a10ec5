"""Input forms for referrals: forms read the input; the referrals services check the rules and save."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinplan.cases.models import Case, Participant
from kinplan.core.forms import DateInput, InputForm, VersionedForm
from kinplan.providers.models import Provider, ProviderService, ServiceType
from kinplan.referrals.models import Consent, Referral
from kinplan.referrals.selectors import consent_givers, family_members, plan_steps
from kinplan.referrals.services.consent import CONSENT_FIELDS

T = TypeVar("T")


class ProviderSearchForm(forms.Form):
    """Find a provider: by the service, the area served, a cultural match or words in its name or description."""

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

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        names = {"q": "query"}  # as provider_search calls it
        return {names.get(name, name): value for name, value in self.cleaned_data.items() if value}


def _step_label(step: Any) -> str:
    return gettext("%(step)s (towards %(goal)s)") % {"step": step.what, "goal": step.goal.title}


class ReferralForm(VersionedForm, forms.Form):
    """Who is referred, to which provider and service (`offer`), why, what is sent, and the plan step.

    `offer` is "service:<id>" (one of a provider's services) or "provider:<id>" (the provider, with the kind of
    service chosen in `service_type`); the search results on the page offer both.
    """

    person = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Who are you referring?"), empty_label=_("Choose a family member")
    )
    offer = forms.CharField(required=False, label=_("Provider and service"))
    service_type = forms.ModelChoiceField(
        queryset=ServiceType.objects.filter(is_active=True),
        required=False,
        label=_("Kind of service"),
        help_text=_("Needed when you chose a provider rather than one of its listed services."),
        empty_label=_("Choose the kind of service"),
    )
    reason = forms.CharField(
        required=False, label=_("Why are you referring them?"), widget=forms.Textarea(attrs={"rows": 3})
    )
    information_sent = forms.CharField(
        required=False,
        label=_("Information to send the provider"),
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_(
            "Only what the consent allows. Leave it empty to start from a draft built from the case "
            "(name, date of birth and age, contact preference, the reason); you can change it until it is sent."
        ),
    )
    step = forms.ModelChoiceField(
        queryset=None, required=False, label=_("The plan step this referral serves (optional)"), empty_label=_("None")
    )

    def __init__(self, *args: Any, case: Case, referral: Referral | None = None, **kwargs: Any) -> None:
        if referral is not None:
            kwargs.setdefault("initial", self.initial_for(referral))
        super().__init__(*args, **kwargs)
        self.track_version(referral)
        self.fields["person"].queryset = family_members(case=case)
        self.fields["step"].queryset = plan_steps(case=case)
        self.fields["step"].label_from_instance = _step_label

    def edited_names(self) -> list[str]:
        return [*super().edited_names(), "provider", "provider_service"]  # what `offer` stands for

    def clean_offer(self) -> tuple[Provider, ProviderService | None] | None:
        kind, _colon, pk = self.cleaned_data["offer"].partition(":")
        if not kind:
            return None
        if kind == "service" and pk.isdigit():
            offer = ProviderService.objects.select_related("provider", "service_type").filter(pk=pk).first()
            if offer is not None:
                return offer.provider, offer
        if kind == "provider" and pk.isdigit():
            provider = Provider.objects.filter(pk=pk).first()
            if provider is not None:
                return provider, None
        raise ValidationError(gettext("Choose a provider from the list."))

    def details(self) -> dict[str, Any]:
        provider, offer = self.cleaned_data["offer"] or (None, None)
        data = {name: self.cleaned_data[name] for name in ("person", "reason", "information_sent", "step")}
        data |= {"provider": provider, "provider_service": offer}
        if offer is None:  # a listed service sets its own type
            data["service_type"] = self.cleaned_data["service_type"]
        return data

    @staticmethod
    def initial_for(referral: Referral) -> dict[str, Any]:
        offer = (
            f"service:{referral.provider_service_id}"
            if referral.provider_service_id
            else f"provider:{referral.provider_id}"
        )
        fields = ("person", "service_type", "reason", "information_sent", "step")
        return {"offer": offer} | {name: getattr(referral, name) for name in fields}


def on_offer(call: Callable[[], T]) -> Callable[[], T]:
    """`call`, with the service's messages about the provider or its service shown by the `offer` choice."""

    def run() -> T:
        try:
            return call()
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            renamed: dict[str, list[ValidationError]] = {}
            for name, errors in error.error_dict.items():
                renamed.setdefault("offer" if name in ("provider", "provider_service") else name, []).extend(errors)
            raise ValidationError(renamed) from error

    return run


class ConsentForm(InputForm):
    class Meta:
        model = Consent
        fields = list(CONSENT_FIELDS)
        widgets = {
            "shares": forms.Textarea(attrs={"rows": 2}),
            "given_on": DateInput(),
            "expires_on": DateInput(),
            "method": forms.RadioSelect,
        }
        labels = {"given_by": _("Who gave consent")}
        help_texts = {
            "given_by": _("The person referred or, for a child, their parent, guardian or caregiver."),
            "expires_on": _("Sending is refused once the consent has expired."),
        }

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in CONSENT_FIELDS:  # the service says what each needs, next to the field
            self.fields[name].required = False
        givers = consent_givers(case=referral.case, person=referral.person)
        self.fields["given_by"].queryset = givers
        self.fields["method"].choices = Consent.Method.choices
        if not self.is_bound:
            today = timezone.localdate()
            guardian = givers.exclude(pk=referral.person_id).order_by("pk").first() if _is_child(referral) else None
            self.initial.setdefault("given_by", guardian.pk if guardian else referral.person_id)
            self.initial.setdefault("given_on", today)
            self.initial.setdefault("expires_on", today + datetime.timedelta(days=365))
            self.initial.setdefault(
                "shares", gettext("Name, date of birth, contact details and the reason for the referral.")
            )

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in CONSENT_FIELDS}


def _is_child(referral: Referral) -> bool:
    return referral.case.participants.filter(
        person_id=referral.person_id, role=Participant.Role.CHILD, archived_at__isnull=True
    ).exists()


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Referral.Status.choices)
    note = forms.CharField(label=_("Note or reason"), required=False, max_length=1000)
    on = forms.DateField(label=_("On"), required=False, widget=DateInput())
