from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from kinplan.assessments.models import Assessment, Need, RiskFactor, RiskLevel
from kinplan.cases.tests.factories import CaseFactory


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A draft assessment of a case, by the case's worker (one draft per case at a time)."""

    class Meta:
        model = Assessment

    case = factory.SubFactory(CaseFactory)
    author = factory.LazyAttribute(lambda a: a.case.worker)
    assessed_on = datetime.date(2026, 2, 2)
    strengths = "Nan lives nearby and has the children after school."
    needs_summary = "Mum is struggling since she lost her job."
    history = "Two reports of neglect in 2024, both closed after support."
    current_situation = "The children live with Mum in a rented flat."
    family_view = "Mum says she wants help with the rent and with her drinking."
    worker_view = "The children are cared for, but Mum's drinking is rising."


class CompletedAssessmentFactory(AssessmentFactory):
    """A completed assessment: decided, dated and read-only."""

    status = Assessment.Status.COMPLETED
    overall_risk = RiskLevel.MEDIUM
    risk_reasoning = "Mum's drinking is rising but Nan is a strong protective factor."
    safety_decision = Assessment.SafetyDecision.SAFE_WITH_PLAN
    completed_at = factory.LazyFunction(timezone.now)
    completed_by = factory.LazyAttribute(lambda a: a.author)


class RiskFactorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskFactor

    assessment = factory.SubFactory(AssessmentFactory)
    factor = RiskFactor.Factor.SUBSTANCE_ABUSE
    rating = RiskFactor.Rating.MEDIUM
    evidence = "Mum says she drinks most evenings."


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    assessment = factory.SubFactory(AssessmentFactory)
    title = factory.Sequence(lambda n: f"Need {n}")
    detail = ""
