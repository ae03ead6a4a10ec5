"""Input forms for assessments, risk factors and needs: they check the input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinplan.assessments.models import Assessment, Need, RiskFactor
from kinplan.assessments.services import ASSESSMENT_FIELDS
from kinplan.core.forms import DateInput, InputForm


class AssessmentStartForm(InputForm):
    start_from_latest = forms.BooleanField(required=False)

    class Meta:
        model = Assessment
        fields = ["assessed_on"]
        widgets = {"assessed_on": DateInput()}
        labels = {"assessed_on": gettext_lazy("Date of the assessment")}

    def __init__(self, *args: Any, latest: Assessment | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].show_hidden_initial = False  # the default is "today", not a change to track
        if latest is None:
            del self.fields["start_from_latest"]
        else:
            field = self.fields["start_from_latest"]
            field.label = _("Start from the last assessment (%(date)s)") % {
                "date": date_format(latest.assessed_on, "DATE_FORMAT")
            }
            field.help_text = _(
                "Copies its strengths, needs, history, situation and views, its risk factors and its needs, "
                "so you can record what has changed. The risk level and safety decision are made afresh."
            )


class AssessmentForm(InputForm):
    class Meta:
        model = Assessment
        fields = list(ASSESSMENT_FIELDS)
        widgets = {
            "assessed_on": DateInput(),
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in ASSESSMENT_FIELDS
                if name not in ("assessed_on", "overall_risk", "safety_decision")
            },
        }
        labels = {
            "assessed_on": gettext_lazy("Date of the assessment"),
            "strengths": gettext_lazy("Strengths"),
            "history": gettext_lazy("History"),
            "current_situation": gettext_lazy("The current situation"),
            "overall_risk": gettext_lazy("Overall risk level"),
            "risk_reasoning": gettext_lazy("Reasoning for the risk level and safety decision"),
            "safety_decision": gettext_lazy("Safety decision"),
        }
        help_texts = {
            "needs_summary": gettext_lazy("What is hard for the family now, in their words and yours."),
            "current_situation": gettext_lazy("Who lives where, who cares for the child, what happens day to day."),
            "family_view": gettext_lazy("What the family say about their situation and what they want."),
            "worker_view": gettext_lazy(
                "Your analysis: what the information means for the child's safety and well-being."
            ),
            "overall_risk": gettext_lazy("Needed to complete the assessment."),
            "risk_reasoning": gettext_lazy(
                "Needed to complete the assessment: why this level, and why this safety decision."
            ),
            "safety_decision": gettext_lazy("Needed to complete the assessment."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].show_hidden_initial = False


class RiskFactorForm(InputForm):
    class Meta:
        model = RiskFactor
        fields = ["factor", "rating", "evidence"]
        widgets = {"evidence": forms.Textarea(attrs={"rows": 3})}
        labels = {"factor": gettext_lazy("Risk factor"), "evidence": gettext_lazy("Evidence for the rating")}
        help_texts = {"evidence": gettext_lazy("What you saw or were told, by whom. Needed for a high rating.")}

    def __init__(self, *args: Any, assessment: Assessment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rated = {factor.factor for factor in assessment.risk_factors.all()}
        self.fields["factor"].choices = [
            (value, label) for value, label in self.fields["factor"].choices if value not in rated
        ]


class RiskFactorEditForm(InputForm):
    class Meta:
        model = RiskFactor
        fields = ["rating", "evidence"]
        widgets = {"evidence": forms.Textarea(attrs={"rows": 3})}
        labels = {"evidence": gettext_lazy("Evidence for the rating")}
        help_texts = RiskFactorForm.Meta.help_texts


class NeedForm(InputForm):
    class Meta:
        model = Need
        fields = ["title", "detail", "risk_factor", "needs_concurrent_attention"]
        widgets = {"detail": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "title": gettext_lazy("Need"),
            "risk_factor": gettext_lazy("Under risk factor"),
            "needs_concurrent_attention": gettext_lazy("Needs concurrent attention"),
        }
        help_texts = {"title": gettext_lazy("e.g. “Mum's alcohol use” or “Stable housing before winter”.")}

    def __init__(self, *args: Any, assessment: Assessment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["risk_factor"].queryset = assessment.risk_factors.all()
        self.fields["risk_factor"].empty_label = _("None")
