from __future__ import annotations

import datetime

import factory

from kinplan.assessments.tests.factories import CompletedAssessmentFactory, NeedFactory
from kinplan.cases.tests.factories import CaseFactory
from kinplan.planning.models import Goal, PermanencyGoal, Plan, Step

__all__ = ["CompletedAssessmentFactory", "GoalFactory", "NeedFactory", "PlanFactory", "StepFactory"]


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
