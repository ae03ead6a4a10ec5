from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from kinplan.cases.tests.factories import CaseFactory
from kinplan.court.models import CourtOrder, Hearing, OrderCondition, OrderKind


def days(n: int) -> datetime.date:
    """The date `n` days from today (before it when negative)."""
    return timezone.localdate() + datetime.timedelta(days=n)


class CourtOrderFactory(factory.django.DjangoModelFactory):
    """Custody to the chief executive, made 100 days ago, in force, about every child of the case."""

    class Meta:
        model = CourtOrder

    case = factory.SubFactory(CaseFactory)
    created_by = factory.LazyAttribute(lambda o: o.case.worker)
    kind = OrderKind.CE_CUSTODY
    court = "Family Court at Porirua"
    made_on = factory.LazyFunction(lambda: days(-100))


class OrderConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderCondition

    order = factory.SubFactory(CourtOrderFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Condition {n}")


class HearingFactory(factory.django.DjangoModelFactory):
    """A hearing in two weeks' time, scheduled."""

    class Meta:
        model = Hearing

    case = factory.SubFactory(CaseFactory)
    created_by = factory.LazyAttribute(lambda h: h.case.worker)
    date = factory.LazyFunction(lambda: days(14))
    court = "Family Court at Porirua"
    purpose = "Review of the plan"
