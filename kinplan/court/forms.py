"""Input forms for court orders and hearings: forms check the input; the court services check the rules and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kinplan.cases.models import Case, Participant, Person
from kinplan.core.forms import DateInput, InputForm
from kinplan.court.models import KIND_GROUPS, CourtOrder, Hearing, OrderCondition
from kinplan.court.services.hearings import HEARING_FIELDS
from kinplan.court.services.orders import ORDER_FIELDS
from kinplan.planning.models import Step


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class OrderForm(InputForm):
    class Meta:
        model = CourtOrder
        fields = list(ORDER_FIELDS)
        widgets = {
            "made_on": DateInput(),
            "expires_on": DateInput(),
            "review_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "kind": _("Kind of order"),
            "child": _("The child it is about"),
            "granted_to": _("Made for (caregiver)"),
            "court": _("Court"),
            "review_on": _("Court review"),
        }
        help_texts = {
            "child": "",
            "expires_on": _("Leave empty if the order runs until it is discharged."),
        }

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "---------"), *KIND_GROUPS]
        here = {"participations__case": case, "participations__archived_at__isnull": True}
        children = Person.objects.filter(**here, participations__role=Participant.Role.CHILD).distinct()
        self.fields["child"].queryset = children
        self.fields["child"].empty_label = gettext("Every child in the case")
        self.fields["granted_to"].queryset = (
            Person.objects.filter(**here).exclude(pk__in=children.values("pk")).distinct()
        )

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ORDER_FIELDS}


class ConditionsField(forms.CharField):
    """The conditions of a new order, one a line."""

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class NewOrderForm(OrderForm):
    conditions = ConditionsField(
        label=_("Its conditions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line, as the order words them. You can add more later."),
    )


ENDINGS = [
    (CourtOrder.Status.DISCHARGED, _("Discharged by the court")),
    (CourtOrder.Status.EXPIRED, _("Expired on its expiry date")),
    (CourtOrder.Status.REPLACED, _("Replaced by another order")),
]


class OrderEndForm(forms.Form):
    to = forms.ChoiceField(label=_("How did the order end?"), choices=ENDINGS, widget=forms.RadioSelect)
    ended_on = forms.DateField(label=_("Date discharged"), required=False, widget=DateInput())
    replaced_by = forms.ModelChoiceField(
        label=_("The order that replaced it"), queryset=CourtOrder.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. the judge's reasons, or what the court directed instead."),
    )

    def __init__(self, *args: Any, order: CourtOrder, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"to": CourtOrder.Status.DISCHARGED})
        super().__init__(*args, **kwargs)
        others = CourtOrder.objects.filter(case_id=order.case_id, made_on__gte=order.made_on).exclude(pk=order.pk)
        self.fields["replaced_by"].queryset = others.order_by("-made_on", "-id")


class ConditionForm(InputForm):
    class Meta:
        model = OrderCondition
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].required = False  # the service says what a condition needs, by this field


class ComplianceForm(forms.Form):
    compliance = forms.ChoiceField(label=_("Compliance"), choices=OrderCondition.Compliance.choices)
    checked_on = forms.DateField(label=_("Checked on"), required=False, widget=DateInput())
    note = forms.CharField(
        label=_("What it rests on"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was seen, said or received; when it falls short, what is missing."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checked_on"].initial = timezone.localdate()


class ConditionStepsForm(forms.Form):
    steps = forms.ModelMultipleChoiceField(
        label=_("Plan steps that satisfy it"), queryset=Step.objects.none(), required=False
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any step of the case; the service says which of them may be linked.
        self.fields["steps"].queryset = Step.objects.filter(goal__plan__case=case)


class HearingForm(InputForm):
    class Meta:
        model = Hearing
        fields = list(HEARING_FIELDS)
        widgets = {"date": DateInput(), "time": TimeInput(), "notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"order": _("About the order"), "time": _("Time (optional)")}

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].queryset = CourtOrder.objects.filter(case=case).order_by("-made_on", "-id")
        self.fields["order"].empty_label = gettext("No particular order")

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in HEARING_FIELDS}


OUTCOMES = [
    (Hearing.Status.HELD, _("Held")),
    (Hearing.Status.ADJOURNED, _("Adjourned")),
    (Hearing.Status.CANCELLED, _("Cancelled")),
]


class HearingOutcomeForm(forms.Form):
    status = forms.ChoiceField(label=_("What happened?"), choices=OUTCOMES, widget=forms.RadioSelect)
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the court decided or directed; for an adjournment or a cancellation, why."),
    )
    adjourned_to = forms.DateField(
        label=_("Adjourned to (optional)"),
        required=False,
        widget=DateInput(),
        help_text=_("The new date: it is added as a scheduled hearing."),
    )
