from __future__ import annotations

import datetime

import factory

from kinplan.assessments.models import Assessment, Need
from kinplan.cases.tests.factories import CaseFactory
from kinplan.planning.models import Goal, PermanencyGoal, Plan, Step


class CompletedAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    case = factory.SubFactory(CaseFactory)
    author = factory.LazyAttribute(lambda a: a.case.worker)
    assessed_on = datetime.date(2026, 2, 1)
    status = Assessment.Status.COMPLETED
    overall_risk = "medium"
    risk_reasoning = "Mum drinks most weekends; Nan is a strong support."
    safety_decision = Assessment.SafetyDecision.SAFE_WITH_PLAN
    completed_at = datetime.datetime(2026, 2, 1, 12, 0, tzinfo=datetime.UTC)
    completed_by = factory.LazyAttribute(lambda a: a.author)


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    assessment = factory.SubFactory(CompletedAssessmentFactory)
    title = factory.Sequence(lambda n: f"Need {n}")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    case = factory.SubFactory(CaseFactory)
    created_by = factory.LazyAttribute(lambda p: p.case.worker)
    permanency_goal = PermanencyGoal.REUNIFICATION
    starts_on = datetime.date(2026, 3, 1)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Goal {n}")


class StepFactory(factory.django.DjangoModelFactory):
    """A step that passes the good test: someone named, a due date, a quantity and no cost."""

    class Meta:
        model = Step

    goal = factory.SubFactory(GoalFactory)
    what = factory.Sequence(lambda n: f"Step {n}")
    kind = Step.Kind.TASK
    responsible = Step.Responsible.WORKER
    responsible_user = factory.LazyAttribute(lambda s: s.goal.plan.case.worker)
    due_on = datetime.date(2026, 6, 1)
    costs_money = False
    funder = Step.Funder.NO_COST
