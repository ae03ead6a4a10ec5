"""Input forms for service plans: forms check the input; the planning services check the rules and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinplan.assessments.models import Assessment, Need
from kinplan.cases.models import Case, Person
from kinplan.cases.permissions import staff_for_case
from kinplan.core.forms import DateInput, InputForm
from kinplan.planning.models import Agreement, Goal, Plan, Step
from kinplan.planning.services.content import STEP_CONTENT_FIELDS
from kinplan.planning.services.goals import GOAL_FIELDS
from kinplan.planning.services.plans import PLAN_FIELDS
from kinplan.providers.models import Provider, ProviderService


class PlanForm(InputForm):
    class Meta:
        model = Plan
        fields = list(PLAN_FIELDS)
        widgets = {
            "permanency_goal_detail": forms.Textarea(attrs={"rows": 2}),
            "alternative_goal_detail": forms.Textarea(attrs={"rows": 2}),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "next_review_on": DateInput(),
        }
        labels = {
            "permanency_goal": gettext_lazy("Permanency goal"),
            "permanency_goal_detail": gettext_lazy("What it means for this child"),
            "alternative_goal_detail": gettext_lazy("What the alternative means for this child"),
            "assessment": gettext_lazy("The assessment this plan answers"),
            "starts_on": gettext_lazy("Plan starts"),
            "ends_on": gettext_lazy("Plan ends"),
            "next_review_on": gettext_lazy("Next review"),
        }
        help_texts = {
            "alternative_goal": gettext_lazy(
                "Concurrent planning: the permanency goal worked on at the same time, "
                "in case reunification is not possible."
            ),
            "assessment": gettext_lazy("Only completed assessments of this case can be chosen."),
        }

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assessments = Assessment.objects.filter(case=case, status=Assessment.Status.COMPLETED)
        self.fields["assessment"].queryset = assessments.order_by("-assessed_on", "-id")
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("assessment", self.fields["assessment"].queryset.first())

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PLAN_FIELDS}


class GoalForm(InputForm):
    needs = forms.ModelMultipleChoiceField(
        queryset=Need.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Which needs from the assessment does this goal answer?"),
    )

    class Meta:
        model = Goal
        fields = [*GOAL_FIELDS]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "target_date": DateInput()}
        labels = {
            "title": gettext_lazy("Goal"),
            "target_date": gettext_lazy("Target date"),
            "track": gettext_lazy("It serves"),
        }
        help_texts = {"title": gettext_lazy("Write it as the result the family wants, e.g. “A safe, stable home”.")}

    def __init__(self, *args: Any, plan: Plan, intermediate: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if plan.assessment_id:
            self.fields["needs"].queryset = Need.objects.filter(assessment_id=plan.assessment_id)
        else:
            del self.fields["needs"]
        if intermediate:  # an intermediate goal serves its long-term goal's track
            del self.fields["track"]
        else:
            alternative = plan.get_alternative_goal_display() or _("not chosen yet")
            self.fields["track"].choices = [
                (
                    Goal.Track.MAIN,
                    _("The main permanency goal: %(goal)s") % {"goal": plan.get_permanency_goal_display()},
                ),
                (Goal.Track.ALTERNATIVE, _("The alternative permanency goal: %(goal)s") % {"goal": alternative}),
            ]

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in GOAL_FIELDS if name in self.fields}

    def chosen_needs(self) -> list[Need] | None:
        return list(self.cleaned_data["needs"]) if "needs" in self.fields else None


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Goal.Status.choices, label=gettext_lazy("Goal status"))


class StepForm(InputForm):
    """Every part of a step, in the order a worker thinks of them (seed 001, the good test of seed 003)."""

    FIELDSETS = (
        (gettext_lazy("What"), ("kind", "what", "details")),
        (
            gettext_lazy("Who does it"),
            ("responsible", "responsible_person", "responsible_user", "provider", "provider_service"),
        ),
        (gettext_lazy("…or someone else"), ("responsible_name",)),
        (gettext_lazy("When"), ("starts_on", "due_on", "timeline")),
        (gettext_lazy("How much"), ("quantity", "unit", "frequency")),
        (gettext_lazy("Cost"), ("costs_money", "cost", "funder")),
        (gettext_lazy("For the family"), ("client_instructions",)),
        (gettext_lazy("The worker's part"), ("worker_helps", "worker_help")),
    )

    class Meta:
        model = Step
        fields = list(STEP_CONTENT_FIELDS)
        widgets = {
            "details": forms.Textarea(attrs={"rows": 2}),
            "starts_on": DateInput(),
            "due_on": DateInput(),
            "client_instructions": forms.Textarea(attrs={"rows": 3}),
            "worker_help": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "kind": gettext_lazy("Kind of step"),
            "responsible": gettext_lazy("Who is responsible"),
            "responsible_person": gettext_lazy("A person in the case"),
            "responsible_user": gettext_lazy("…or a Kinplan user"),
            "responsible_name": gettext_lazy("A provider or person by name, if not listed"),
            "provider": gettext_lazy("…or a provider"),
            "provider_service": gettext_lazy("The provider's service"),
            "starts_on": gettext_lazy("Starts"),
            "due_on": gettext_lazy("Due"),
            "quantity": gettext_lazy("How many / how much"),
            "unit": gettext_lazy("Unit"),
            "costs_money": gettext_lazy("Does it cost money?"),
            "cost": gettext_lazy("Cost (NZ$)"),
            "funder": gettext_lazy("Who pays"),
        }
        help_texts = {"frequency": gettext_lazy("e.g. weekly, twice a month.")}

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_person"].queryset = Person.objects.filter(
            participations__case=case, participations__archived_at__isnull=True
        ).distinct()
        self.fields["responsible_user"].queryset = staff_for_case(case)
        current = self.instance if self.instance.pk else None
        providers = Provider.objects.filter(Q(case__isnull=True) | Q(case=case))
        self.fields["provider"].queryset = providers.filter(
            Q(is_active=True) | Q(pk=getattr(current, "provider_id", None))
        )
        self.fields["provider_service"].queryset = (
            ProviderService.objects.filter(provider__in=providers)
            .filter(Q(is_active=True) | Q(pk=getattr(current, "provider_service_id", None)))
            .select_related("provider", "service_type")
            .order_by("provider__name", "service_type__name")
        )
        self.fields["provider_service"].help_text = _(
            "Choosing a service names its provider and, with a quantity, prices the step at its unit cost."
        )

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in STEP_CONTENT_FIELDS}


class StepDoneForm(forms.Form):
    # Not required here: the service says what a result needs, next to this field.
    result = forms.CharField(
        label=gettext_lazy("Result: what happened"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    completed_on = forms.DateField(label=gettext_lazy("Date done"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].initial = timezone.localdate()


class StepNotDoneForm(forms.Form):
    result = forms.CharField(
        label=gettext_lazy("What happened instead"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StepCancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the step no longer needed?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NeedDeferForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is this need left for later?"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AgreementForm(forms.Form):
    position = forms.ChoiceField(choices=Agreement.Position.choices, label=gettext_lazy("Their position"))
    method = forms.ChoiceField(
        choices=[("", "—"), *Agreement.Method.choices], required=False, label=gettext_lazy("How they gave it")
    )
    reason = forms.CharField(
        label=gettext_lazy("Why they disagree (their words)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Plan.Status.choices)
    note = forms.CharField(label=gettext_lazy("Note for the plan's history (optional)"), required=False, max_length=500)


class ReviseForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Why is the plan being revised?"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("The team is consulted again on the new version."),
    )
